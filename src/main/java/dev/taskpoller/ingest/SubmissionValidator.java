package dev.taskpoller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.Submission;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.provider.Json;
import dev.taskpoller.text.Excerpt;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;

/**
 * Decides whether a parsed request names a task that can be polled; every "no" carries its reason. Values are taken
 * exactly as given: a task id is never trimmed or re-cased, so what is polled is what was sent.
 */
public class SubmissionValidator {

    private final Providers providers;
    private final InputLimits limits;

    public SubmissionValidator(Providers providers, InputLimits limits) {
        this.providers = providers;
        this.limits = limits;
    }

    public InputLimits limits() {
        return limits;
    }

    public Submission validate(String provider, String taskId, String correlationId, JsonNode metadata, String input, String origin) {
        return validate(provider, taskId, correlationId, metadata, null, null, input, origin);
    }

    /**
     * @param deadline     the request's own deadline as written, or null (see {@link RequestOptions#read})
     * @param pollInterval the request's own poll interval as written, or null
     */
    public Submission validate(String provider, String taskId, String correlationId, JsonNode metadata, String deadline,
                               String pollInterval, String input, String origin) {
        if (provider == null || provider.isEmpty()) {
            return Rejection.of(Rejection.MISSING_PROVIDER, "no provider given", input, origin, null);
        }
        if (provider.length() > limits.maxProviderLength()) {
            return Rejection.of(Rejection.TOO_LARGE, "the provider name has " + provider.length() + " characters, at most "
                    + limits.maxProviderLength() + " are accepted", input, origin, null);
        }
        if (!providers.knows(provider)) {
            // the unknown name stays out of the provider field: per-provider counts are for providers that exist
            return Rejection.of(Rejection.UNKNOWN_PROVIDER, "unknown provider '" + Excerpt.forLog(provider) + "'; known: "
                    + String.join(", ", providers.names()), input, origin, null);
        }
        if (taskId == null || taskId.isEmpty()) {
            return Rejection.of(Rejection.MISSING_TASK_ID, "no task id given", input, origin, provider);
        }
        if (taskId.length() > limits.maxTaskIdLength()) {
            return Rejection.of(Rejection.TASK_ID_TOO_LONG, "task id has " + taskId.length() + " characters, at most "
                    + limits.maxTaskIdLength() + " are accepted", input, origin, provider);
        }
        Optional<String> unusable = TaskIds.unusableCharacters(taskId)
                .or(() -> providers.adapter(provider).checkTaskId(taskId));
        if (unusable.isPresent()) {
            return Rejection.of(Rejection.INVALID_TASK_ID, unusable.get(), input, origin, provider);
        }
        if (correlationId != null && correlationId.length() > limits.maxCorrelationIdLength()) {
            return Rejection.of(Rejection.TOO_LARGE, "correlationId has " + correlationId.length() + " characters, at most "
                    + limits.maxCorrelationIdLength() + " are accepted", input, origin, provider);
        }
        if (metadata != null) {
            Optional<String> tooLarge = metadataTooLarge(metadata);
            if (tooLarge.isPresent()) {
                return Rejection.of(Rejection.TOO_LARGE, tooLarge.get(), input, origin, provider);
            }
        }
        Instant acceptedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RequestOptions options;
        try {
            options = RequestOptions.read(deadline, pollInterval, acceptedAt, providers.settings(provider));
        } catch (RequestOptions.InvalidOptionException invalid) {
            return Rejection.of(Rejection.INVALID_OPTION, invalid.getMessage(), input, origin, provider);
        }
        return new TaskRequest(provider, taskId, correlationId, metadata, acceptedAt, origin, options.deadline(),
                options.pollInterval());
    }

    private Optional<String> metadataTooLarge(JsonNode metadata) {
        int depth = depth(metadata);
        if (depth > limits.maxMetadataDepth()) {
            return Optional.of("metadata nests " + depth + " levels deep, at most " + limits.maxMetadataDepth() + " are accepted");
        }
        int bytes = Utils.utf8Length(Json.write(metadata));
        if (bytes > limits.maxMetadataBytes()) {
            return Optional.of("metadata has " + bytes + " bytes as JSON, at most " + limits.maxMetadataBytes() + " are accepted");
        }
        return Optional.empty();
    }

    /** 1 for a scalar or an empty container, one more for each level of nesting. */
    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : 0;
    }
}
