package dev.taskpoller.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.text.Excerpt;
import dev.taskpoller.text.Unicode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the CloudEvents 1.0 event that ends a task with the CloudEvents Java SDK, written in its structured JSON
 * format ({@code data} a JSON object), small enough to be published: an event over the Kafka record limit would fail
 * on every retry and its task would never end.
 */
public final class EventFactory {

    public static final String CONTENT_TYPE = "application/cloudevents+json";
    private static final Logger LOG = LoggerFactory.getLogger(EventFactory.class);
    private static final Header CONTENT_TYPE_HEADER = new RecordHeader("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    /** A provider's error message is quoted, not carried whole: it is the provider's text, of any length. */
    private static final int MAX_ERROR_MESSAGE = 2000;
    /** What an event gives up, in this order, when it would not fit in a record: the bulkiest and least needed first. */
    private static final List<String> OMITTABLE = List.of("providerResponse", "result", "metadata");
    /**
     * The SDK's structured JSON format on taskpoller's own mapper: a provider's numbers keep their digits, and the
     * text is written as a String, so that {@link dev.taskpoller.text.Unicode#wellFormed} can mend what has no UTF-8 form.
     */
    private static final ObjectMapper EVENT_WRITER = Json.MAPPER.copy().registerModule(JsonFormat.getCloudEventJacksonModule());

    private final RecordLimit limit;

    public EventFactory(RecordLimit limit) {
        this.limit = limit;
    }

    /**
     * The event id depends only on the task's key and the outcome, so the event published again after a crash has
     * the same id and consumers can drop the repeat.
     */
    public static String eventId(String provider, String taskId, String outcome) {
        return UUID.nameUUIDFromBytes((TaskRequest.keyOf(provider, taskId) + "/" + outcome).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public TerminalEvent completed(TrackedTask task, PollOutcome outcome, Instant finishedAt) {
        return build(task, "completed", outcome, null, finishedAt);
    }

    public TerminalEvent failed(TrackedTask task, PollOutcome last, TaskError error, Instant finishedAt) {
        return build(task, "failed", last, error, finishedAt);
    }

    /** A task cancelled on request: failed, reason {@code cancelled}, naming where the cancel came from. */
    public TerminalEvent cancelled(TrackedTask task, InFlightControl cancel, Instant at) {
        return failed(task, null, new TaskError(TaskError.CANCELLED, "cancelled on request (" + cancel.request().origin()
                + ")", null), at);
    }

    /**
     * {@code observedAt}: when taskpoller saw the answer that ended the task (or decided its end itself). The event's
     * {@code time} and {@code data.finishedAt} are the provider's own instant where its answer says one (a definition's
     * {@code finishedAt}), else that one.
     */
    private TerminalEvent build(TrackedTask task, String status, PollOutcome outcome, TaskError error, Instant observedAt) {
        TaskRequest request = task.request();
        Instant finishedAt = outcome != null && outcome.finishedAt() != null ? outcome.finishedAt() : observedAt;
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId(eventId(request.provider(), request.taskId(), status))
                .withSource(URI.create("taskpoller/" + request.provider()))
                .withType("taskpoller.task." + status)
                .withSubject(request.taskId())
                .withTime(finishedAt.atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json");
        ObjectNode data = Json.object();
        data.put("provider", request.provider());
        data.put("taskId", request.taskId());
        data.put("status", status);
        data.put("correlationId", request.correlationId());
        data.set("metadata", request.metadata());
        data.put("attempts", task.attempts());
        data.put("acceptedAt", request.acceptedAt().toString());
        data.put("finishedAt", finishedAt.toString());
        data.put("observedAt", observedAt.toString());
        data.set("result", outcome == null ? null : outcome.result());
        data.set("error", error == null ? null : Json.MAPPER.valueToTree(new TaskError(error.reason(),
                Excerpt.of(error.message(), MAX_ERROR_MESSAGE), error.httpStatus())));
        String raw = outcome == null ? null : outcome.providerResponse();
        data.set("providerResponse", raw == null ? null : Json.parse(raw).orElseGet(() -> Json.MAPPER.getNodeFactory().textNode(raw)));
        return new TerminalEvent(request.key(), request.provider(), status, fitting(event, data, request, status), task,
                error == null ? null : error.reason(), outcome == null ? null : outcome.finishedAt());
    }

    private static String write(CloudEventBuilder event, ObjectNode data) {
        CloudEvent built = event.withData(JsonCloudEventData.wrap(data)).build();
        try {
            return Unicode.wellFormed(EVENT_WRITER.writeValueAsString(built));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the event " + built.getId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The event as JSON, with its bulkiest optional parts left out (and named in {@code data.omitted}) until it fits,
     * both as its own record and inside the task's in-flight record, where it is kept until the outbox has it.
     */
    private String fitting(CloudEventBuilder event, ObjectNode data, TaskRequest request, String status) {
        String key = request.key();
        String json = write(event, data);
        ArrayNode omitted = null;
        for (String field : OMITTABLE) {
            if (limit.fits(key, json, CONTENT_TYPE_HEADER) && limit.fits(key, InFlightValue.publishedRecord(request, status, json), InFlightValue.PUBLISHED)) {
                break;
            }
            if (data.hasNonNull(field)) {
                if (omitted == null) {
                    omitted = data.putArray("omitted");
                }
                data.putNull(field);
                omitted.add(field);
                json = write(event, data);
            }
        }
        if (omitted != null) {
            LOG.debug("The event of {} left out {} to fit in {} bytes", Excerpt.forLog(key), omitted, limit.maxBytes());
        }
        return json;
    }
}
