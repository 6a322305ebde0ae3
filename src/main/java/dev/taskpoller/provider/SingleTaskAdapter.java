package dev.taskpoller.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider without a batch status call: one task id per call, answered by one JSON object. This class reads the
 * reply the way all such providers share — a non-2xx is classified by {@link HttpReplies#classifyError} with the
 * message taken from the provider's error body, a 2xx that is not a JSON object is a {@code bad_response} — and hands
 * the task object to {@link #readTask}, where each adapter maps its provider's fields.
 */
public abstract class SingleTaskAdapter implements ProviderAdapter {

    private final String name;
    private final TaskIdFormat taskIds;

    /** {@code name} as in {@link #name()}; {@code taskIds} the shape {@link #checkTaskId} lets through. */
    protected SingleTaskAdapter(String name, TaskIdFormat taskIds) {
        this.name = name;
        this.taskIds = taskIds;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Optional<String> checkTaskId(String taskId) {
        return taskIds.check(taskId);
    }

    @Override
    public final Map<String, PollOutcome> interpret(List<String> taskIds, ProviderReply reply) {
        String taskId = ProviderAdapter.onlyTaskId(taskIds);
        return Map.of(taskId, read(taskId, reply));
    }

    private PollOutcome read(String taskId, ProviderReply reply) {
        Optional<JsonNode> body = Json.parse(reply.body());
        if (!reply.isSuccess()) {
            return errorOutcome(reply, body.map(this::errorMessage).orElse(null));
        }
        if (body.isEmpty() || !body.get().isObject()) {
            return HttpReplies.badResponse(reply, notAnObject(taskId));
        }
        return readTask(taskId, body.get(), reply);
    }

    /** The outcome of a 2xx reply whose body is a JSON object: the provider's task, or a shape it does not know. */
    protected abstract PollOutcome readTask(String taskId, JsonNode body, ProviderReply reply);

    /** The message in the provider's error body (any JSON, not only an object), or null when it has none. */
    protected abstract String errorMessage(JsonNode body);

    /** The {@code bad_response} message for a 2xx whose body is not a JSON object. */
    protected abstract String notAnObject(String taskId);

    /** The outcome of a non-2xx reply; override to read a provider's own conventions before the shared ones. */
    protected PollOutcome errorOutcome(ProviderReply reply, String providerMessage) {
        return HttpReplies.classifyError(reply, providerMessage).orElseThrow();
    }

    /** A GET of {@code path} asking for JSON, with the endpoint's key (empty when it has none) in {@code keyHeader}. */
    protected static StatusCall jsonGet(ProviderEndpoint endpoint, String path, String keyHeader) {
        return StatusCall.get(endpoint.url(path), Map.of(
                keyHeader, Objects.requireNonNullElse(endpoint.apiKey(), ""),
                "accept", "application/json"));
    }
}
