package dev.taskpoller.provider.shoplazza;

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
import dev.taskpoller.provider.TaskError;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Shoplazza's "Get Upload File Task" ({@code GET /openapi/{version}/file/task/{task_id}}, header {@code Access-Token}).
 *
 * <p>Both documented shapes are read whatever version is called: the plain task object of 2022-01 and 2025-06's
 * {@code {"code": "Success", "data": {...}}}. A 2xx carrying any other {@code code} is an answer we cannot read, so it
 * is a retryable {@code bad_response} rather than a guess at a terminal state.
 *
 * <p>{@code status} 1 is "in progress". Only 0 is documented as terminal; any other value stays {@code RUNNING} so
 * an undocumented state is never mistaken for an ending (the engine's per-task deadline ends it). What status 0 means
 * for the task is decided in {@link ShoplazzaUploadResult}.
 *
 * <p>Shoplazza answers bad credentials with a 400 (documented next to "backend failure" and "missing task id"), so a
 * 400 whose message names the store or the credentials is {@code unauthorized}, not a generic {@code bad_request}.
 */
public final class ShoplazzaAdapter extends SingleTaskAdapter {

    public static final String NAME = "shoplazza-upload";
    /** The API version the status path names unless configured otherwise; 2022-01 is the documented one. */
    public static final String DEFAULT_API_VERSION = "2022-01";

    private static final TaskIdFormat TASK_IDS = TaskIdFormat.uuid("a Shoplazza upload task id is a UUID (8-4-4-4-12 hex digits)");
    private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}");
    private static final List<String> CREDENTIAL_HINTS =
            List.of("store is not active", "credential", "access token", "access-token", "unauthorized");

    private final String apiVersion;

    /** The constructor {@link java.util.ServiceLoader} uses. */
    public ShoplazzaAdapter() {
        this(DEFAULT_API_VERSION);
    }

    public ShoplazzaAdapter(String apiVersion) {
        super(NAME, TASK_IDS);
        if (apiVersion == null || !VERSION.matcher(apiVersion).matches()) {
            throw new IllegalArgumentException("Shoplazza API version must look like 2022-01, got " + apiVersion);
        }
        this.apiVersion = apiVersion;
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        return jsonGet(endpoint, "/openapi/" + apiVersion + "/file/task/" + ProviderAdapter.onlyTaskId(taskIds), "Access-Token");
    }

    @Override
    protected PollOutcome errorOutcome(ProviderReply reply, String message) {
        if (reply.status() == 400 && namesCredentials(message)) {
            return PollOutcome.failed(new TaskError(TaskError.UNAUTHORIZED, message, 400), null, reply.body());
        }
        return super.errorOutcome(reply, message);
    }

    @Override
    protected String notAnObject(String taskId) {
        return "Shoplazza answered something that is not a JSON object";
    }

    @Override
    protected PollOutcome readTask(String taskId, JsonNode task, ProviderReply reply) {
        if (task.has("code")) {
            String code = Json.text(task, "code");
            if (!"Success".equals(code)) {
                return HttpReplies.badResponse(reply, "Shoplazza answered code " + errorMessage(task));
            }
            task = task.get("data");
            if (task == null || !task.isObject()) {
                return HttpReplies.badResponse(reply, "Shoplazza answered code Success without a data object");
            }
        }
        JsonNode status = task.get("status");
        if (status == null || !status.isIntegralNumber()) {
            return HttpReplies.badResponse(reply, "Shoplazza task has no integer status");
        }
        return status.asLong() == 0 ? ShoplazzaUploadResult.of(task, reply) : PollOutcome.running(reply.body());
    }

    /** Shoplazza's error bodies: {@code {"error": "..."}}, {@code {"errors": [...]}} or 2025-06's code/message. */
    @Override
    protected String errorMessage(JsonNode body) {
        String error = Json.text(body, "error");
        if (error != null) {
            return error;
        }
        JsonNode errors = body.get("errors");
        if (errors != null && errors.isArray()) {
            return StreamSupport.stream(errors.spliterator(), false)
                    .map(item -> item.isValueNode() ? item.asText() : item.toString())
                    .collect(Collectors.joining("; "));
        }
        if (errors != null && !errors.isNull()) {
            return errors.isValueNode() ? errors.asText() : errors.toString();
        }
        return HttpReplies.codeAndMessage(body);
    }

    private static boolean namesCredentials(String message) {
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return CREDENTIAL_HINTS.stream().anyMatch(lower::contains);
    }
}
