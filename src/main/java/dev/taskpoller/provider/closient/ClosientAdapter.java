package dev.taskpoller.provider.closient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.ResultFile;
import dev.taskpoller.provider.SingleTaskAdapter;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.TaskIdFormat;
import dev.taskpoller.provider.TaskError;
import java.util.List;
import java.util.Objects;

/**
 * Closient's bulk QR poll ({@code GET /products/api/v1/qr/bulk/{task_id}/}, header {@code X-API-Key}).
 *
 * <p>Task ids must be lower-case UUID4s, exactly as Celery issues them. Closient rejects anything else with a 422,
 * and its Celery result store reports an id it does not know as {@code pending} for ever, so an id that differs
 * from the issued one only in case could never end except by the engine's deadline.
 *
 * <p>A completed task must have a {@code download_url}; without one it is a {@code bad_response}, never a
 * completion without its file. The URL is signed and expires at {@code expires_at}, which the result carries
 * verbatim (its zone included); a missing {@code expires_at} is carried as null rather than rejecting a usable link.
 * A 429's wait comes from {@code Retry-After}, else {@code RateLimit-Reset} (see {@link HttpReplies#rateLimitWait}).
 */
public final class ClosientAdapter extends SingleTaskAdapter {

    public static final String NAME = "closient-bulk-qr";

    private static final TaskIdFormat TASK_IDS = TaskIdFormat.uuid4(
            "a Closient bulk task id is a lower-case UUID version 4 (Closient answers 422 otherwise)");

    /** The constructor {@link java.util.ServiceLoader} uses. */
    public ClosientAdapter() {
        super(NAME, TASK_IDS);
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        // the trailing slash is part of the route: without it Closient answers 404
        return jsonGet(endpoint, "/products/api/v1/qr/bulk/" + ProviderAdapter.onlyTaskId(taskIds) + "/", "X-API-Key");
    }

    @Override
    protected String notAnObject(String taskId) {
        return "Closient answered something that is not a JSON object";
    }

    @Override
    protected PollOutcome readTask(String taskId, JsonNode task, ProviderReply reply) {
        String status = Json.text(task, "status");
        if (status == null) {
            return HttpReplies.badResponse(reply, "Closient task has no status");
        }
        return switch (status) {
            case "pending", "running" -> PollOutcome.running(reply.body());
            case "completed" -> completed(task, reply);
            case "failed" -> PollOutcome.failed(new TaskError(TaskError.PROVIDER_FAILED,
                    Objects.requireNonNullElse(Json.text(task, "error"), "Closient reported the task as failed"), null),
                    null, reply.body());
            default -> HttpReplies.badResponse(reply, "Closient task has an unknown status '" + status + "'");
        };
    }

    private static PollOutcome completed(JsonNode task, ProviderReply reply) {
        String downloadUrl = Json.text(task, "download_url");
        if (downloadUrl == null || downloadUrl.isBlank()) {
            return HttpReplies.badResponse(reply, "Closient task completed without a download_url");
        }
        String expiresAt = Json.text(task, "expires_at");
        // the bundle's file name is the signed URL's last path segment; a URL that is not a URI has none
        String name = ResultFile.lastPathSegment(downloadUrl, null);
        ObjectNode result = ResultFile.resultWith(List.of(
                new ResultFile(downloadUrl, name, "application/zip", null, null, null, expiresAt)));
        JsonNode items = task.get("items");
        if (items != null && items.isIntegralNumber()) {
            result.put("items", items.asInt());
        } else {
            result.putNull("items");
        }
        result.put("expiresAt", expiresAt);
        result.put("downloadUrl", downloadUrl);
        return PollOutcome.completed(result, reply.body());
    }

    /** {@code {"error": {"code", "message", "status", "details"}}} as "CODE: message". */
    @Override
    protected String errorMessage(JsonNode body) {
        JsonNode error = body.get("error");
        if (error == null || !error.isObject()) {
            return Json.text(body, "error");
        }
        return HttpReplies.codeAndMessage(error);
    }
}
