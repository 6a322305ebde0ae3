package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Requests over the input caps (taskpoller.input.*, at their defaults) are rejected once, and block nothing. */
class OversizedRequestsTest extends TaskpollerTestSupport {

    /** One under the test producer's 1 MiB record limit: the broker takes it, so taskpoller must deal with it. */
    private static final int EDGE_BYTES = 1_048_450;

    @Test
    void oversizedRequestsAreRejectedOnceWhileValidRequestsInEveryPartitionFlow() {
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String taskId = newTaskId("scan-documents");
            sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 1));
            valid.add(taskId);
        }
        TestKafka.send(topic("requests"), "huge-provider", "{\"provider\":\"" + "p".repeat(900_000) + "\",\"taskId\":\"task_abc\"}");
        TestKafka.send(topic("requests"), "edge", requestOfExactly(EDGE_BYTES));
        for (int i = 0; i < valid.size(); i++) {
            // keys spread the valid requests over every partition, behind and beside the big ones
            TestKafka.send(topic("requests"), "valid-" + i, request("scan-documents", valid.get(i), null));
        }

        List<JsonNode> completed = events("completed", valid.size());
        Set<String> done = new HashSet<>();
        completed.forEach(event -> done.add(event.get("subject").asText()));
        assertEquals(new HashSet<>(valid), done);

        List<ConsumerRecord<String, String>> rejected = records("rejected", 2);
        assertEquals(2, rejected.size(), "each rejected once, never redelivered: " + rejected);
        for (ConsumerRecord<String, String> record : rejected) {
            assertTrue(record.value().contains("\"reason\":\"too_large\""), record.value());
            assertTrue(record.value().getBytes(StandardCharsets.UTF_8).length < 8_192,
                    "a rejected record is small whatever the input: " + record.value().length());
        }
        assertTrue(rejected.stream().anyMatch(r -> r.value().contains("has " + EDGE_BYTES + " bytes, at most 65536")));
        assertEquals(0, records("inflight", 0).stream().filter(r -> r.key().contains("task_abc")).count());
    }

    @Test
    void aTaskSentInUpperCaseAfterItsLowerCaseFormIsADuplicate() {
        String taskId = newTaskId("acedata-qrart");
        sims.aceData.addTask(SimulatedTask.neverEnding(taskId));
        submit(request("acedata-qrart", taskId, "lower"));
        submit(request("acedata-qrart", taskId.toUpperCase(), "upper"));

        JsonNode rejected = events("rejected", 1).get(0);
        assertEquals("duplicate", rejected.get("reason").asText());
        assertTrue(rejected.get("input").asText().contains(taskId.toUpperCase()), "the id as it was sent");
    }

    /** A valid Scan Documents request of exactly {@code bytes} bytes, its metadata holding the bulk. */
    private static String requestOfExactly(int bytes) {
        String head = "{\"provider\":\"scan-documents\",\"taskId\":\"task_edge\",\"metadata\":{\"blob\":\"";
        String tail = "\"}}";
        String json = head + "b".repeat(bytes - head.length() - tail.length()) + tail;
        assertEquals(bytes, json.getBytes(StandardCharsets.UTF_8).length);
        return json;
    }
}
