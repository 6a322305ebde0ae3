package dev.taskpoller.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.TaskError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Builds the canonical CloudEvents 1.0 (structured JSON) event that ends a task. */
public final class EventFactory {

    public static final String CONTENT_TYPE = "application/cloudevents+json";

    private EventFactory() {
    }

    /**
     * The event id depends only on provider, task id and outcome, so the event published again after a crash has
     * the same id and consumers can drop the repeat.
     */
    public static String eventId(String provider, String taskId, String outcome) {
        return UUID.nameUUIDFromBytes((provider + "/" + taskId + "/" + outcome).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static TerminalEvent completed(TrackedTask task, PollOutcome outcome, Instant finishedAt) {
        return build(task, "completed", outcome, null, finishedAt);
    }

    public static TerminalEvent failed(TrackedTask task, PollOutcome last, TaskError error, Instant finishedAt) {
        return build(task, "failed", last, error, finishedAt);
    }

    private static TerminalEvent build(TrackedTask task, String status, PollOutcome outcome, TaskError error, Instant finishedAt) {
        TaskRequest request = task.request();
        ObjectNode event = Json.object();
        event.put("specversion", "1.0");
        event.put("id", eventId(request.provider(), request.taskId(), status));
        event.put("source", "taskpoller/" + request.provider());
        event.put("type", "taskpoller.task." + status);
        event.put("subject", request.taskId());
        event.put("time", finishedAt.toString());
        event.put("datacontenttype", "application/json");
        ObjectNode data = event.putObject("data");
        data.put("provider", request.provider());
        data.put("taskId", request.taskId());
        data.put("status", status);
        data.put("correlationId", request.correlationId());
        data.set("metadata", request.metadata());
        data.put("attempts", task.attempts());
        data.put("acceptedAt", request.acceptedAt().toString());
        data.put("finishedAt", finishedAt.toString());
        data.set("result", outcome == null ? null : outcome.result());
        data.set("error", error == null ? null : Json.MAPPER.valueToTree(error));
        String raw = task.lastResponse();
        data.set("providerResponse", raw == null ? null : Json.parse(raw).orElseGet(() -> Json.MAPPER.getNodeFactory().textNode(raw)));
        return new TerminalEvent(request.key(), request.provider(), status, Json.write(event), task);
    }
}
