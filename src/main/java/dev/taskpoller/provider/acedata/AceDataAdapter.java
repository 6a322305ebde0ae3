package dev.taskpoller.provider.acedata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.TaskIdFormat;
import dev.taskpoller.provider.TaskError;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AceData Cloud's Artistic QR tasks API ({@code POST /qrart/tasks}), whose {@code retrieve_batch} action lets many
 * in-flight tasks share one request.
 *
 * <p>There is no status field: a task without {@code response} is still running (inferred from AceData's own
 * front-end model). A batch answer silently leaves out ids the provider does not know (inferred), so an id missing
 * from a well-formed batch answer is failed as {@code not_found} — the same verdict a single {@code retrieve} of it
 * would get (404). Because that is terminal it is only given when the answer is self-consistent: when {@code count}
 * disagrees with the number of items the answer may be cut short, and missing ids get a retryable
 * {@code bad_response} instead.
 */
public final class AceDataAdapter implements ProviderAdapter {

    private static final TaskIdFormat TASK_IDS = TaskIdFormat.uuid("an AceData task id is a UUID (8-4-4-4-12 hex digits)");
    private static final String TOKEN_MISMATCHED = "token_mismatched";

    @Override
    public String name() {
        return "acedata-qrart";
    }

    @Override
    public Optional<String> checkTaskId(String taskId) {
        return TASK_IDS.check(taskId);
    }

    @Override
    public int maxBatchSize() {
        return 50;
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        ObjectNode body = Json.object();
        if (taskIds.size() == 1) {
            body.put("id", taskIds.get(0)).put("action", "retrieve");
        } else {
            taskIds.forEach(body.putArray("ids")::add);
            body.put("action", "retrieve_batch");
        }
        Map<String, String> headers = Map.of(
                "accept", "application/json",
                "content-type", "application/json",
                "authorization", "Bearer " + endpoint.apiKey());
        return StatusCall.postJson(endpoint.url("/qrart/tasks"), headers, Json.write(body));
    }

    @Override
    public Map<String, PollOutcome> interpret(List<String> taskIds, ProviderReply reply) {
        Optional<PollOutcome> error = classifyError(reply);
        if (error.isPresent()) {
            return HttpReplies.sameForAll(taskIds, error.get());
        }
        Optional<JsonNode> body = Json.parse(reply.body()).filter(JsonNode::isObject);
        if (body.isEmpty()) {
            return HttpReplies.sameForAll(taskIds, HttpReplies.badResponse(reply, "not a JSON object"));
        }
        return taskIds.size() == 1
                ? Map.of(taskIds.get(0), single(taskIds.get(0), body.get(), reply, reply.body()))
                : batch(taskIds, body.get(), reply);
    }

    private static Optional<PollOutcome> classifyError(ProviderReply reply) {
        JsonNode error = Json.parse(reply.body()).map(body -> body.get("error")).orElse(null);
        String code = Json.text(error, "code");
        Optional<PollOutcome> outcome = HttpReplies.classifyError(reply, HttpReplies.codeAndMessage(error));
        // AceData answers a token that does not belong to this API with 400, but it is a credential problem.
        if (outcome.isPresent() && reply.status() == 400 && TOKEN_MISMATCHED.equals(code)) {
            TaskError unauthorized = new TaskError(TaskError.UNAUTHORIZED, outcome.get().error().message(), 400);
            return Optional.of(PollOutcome.failed(unauthorized, null, reply.body()));
        }
        return outcome;
    }

    private Map<String, PollOutcome> batch(List<String> taskIds, JsonNode body, ProviderReply reply) {
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            return HttpReplies.sameForAll(taskIds, HttpReplies.badResponse(reply, "retrieve_batch answer without items"));
        }
        Map<String, JsonNode> byId = new HashMap<>();
        items.forEach(item -> {
            String id = Json.text(item, "id");
            if (id != null) {
                byId.putIfAbsent(id, item);
            }
        });
        Integer count = Json.integer(body, "count");
        boolean complete = count == null || count == items.size();
        Map<String, PollOutcome> outcomes = new LinkedHashMap<>();
        for (String id : taskIds) {
            JsonNode item = byId.get(id);
            if (item != null) {
                outcomes.put(id, single(id, item, reply, Json.write(item)));
            } else if (complete) {
                TaskError missing = new TaskError(TaskError.NOT_FOUND, "not in retrieve_batch answer", reply.status());
                outcomes.put(id, PollOutcome.failed(missing, null, reply.body()));
            } else {
                outcomes.put(id, HttpReplies.badResponse(reply, "retrieve_batch answer count " + count
                        + " disagrees with its " + items.size() + " items"));
            }
        }
        return outcomes;
    }

    /** One task object; {@code raw} is what this task's outcome carries as the provider's response. */
    private static PollOutcome single(String id, JsonNode task, ProviderReply reply, String raw) {
        // Checking the id keeps an unexpected object (say, an error envelope sent with 200) from passing as "running".
        if (!task.isObject() || !id.equals(Json.text(task, "id"))) {
            return HttpReplies.badResponse(reply, "not the task object of " + id, raw);
        }
        JsonNode response = task.get("response");
        if (response == null || response.isNull()) {
            return PollOutcome.running(raw);
        }
        JsonNode success = response.get("success");
        if (!response.isObject() || success == null || !success.isBoolean()) {
            return HttpReplies.badResponse(reply, "task response without a boolean success", raw);
        }
        if (!success.booleanValue()) {
            String message = HttpReplies.codeAndMessage(response.get("error"));
            return PollOutcome.failed(new TaskError(TaskError.PROVIDER_FAILED,
                    message == null ? "task failed" : message, null), null, raw);
        }
        return AceDataResult.of(task, response)
                .map(result -> PollOutcome.completed(result, raw))
                .orElseGet(() -> HttpReplies.badResponse(reply, "successful task response without image_url", raw));
    }
}
