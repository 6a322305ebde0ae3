package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.TaskError;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The events' JSON on the wire as consumers had it when taskpoller wrote them by hand (the expected texts below), now
 * that the CloudEvents SDK writes them: {@code data} byte for byte, the same attributes with the same values; only the
 * attributes' order and the digits of {@code time} are the SDK's ({@code datacontenttype} before {@code subject},
 * trailing zeros of the fraction of a second dropped: the same instant), and {@code data.observedAt} follows
 * {@code data.finishedAt}.
 */
class EventJsonTest {

    private static final Instant ACCEPTED = Instant.parse("2026-11-24T06:00:00.123Z");
    private static final Instant FINISHED = Instant.parse("2026-11-24T06:01:02.456Z");
    /** A time whose milliseconds end in zero: written {@code .45Z} by the SDK where it was {@code .450Z}. */
    private static final Instant FINISHED_ROUND = Instant.parse("2026-11-24T06:01:02.450Z");
    private static final RecordLimit ROOMY = new RecordLimit(1_048_576);

    private static TrackedTask task(String provider, String taskId, int attempts) {
        ObjectNode metadata = Json.object().put("customer", "c-42");
        metadata.putArray("tags").add("a").add(1);
        TrackedTask task = new TrackedTask(new TaskRequest(provider, taskId, "corr-1", metadata, ACCEPTED,
                "kafka:taskpoller.requests/0/7"), 0);
        for (int i = 0; i < attempts; i++) {
            task.countAttempt();
        }
        return task;
    }

    @Test
    void aCompletedEventIsWrittenAsBefore() {
        String response = "{\"status\":\"done\",\"score\":1720497708.318,\"url\":\"https://example.test/r?a=1&b=\\u00e9\"}";
        PollOutcome done = PollOutcome.completed(Json.parse(response).orElseThrow(), response);

        TerminalEvent event = new EventFactory(ROOMY).completed(task("scan-documents", "task_abc123", 3), done, FINISHED);

        assertSameEvent("{\"specversion\":\"1.0\",\"id\":\"" + EventFactory.eventId("scan-documents", "task_abc123", "completed")
                + "\",\"source\":\"taskpoller/scan-documents\",\"type\":\"taskpoller.task.completed\",\"subject\":\"task_abc123\","
                + "\"time\":\"2026-11-24T06:01:02.456Z\",\"datacontenttype\":\"application/json\",\"data\":{"
                + "\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\",\"status\":\"completed\",\"correlationId\":\"corr-1\","
                + "\"metadata\":{\"customer\":\"c-42\",\"tags\":[\"a\",1]},\"attempts\":3,"
                + "\"acceptedAt\":\"2026-11-24T06:00:00.123Z\",\"finishedAt\":\"2026-11-24T06:01:02.456Z\",\"observedAt\":\"2026-11-24T06:01:02.456Z\","
                + "\"result\":{\"status\":\"done\",\"score\":1720497708.318,\"url\":\"https://example.test/r?a=1&b=é\"},"
                + "\"error\":null,"
                + "\"providerResponse\":{\"status\":\"done\",\"score\":1720497708.318,\"url\":\"https://example.test/r?a=1&b=é\"}}}",
                event.json());
        assertEquals("completed", event.outcome());
        assertEquals("scan-documents/task_abc123", event.key());
    }

    @Test
    void aFailedEventIsWrittenAsBefore() {
        PollOutcome last = PollOutcome.failed(new TaskError(TaskError.PROVIDER_FAILED, "bad scan", 200), null,
                "not json <\ud800>");

        TerminalEvent event = new EventFactory(ROOMY).failed(task("acedata-qrart", "42", 1), last,
                new TaskError(TaskError.PROVIDER_FAILED, "the provider said: bad \"scan\"\n", 200), FINISHED_ROUND);

        assertSameEvent("{\"specversion\":\"1.0\",\"id\":\"" + EventFactory.eventId("acedata-qrart", "42", "failed")
                + "\",\"source\":\"taskpoller/acedata-qrart\",\"type\":\"taskpoller.task.failed\",\"subject\":\"42\","
                + "\"time\":\"2026-11-24T06:01:02.450Z\",\"datacontenttype\":\"application/json\",\"data\":{"
                + "\"provider\":\"acedata-qrart\",\"taskId\":\"42\",\"status\":\"failed\",\"correlationId\":\"corr-1\","
                + "\"metadata\":{\"customer\":\"c-42\",\"tags\":[\"a\",1]},\"attempts\":1,"
                + "\"acceptedAt\":\"2026-11-24T06:00:00.123Z\",\"finishedAt\":\"2026-11-24T06:01:02.450Z\",\"observedAt\":\"2026-11-24T06:01:02.450Z\","
                + "\"result\":null,"
                + "\"error\":{\"reason\":\"provider_failed\",\"message\":\"the provider said: bad \\\"scan\\\"\\n\",\"httpStatus\":200},"
                + "\"providerResponse\":\"not json <\uFFFD>\"}}",
                event.json());
        assertEquals("failed", event.outcome());
    }

