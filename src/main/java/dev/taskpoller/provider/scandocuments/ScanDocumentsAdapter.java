package dev.taskpoller.provider.scandocuments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.TaskIdFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scan Documents' task API ({@code GET /v1/tasks/{id}}), one task per call. Errors are RFC 7807 problems; the
 * statuses {@code pending}, {@code processing}, {@code completed} and {@code failed} are documented, anything else is
 * an unknown shape and never a completion.
 */
public final class ScanDocumentsAdapter implements ProviderAdapter {

    /** The examples show 16 characters; the length is not documented, so anything up to 64 is let through. */
    private static final TaskIdFormat TASK_IDS = TaskIdFormat.matching("task_[a-z0-9]{1,64}",
            "a Scan Documents task id is task_ followed by 1 to 64 lower-case letters or digits");

    @Override
    public String name() {
        return "scan-documents";
    }

    @Override
    public Optional<String> checkTaskId(String taskId) {
        return TASK_IDS.check(taskId);
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        // The id passed checkTaskId, so it is safe in a path segment as it is.
        String url = endpoint.url("/v1/tasks/" + taskIds.get(0));
        return StatusCall.get(url, Map.of("x-api-key", endpoint.apiKey(), "accept", "application/json"));
    }

    @Override
    public Map<String, PollOutcome> interpret(List<String> taskIds, ProviderReply reply) {
        Optional<PollOutcome> error = HttpReplies.classifyError(reply, problemMessage(reply.body()));
        if (error.isPresent()) {
            return HttpReplies.sameForAll(taskIds, error.get());
        }
        String id = taskIds.get(0);
        PollOutcome outcome = Json.parse(reply.body())
                .filter(task -> task.isObject() && id.equals(Json.text(task, "id")))
                .map(task -> ScanDocumentsTask.outcome(task, reply))
                .orElseGet(() -> HttpReplies.badResponse(reply, "not the task object of " + id));
        return HttpReplies.sameForAll(taskIds, outcome);
    }

    /** The problem's message (or title), followed by any per-field validation errors; null when there is none. */
    static String problemMessage(String body) {
        JsonNode problem = Json.parse(body).filter(JsonNode::isObject).orElse(null);
        if (problem == null) {
            return null;
        }
        String message = Optional.ofNullable(Json.text(problem, "message")).orElse(Json.text(problem, "title"));
        List<String> fields = new ArrayList<>();
        JsonNode errors = problem.path("errors");
        errors.fieldNames().forEachRemaining(field -> {
            List<String> texts = new ArrayList<>();
            errors.get(field).forEach(text -> texts.add(text.asText()));
            fields.add(field + ": " + (texts.isEmpty() ? errors.get(field).asText() : String.join(" ", texts)));
        });
        if (fields.isEmpty()) {
            return message;
        }
        String details = String.join("; ", fields);
        return message == null ? details : message + " (" + details + ")";
    }
}
