package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A task's input read again after the task ended (a file read again after a crash, a request delivered again) is
 * passed over, not polled again: the task's end stays in the in-flight topic as an ended record for
 * {@code taskpoller.ingest.finished-ttl}. When the input reaches the in-flight topic anyway (read by another instance,
 * or before a restart's rebuild had read the end), the owner does not poll it and writes its end again.
 */
class InputReadAgainTest extends TaskpollerTestSupport {

    @Test
    void theAcceptedRecordOfATaskThatEndedWrittenAgainFromTheSameInputIsNotPolledAndItsEndIsWrittenAgain() throws Exception {
        String taskId = newTaskId("scan-documents");
        String key = "scan-documents/" + taskId;
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 2));
        submit(request("scan-documents", taskId, "order-7"));
        List<ConsumerRecord<String, String>> written = inFlightRecordsOf(key, 3);
        assertTrue(Json.parse(written.get(2).value()).orElseThrow().has("ended"), "its end: " + written.get(2).value());

        // its input read again, as another instance would write it
        TestKafka.send(topic("inflight"), key, written.get(0).value());

        List<ConsumerRecord<String, String>> after = inFlightRecordsOf(key, 5);
        assertEquals(written.get(2).value(), after.get(4).value(), "the same end written again after the input read again");
        assertAfterABarrierTask(sims.scanDocuments, taskId, newTaskId("scan-documents"), true);
        assertEquals(1, records("completed", 1).stream().filter(r -> r.key().equals(key)).count(), "one event");
    }
}