    @Test
    void anEventTooLargeForARecordLeavesOutItsBulkiestPartsAsBefore() {
        String response = "{\"blob\":\"" + "x".repeat(3_000) + "\"}";
        PollOutcome done = PollOutcome.completed(Json.parse("{\"ok\":true}").orElseThrow(), response);

        TerminalEvent event = new EventFactory(new RecordLimit(1_500)).completed(task("scan-documents", "task_big", 2), done, FINISHED);

        assertSameEvent("{\"specversion\":\"1.0\",\"id\":\"" + EventFactory.eventId("scan-documents", "task_big", "completed")
                + "\",\"source\":\"taskpoller/scan-documents\",\"type\":\"taskpoller.task.completed\",\"subject\":\"task_big\","
                + "\"time\":\"2026-11-24T06:01:02.456Z\",\"datacontenttype\":\"application/json\",\"data\":{"
                + "\"provider\":\"scan-documents\",\"taskId\":\"task_big\",\"status\":\"completed\",\"correlationId\":\"corr-1\","
                + "\"metadata\":{\"customer\":\"c-42\",\"tags\":[\"a\",1]},\"attempts\":2,"
                + "\"acceptedAt\":\"2026-11-24T06:00:00.123Z\",\"finishedAt\":\"2026-11-24T06:01:02.456Z\",\"observedAt\":\"2026-11-24T06:01:02.456Z\","
                + "\"result\":{\"ok\":true},\"error\":null,\"providerResponse\":null,\"omitted\":[\"providerResponse\"]}}",
                event.json());
    }

    @Test
    void anEventOfAProviderThatSaysWhenItsTaskFinishedIsTimedByTheProviderAndSaysWhenTaskpollerSawIt() {
        Instant byProvider = Instant.parse("2026-11-24T05:59:58Z");
        PollOutcome done = PollOutcome.completed(Json.parse("{\"ok\":true}").orElseThrow(), "{}").finishedAt(byProvider);

        TerminalEvent event = new EventFactory(ROOMY).completed(task("scan-documents", "task_abc123", 3), done, FINISHED);

        JsonNode written = Json.parse(event.json()).orElseThrow();
        assertEquals(byProvider, Instant.parse(written.get("time").asText()));
        assertEquals(byProvider, Instant.parse(written.get("data").get("finishedAt").asText()));
        assertEquals(FINISHED, Instant.parse(written.get("data").get("observedAt").asText()));
        assertEquals(byProvider, event.providerFinishedAt());
    }

    /** The event as it was written before, but for the order of its attributes and the digits of its time. */
    private static void assertSameEvent(String before, String now) {
        String dataBefore = before.substring(before.indexOf(",\"data\":"));
        assertTrue(now.endsWith(dataBefore), () -> "data as before: " + dataBefore + "\nnow: " + now);
        ObjectNode attributesBefore = attributes(before);
        ObjectNode attributesNow = attributes(now);
        assertEquals(Instant.parse(attributesBefore.remove("time").asText()), Instant.parse(attributesNow.remove("time").asText()));
        assertEquals(attributesBefore, attributesNow);
    }

    private static ObjectNode attributes(String event) {
        JsonNode tree = Json.parse(event).orElseThrow();
        ObjectNode attributes = ((ObjectNode) tree).deepCopy();
        attributes.remove("data");
        return attributes;
    }
}
