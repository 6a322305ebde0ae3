package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A completed topic whose own limit (max.message.bytes) is below an event taskpoller measured as fitting, as an
 * operator's cluster may have it: the broker refuses that event inside a publishing transaction. The transaction is
 * aborted and published again without it: that task gets one rejection in its event's place, the tasks finishing
 * with it get their events, each visible once to a read_committed consumer.
 */
class BrokerEventLimitTest extends TaskpollerTestSupport {

    /** Above the publishing producer's batch size (256 KB), so that a refused batch holds one record, not several. */
    private static final int BROKER_LIMIT = 270_000;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.input.max-request-bytes", "400000");
        p.put("taskpoller.input.max-metadata-bytes", "400000");
        return p;
    }

    @Override
    protected void doPreSetup() {
        super.doPreSetup();
        TestKafka.createTopic(topic("completed"), Map.of("max.message.bytes", String.valueOf(BROKER_LIMIT)));
    }

    @Test
    void anEventTheBrokerRefusesAsTooLargeBecomesOneRejectionAndTheOthersOfItsBatchArePublishedOnce() throws Exception {
        String before = newTaskId("scan-documents");
        String large = newTaskId("scan-documents");
        String after = newTaskId("scan-documents");
        // all three finish at their first poll, so that they are decided together and usually share a batch
        for (String id : List.of(before, large, after)) {
            sims.scanDocuments.addTask(SimulatedTask.completing(id, 1));
        }
        TestKafka.sendAll(topic("requests"), List.of(request("scan-documents", before, null),
                "{\"provider\":\"scan-documents\",\"taskId\":\"" + large + "\",\"metadata\":{\"blob\":\""
                        + "m".repeat(BROKER_LIMIT + 20_000) + "\"}}",
                request("scan-documents", after, null)));

        List<ConsumerRecord<String, String>> rejected = records("rejected", 1);
        assertEquals(1, rejected.size(), "rejected once");
        JsonNode rejection = Json.parse(rejected.get(0).value()).orElseThrow();
        assertEquals("too_large", rejection.get("reason").asText(), rejection.toString());
        assertTrue(rejection.toString().contains(large), rejection.toString());

        List<JsonNode> completed = TestKafka.readAll(topic("completed"), 2, WAIT).stream()
                .map(record -> Json.parse(record.value()).orElseThrow()).toList();
        assertEquals(List.of(), TestKafka.readAll(topic("rejected"), 2, Duration.ofSeconds(3)).stream().skip(1)
                .map(ConsumerRecord::value).toList(), "no second rejection");
        assertEquals(2, completed.size(), "one event each, none for the refused task: " + completed);
        assertEquals(Set.of(before, after), completed.stream().map(event -> event.path("data").path("taskId").asText())
                .collect(Collectors.toSet()));
        InFlightTasks inFlight = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
        awaitTrue(() -> inFlight.size() == 0, "all three tasks ended");
    }
}
