package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Input caps raised above the Kafka record limit, as an operator might: every record taskpoller writes is still
 * measured before it is sent, and one that could never be written is never retried.
 */
class KafkaRecordLimitTest extends TaskpollerTestSupport {

    private static final int RECORD_LIMIT = 100_000;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.input.max-request-bytes", "300000");
        p.put("taskpoller.input.max-metadata-bytes", "300000");
        p.put("taskpoller.kafka.max-record-bytes", String.valueOf(RECORD_LIMIT));
        return p;
    }

    @Test
    void aTaskWhoseInFlightRecordCannotFitIsRejectedOnceAndCanBeSentAgainSmaller() {
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 1));
        submit(withMetadataOf("scan-documents", taskId, 150_000));

        List<ConsumerRecord<String, String>> rejected = records("rejected", 1);
        assertEquals(1, rejected.size());
        JsonNode rejection = Json.parse(rejected.get(0).value()).orElseThrow();
        assertEquals("too_large", rejection.get("reason").asText());
        assertTrue(rejection.get("message").asText().contains("taskpoller.kafka.max-record-bytes"), rejection.toString());

        submit(request("scan-documents", taskId, "smaller"));
        assertEquals("smaller", events("completed", 1).get(0).get("data").get("correlationId").asText());
        assertEquals(1, records("rejected", 1).size(), "the first attempt was rejected once, not retried");
    }

    @Test
    void anEventThatWouldNotFitLeavesOutItsBulkiestPartsAndSaysWhich() {
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 1));
        submit(withMetadataOf("scan-documents", taskId, 99_000));

        ConsumerRecord<String, String> record = records("completed", 1).get(0);
        assertTrue(record.value().getBytes(StandardCharsets.UTF_8).length < RECORD_LIMIT);
        JsonNode data = Json.parse(record.value()).orElseThrow().get("data");
        assertEquals(taskId, data.get("taskId").asText());
        assertEquals("completed", data.get("status").asText());
        // the bulkiest and least needed parts go first, and only as many as needed
        String omitted = data.get("omitted").toString();
        assertTrue(List.of("[\"providerResponse\"]", "[\"providerResponse\",\"result\"]",
                "[\"providerResponse\",\"result\",\"metadata\"]").contains(omitted), omitted);
        data.get("omitted").forEach(field -> assertTrue(data.get(field.asText()).isNull(), field + " is left out"));
    }

    private static String withMetadataOf(String provider, String taskId, int bytes) {
        return "{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\",\"metadata\":{\"blob\":\"" + "m".repeat(bytes) + "\"}}";
    }
}
