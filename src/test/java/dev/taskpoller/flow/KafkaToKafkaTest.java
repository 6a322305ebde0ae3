package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaToKafkaTest extends TaskpollerTestSupport {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"acedata-qrart", "scan-documents", "shoplazza-upload", "closient-bulk-qr"})
    void aRequestOnTheTopicEndsAsOneCompletedCloudEventWithEveryField(String provider) {
        String taskId = newTaskId(provider);
        sims.of(provider).addTask(SimulatedTask.completing(taskId, 3));

        submit("{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\",\"correlationId\":\"order-42\","
                + "\"metadata\":{\"customer\":\"c-7\",\"priority\":2}}");

        List<ConsumerRecord<String, String>> records = records("completed", 1);
        assertEquals(1, records.size(), "exactly one completed event");
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals(provider + "/" + taskId, record.key());
        Header contentType = record.headers().lastHeader("content-type");
        assertEquals("application/cloudevents+json", new String(contentType.value()));
        for (Header header : record.headers()) {
            String value = new String(header.value());
            assertFalse(value.contains(sims.of(provider).apiKey()), "the API key leaked into header " + header.key());
        }
        assertFalse(record.value().contains(sims.of(provider).apiKey()), "the API key leaked into the event");

        JsonNode event = events("completed", 1).get(0);
        assertEquals("1.0", event.get("specversion").asText());
        assertEquals(EventFactory.eventId(provider, taskId, "completed"), event.get("id").asText());
        assertEquals("taskpoller/" + provider, event.get("source").asText());
        assertEquals("taskpoller.task.completed", event.get("type").asText());
        assertEquals(taskId, event.get("subject").asText());
        assertEquals("application/json", event.get("datacontenttype").asText());
        Instant time = Instant.parse(event.get("time").asText());

        JsonNode data = event.get("data");
        assertEquals(provider, data.get("provider").asText());
        assertEquals(taskId, data.get("taskId").asText());
        assertEquals("completed", data.get("status").asText());
        assertEquals("order-42", data.get("correlationId").asText());
        assertEquals("c-7", data.get("metadata").get("customer").asText());
        assertEquals(2, data.get("metadata").get("priority").asInt());
        assertEquals(3, data.get("attempts").asInt(), "three polls: queued, running, completed");
        Instant accepted = Instant.parse(data.get("acceptedAt").asText());
        Instant finished = Instant.parse(data.get("finishedAt").asText());
        Instant observed = Instant.parse(data.get("observedAt").asText());
        assertEquals(time, finished, "the event's time is when the task finished");
        assertFalse(finished.isAfter(observed), "finished (the provider's instant where it says one) " + finished
                + ", then seen by taskpoller " + observed);
        assertTrue(accepted.isBefore(observed));
        assertTrue(data.get("error").isNull());
        assertTrue(data.get("result").get("files").isArray());
        assertTrue(data.get("result").get("files").size() >= 1, "a completed task of every provider has files: " + data);
        assertTrue(data.get("providerResponse").isObject(), "the last raw body is carried: " + data);
        assertEquals(3, sims.of(provider).pollsOf(taskId));
        assertEquals(0, records("failed", 0).size());
    }

    static String newTaskId(String provider) {
        String uuid = UUID.randomUUID().toString();
        return provider.equals("scan-documents") ? "task_" + uuid.replace("-", "").substring(0, 16) : uuid;
    }
}
