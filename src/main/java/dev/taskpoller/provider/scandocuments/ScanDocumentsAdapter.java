package dev.taskpoller.provider.scandocuments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.SingleTaskAdapter;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.TaskIdFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Scan Documents' task API ({@code GET /v1/tasks/{id}}), one task per call. Errors are RFC 7807 problems; the
 * statuses {@code pending}, {@code processing}, {@code completed} and {@code failed} are documented, anything else is
 * an unknown shape and never a completion.
 */
public final class ScanDocumentsAdapter extends SingleTaskAdapter {

    /** The examples show 16 characters; the length is not documented, so anything up to 64 is let through. */
    private static final TaskIdFormat TASK_IDS = TaskIdFormat.matching("task_[a-z0-9]{1,64}",
            "a Scan Documents task id is task_ followed by 1 to 64 lower-case letters or digits");

    /** The constructor {@link java.util.ServiceLoader} uses. */
    public ScanDocumentsAdapter() {
        super("scan-documents", TASK_IDS);
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        // The id passed checkTaskId, so it is safe in a path segment as it is.
        return jsonGet(endpoint, "/v1/tasks/" + ProviderAdapter.onlyTaskId(taskIds), "x-api-key");
    }

    @Override
    protected String notAnObject(String taskId) {
        return "not the task object of " + taskId;
    }

    @Override
    protected PollOutcome readTask(String taskId, JsonNode task, ProviderReply reply) {
        return taskId.equals(Json.text(task, "id"))
                ? ScanDocumentsTask.outcome(task, reply)
                : HttpReplies.badResponse(reply, "not the task object of " + taskId);
    }

    /** The problem's message (or title), followed by any per-field validation errors; null when there is none. */
    @Override
    protected String errorMessage(JsonNode problem) {
        if (!problem.isObject()) {
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
