package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ValidationTest extends TaskpollerTestSupport {

    @Test
    void everyKindOfBadInputIsRejectedWithItsReasonAndNeverPolled() {
        String tooLong = "task_" + "a".repeat(300);
        List<String> bad = List.of(
                "this is not json",
                "[\"an\", \"array\"]",
                "{\"taskId\": \"task_abc\"}",
                "{\"provider\": \"fax-machine\", \"taskId\": \"42\"}",
                "{\"provider\": \"scan-documents\"}",
                "{\"provider\": \"scan-documents\", \"taskId\": \"" + tooLong + "\"}",
                "{\"provider\": \"scan-documents\", \"taskId\": \"TASK-NOT-VALID\"}",
                "{\"provider\": \"closient-bulk-qr\", \"taskId\": \"00000000-0000-1000-8000-000000000000\"}",
                "{\"provider\": \"acedata-qrart\", \"taskId\": \"e2c65b20\"}",
                "{\"provider\": \"shoplazza-upload\", \"taskId\": \"" + newTaskId("shoplazza-upload") + "\", \"metadata\": 7}");
        bad.forEach(this::submit);

        List<JsonNode> rejected = events("rejected", bad.size());
        assertEquals(bad.size(), rejected.size());
        Map<String, Integer> reasons = new TreeMap<>();
        for (JsonNode record : rejected) {
            reasons.merge(record.get("reason").asText(), 1, Integer::sum);
            assertTrue(record.get("message").asText().length() > 3, "a message that says why: " + record);
            assertTrue(record.get("origin").asText().startsWith("kafka:" + topic("requests") + "/"), record.toString());
            assertTrue(record.get("input").asText().length() <= 1024, "input is truncated");
            assertTrue(record.hasNonNull("time"));
        }
        assertEquals(new TreeMap<>(Map.of(
                "malformed_input", 3,
                "missing_provider", 1,
                "unknown_provider", 1,
                "missing_task_id", 1,
                "task_id_too_long", 1,
                "invalid_task_id", 3)), reasons);
        assertEquals(0, sims.all().stream().mapToInt(sim -> sim.requestCount()).sum(), "nothing rejected is polled");
    }

    @Test
    void aDuplicateSubmissionIsPolledOnceAndReportedAsDuplicate() {
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 4));

        submit(request("scan-documents", taskId, "first"));
        submit(request("scan-documents", taskId, "second"));
        List<JsonNode> completed = events("completed", 1);
        assertEquals(1, completed.size());
        assertEquals("first", completed.get(0).get("data").get("correlationId").asText());
        List<JsonNode> rejected = events("rejected", 1);
        assertEquals(1, rejected.size());
        assertEquals("duplicate", rejected.get(0).get("reason").asText());
        assertEquals(4, sims.scanDocuments.pollsOf(taskId), "polled as one task, not two");
    }
}
