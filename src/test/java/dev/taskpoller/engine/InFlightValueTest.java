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
        RecordLimit limit = new RecordLimit(20_000);
        TrackedTask task = new TrackedTask(REQUEST, 0);
        // quotes cost twice inside the in-flight record: this answer fits in an event record, not in the in-flight one
        String answer = "[" + "\"a\",".repeat(4_400) + "\"a\"]";
        assertTrue(limit.fits(REQUEST.key(), "{\"providerResponse\":" + answer + "}"));

        TerminalEvent event = new EventFactory(limit).completed(task, PollOutcome.completed(null, answer), Instant.now());

        assertTrue(limit.fits(event.key(), InFlightValue.decidedRecord(REQUEST, event.outcome(), event.json())),
                "the decided record of the event fits");
        assertEquals("[\"providerResponse\"]", Json.parse(event.json()).orElseThrow().path("data").path("omitted").toString());
    }
}
