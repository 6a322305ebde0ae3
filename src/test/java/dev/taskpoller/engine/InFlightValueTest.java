package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InFlightValueTest {

    private static final JsonNode METADATA = Json.parse("{\"order\":\"o-1\"}").orElseThrow();
    private static final TaskRequest REQUEST = new TaskRequest("closient-bulk-qr", "task_0000000000000001", "c-1",
            METADATA, Instant.parse("2026-11-24T03:00:00.123Z"), "inbox:tasks.jsonl");

    @Test
    void aDecidedValueKeepsTheEventByteForByteAndLeavesTheMetadataToIt() throws Exception {
        // spacing, number spelling and escapes a re-serialisation would change
        String event = "{ \"id\" : \"e-1\", \"data\":{\"n\":1.50,\"big\":1E+2,\"text\":\"\\u00e9\\t\\\"q\\\"\"}}";

        InFlightValue value = InFlightValue.read(InFlightValue.decidedRecord(REQUEST, "completed", event));

        assertEquals(event, value.decided().event());
        assertEquals("completed", value.decided().outcome());
        assertEquals(REQUEST.key(), value.request().key());
        assertEquals(REQUEST.correlationId(), value.request().correlationId());
        assertEquals(REQUEST.acceptedAt(), value.request().acceptedAt());
        assertTrue(value.request().metadata() == null || value.request().metadata().isNull(), "the event carries it");
    }

    @Test
    void aPublishedValueHoldsTheEventAsJsonAndGivesItBackByteForByte() throws Exception {
        String event = "{ \"id\" : \"e-1\", \"data\":{\"n\":1.50,\"big\":1E+2,\"text\":\"\\u00e9\\t\\\"q\\\"}\",\"x\":[{}]}}";

        String record = InFlightValue.publishedRecord(REQUEST, "failed", event);
        InFlightValue value = InFlightValue.read(record);

        assertTrue(record.contains("\"event\":" + event), "not escaped into a string: " + record);
        assertEquals(event, value.decided().event());
        assertEquals("failed", value.decided().outcome());
        assertTrue(value.decided().published());
        assertEquals(REQUEST.key(), value.request().key());
    }

    @Test
    void anAcceptedTaskHasNoDecidedEventAndKeepsItsMetadata() throws Exception {
        InFlightValue value = InFlightValue.read(Json.write(REQUEST));

        assertNull(value.decided());
        assertEquals(REQUEST, value.request());
    }

    @Test
    void aDecidedEventWithoutItsJsonIsUnreadableRatherThanPolledAgain() {
        assertThrows(IllegalArgumentException.class, () -> InFlightValue.read(
                "{\"provider\":\"closient-bulk-qr\",\"taskId\":\"t\",\"decided\":{\"outcome\":\"completed\"}}"));
        assertThrows(IllegalArgumentException.class, () -> InFlightValue.read("[1]"));
    }

    @Test
    void anEventIsMadeSmallEnoughToBeKeptInItsInFlightRecordAsWell() {
        TrackedTask task = new TrackedTask(REQUEST, 0);
        String answer = "[" + "\"a\",".repeat(4_400) + "\"a\"]";
        Instant at = Instant.parse("2026-11-24T03:00:05Z");
        String whole = new EventFactory(new RecordLimit(1_000_000)).completed(task, PollOutcome.completed(null, answer), at).json();
        // one byte short for the in-flight record that holds the whole event and its request; the event's own record,
        // smaller by that request, fits
        RecordLimit limit = new RecordLimit(new RecordLimit(0).sizeOf(REQUEST.key(),
                InFlightValue.publishedRecord(REQUEST, "completed", whole), InFlightValue.PUBLISHED) - 1);

        TerminalEvent event = new EventFactory(limit).completed(task, PollOutcome.completed(null, answer), at);

        assertTrue(limit.fits(event.key(), InFlightValue.publishedRecord(REQUEST, event.outcome(), event.json()),
                InFlightValue.PUBLISHED), "the published record of the event fits");
        assertEquals("[\"providerResponse\"]", Json.parse(event.json()).orElseThrow().path("data").path("omitted").toString());
    }
}
