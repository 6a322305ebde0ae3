package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * An in-flight topic whose own limit (max.message.bytes) is below taskpoller's max-record-bytes (1 MB), as an
 * operator's cluster may have it: the broker refuses the record of a task taskpoller measured as fitting. That refusal is as
 * permanent as taskpoller's own, so the task is rejected once, and the tasks written with it are accepted.
 */
class BrokerRecordLimitTest extends TaskpollerTestSupport {

    /** At least the producer's batch size (64 KB): below it, Kafka's producer splits a refused batch for ever. */
    private static final int BROKER_LIMIT = 100_000;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.input.max-request-bytes", "300000");
        p.put("taskpoller.input.max-metadata-bytes", "300000");
        return p;
    }

    @Override
    protected void doPreSetup() {
        super.doPreSetup();
        TestKafka.createTopic(topic("inflight"), Map.of("cleanup.policy", "compact", "max.message.bytes", String.valueOf(BROKER_LIMIT)));
    }

    @Test
    void aTaskTheBrokerRefusesAsTooLargeIsRejectedOnceAndTheTasksWrittenWithItAreAccepted() {
        String before = newTaskId("scan-documents");
        String large = newTaskId("scan-documents");
        String after = newTaskId("scan-documents");
        for (String id : List.of(before, large, after)) {
            sims.scanDocuments.addTask(SimulatedTask.completing(id, 1));
        }
        TestKafka.sendAll(topic("requests"), List.of(request("scan-documents", before, null),
                "{\"provider\":\"scan-documents\",\"taskId\":\"" + large + "\",\"metadata\":{\"blob\":\""
                        + "m".repeat(BROKER_LIMIT + BROKER_LIMIT / 2) + "\"}}",
                request("scan-documents", after, null)));

        Set<String> completed = events("completed", 2).stream().map(event -> event.get("data").get("taskId").asText())
                .collect(Collectors.toSet());
        assertEquals(Set.of(before, after), completed);
        List<ConsumerRecord<String, String>> rejected = records("rejected", 1);
        assertEquals(1, rejected.size(), "rejected once, not read again and again");
        JsonNode rejection = Json.parse(rejected.get(0).value()).orElseThrow();
        assertEquals("too_large", rejection.get("reason").asText());
        assertTrue(rejection.get("input").asText().contains(large), rejection.toString());
        assertTrue(rejection.get("message").asText().startsWith("the task cannot be recorded"), rejection.toString());
    }
}
