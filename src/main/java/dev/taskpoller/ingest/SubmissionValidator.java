package dev.taskpoller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.Submission;
import dev.taskpoller.engine.TaskRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Decides whether a parsed submission names a task that can be polled; every "no" carries its reason. */
public class SubmissionValidator {

    private final Providers providers;
    private final int maxTaskIdLength;

    public SubmissionValidator(Providers providers, int maxTaskIdLength) {
        this.providers = providers;
        this.maxTaskIdLength = maxTaskIdLength;
    }

    public Submission validate(String provider, String taskId, String correlationId, JsonNode metadata, String input, String origin) {
        if (provider == null || provider.isBlank()) {
            return Rejection.of(Rejection.MISSING_PROVIDER, "no provider given", input, origin, null);
        }
        if (!providers.knows(provider)) {
            return Rejection.of(Rejection.UNKNOWN_PROVIDER, "unknown provider '" + provider + "'; known: "
                    + String.join(", ", providers.names()), input, origin, provider);
        }
        if (taskId == null || taskId.isBlank()) {
            return Rejection.of(Rejection.MISSING_TASK_ID, "no task id given", input, origin, provider);
        }
        String id = taskId.trim();
        if (id.length() > maxTaskIdLength) {
            return Rejection.of(Rejection.TASK_ID_TOO_LONG, "task id has " + id.length() + " characters, at most "
                    + maxTaskIdLength + " are accepted", input, origin, provider);
        }
        Optional<String> invalid = providers.adapter(provider).checkTaskId(id);
        if (invalid.isPresent()) {
            return Rejection.of(Rejection.INVALID_TASK_ID, invalid.get(), input, origin, provider);
        }
        String correlation = correlationId == null || correlationId.isBlank() ? null : correlationId;
        return new TaskRequest(provider, id, correlation, metadata, Instant.now().truncatedTo(ChronoUnit.MILLIS), origin);
    }
}
