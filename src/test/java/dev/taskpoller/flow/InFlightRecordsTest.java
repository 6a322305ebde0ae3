package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.InFlightValue;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The writes of the in-flight topic (accept in submit.yaml; the event as published, in the event's transaction, the
 * task's end once the outbox has it, and its tombstone once the end has been remembered for
 * taskpoller.ingest.finished-ttl, in publish.yaml), as the compacted topic keeps them for a restart to read: the
 * task's key, its values in order, no headers of the exchange: only the published record carries one, its own
 * marker, which lets the instance that wrote it skip parsing it when it reads it back live.
 */
class InFlightRecordsTest extends TaskpollerTestSupport {

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.ingest.finished-ttl", "2s");
        return p;
    }

    @Test
    void aFinishedTaskLeavesItsAcceptedRecordItsPublishedRecordItsEndAndItsTombstoneInThatOrderWithoutTheExchangesHeaders() throws Exception {
        String taskId = newTaskId("scan-documents");
        String key = "scan-documents/" + taskId;
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 2));
        submit(request("scan-documents", taskId, "order-7"));
        events("completed", 1);

        List<ConsumerRecord<String, String>> records = inFlightRecordsOf(key, 4);
        assertEquals(4, records.size(), records.toString());
        JsonNode accepted = Json.parse(records.get(0).value()).orElseThrow();
        assertEquals(taskId, accepted.get("taskId").asText());
        assertFalse(accepted.has("decided"), records.get(0).value());
        JsonNode published = Json.parse(records.get(1).value()).orElseThrow().get("decided");
        assertEquals("completed", published.get("outcome").asText(), records.get(1).value());
        assertTrue(published.get("published").asBoolean(), records.get(1).value());
        assertEquals(events("completed", 1).get(0), published.get("event"), "the event as published, held as JSON");
        JsonNode ended = Json.parse(records.get(2).value()).orElseThrow();
        assertEquals(accepted.get("origin"), ended.get("origin"), "the end names the input: " + records.get(2).value());
        assertFalse(ended.has("decided"), "the event is no longer kept: " + records.get(2).value());
        assertTrue(Instant.parse(ended.get("ended").asText()).isAfter(Instant.parse(accepted.get("acceptedAt").asText())));
        assertNull(records.get(3).value(), "then a tombstone: the key with no value");
        assertEquals(0, records.get(0).headers().toArray().length, "headers on " + records.get(0));
        assertEquals(List.of(InFlightValue.PUBLISHED_HEADER), Arrays.stream(records.get(1).headers().toArray())
                .map(Header::key).toList(), "headers on " + records.get(1));
        assertEquals(List.of(InFlightValue.ENDED_HEADER), Arrays.stream(records.get(2).headers().toArray())
                .map(Header::key).toList(), "headers on " + records.get(2));
        assertEquals(0, records.get(3).headers().toArray().length, "headers on " + records.get(3));
    }
}
