package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.engine.InFlightLog;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.ingest.SubmitReply;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class CancelTest extends TaskpollerTestSupport {

    private static final String PROVIDER = "scan-documents";

    @Test
    void aCancelOnTheCancelTopicStopsPollingAndPublishesOneFailedEventWithReasonCancelled() throws Exception {
        String taskId = pollingScanDocumentsTask();

        TestKafka.send(topic("cancel"), PROVIDER + "/" + taskId, request(PROVIDER, taskId, null));

        JsonNode event = events("failed", 1).get(0);
        assertCancelled(event, taskId);
        assertTrue(event.at("/data/error/message").asText().contains("kafka:" + topic("cancel")),
                "the event names where the cancel came from: " + event);
        assertNoMorePollsNorEvents(taskId, 1);
    }

    @Test
    void aCancelThroughTheEndpointIsRecordedAndEndsTheTaskCancelled() throws Exception {
        String taskId = pollingScanDocumentsTask();

        Exchange reply = template.request("direct:taskpoller-cancel",
                exchange -> exchange.getMessage().setBody(request(PROVIDER, taskId, null)));

        assertEquals("accepted", reply.getMessage().getHeader(SubmitReply.OUTCOME));
        assertEquals(taskId, assertInstanceOf(TaskRequest.class, reply.getMessage().getBody()).taskId());
        assertCancelled(events("failed", 1).get(0), taskId);
        assertNoMorePollsNorEvents(taskId, 1);
    }

    @Test
    void cancellingATaskNotInFlightIsARejectionSayingSoAndPublishesNoEvent() throws Exception {
        String unknown = newTaskId(PROVIDER);
        String finished = newTaskId(PROVIDER);
        sims.scanDocuments.addTask(SimulatedTask.completing(finished, 1));
        submit(request(PROVIDER, finished, null));
        events("completed", 1);

        template.requestBody("direct:taskpoller-cancel", request(PROVIDER, unknown, null));
        TestKafka.send(topic("cancel"), PROVIDER + "/" + finished, request(PROVIDER, finished, null));

        List<JsonNode> rejected = events("rejected", 2);
        assertEquals(2, rejected.size(), "one rejection per cancel: " + rejected);
        for (JsonNode rejection : rejected) {
            assertEquals(Rejection.NOT_IN_FLIGHT, rejection.get("reason").asText());
            assertEquals(PROVIDER, rejection.get("provider").asText());
        }
        assertEquals(Set.of(unknown, finished), Set.of(
                parse(rejected.get(0).get("input").asText()).get("taskId").asText(),
                parse(rejected.get(1).get("input").asText()).get("taskId").asText()));
        assertEquals(0, records("failed", 0).size(), "no event for a cancel refused");
        assertControlRecordsRemoved(2);
    }

    @Test
    void anUnreadableCancelIsRejectedWithItsReasonAtOnce() {
        Object reply = template.requestBody("direct:taskpoller-cancel", "{\"provider\":\"scan-documents\"}");

        Rejection rejection = assertInstanceOf(Rejection.class, reply);
        assertEquals(Rejection.MISSING_TASK_ID, rejection.reason());
        assertEquals(Rejection.MISSING_TASK_ID, events("rejected", 1).get(0).get("reason").asText());
    }

    @Test
    void aCancelReceivedByTheInstanceThatDoesNotOwnTheTaskIsActedOnByItsOwnerOnce() throws Exception {
        CamelContext second = anotherInstance();
        try {
            awaitSharedPartitions(second);
            InFlightTasks firstTasks = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
            InFlightTasks secondTasks = second.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
            String taskId = newTaskId(PROVIDER);
            sims.scanDocuments.addTask(SimulatedTask.neverEnding(taskId));
            submit(request(PROVIDER, taskId, null));
            String key = PROVIDER + "/" + taskId;
            awaitTrue(() -> firstTasks.get(key) != null || secondTasks.get(key) != null, "the task is in flight");
            ProducerTemplate notOwner = firstTasks.get(key) != null ? second.createProducerTemplate() : template;

            Object reply = notOwner.requestBody("direct:taskpoller-cancel", request(PROVIDER, taskId, null));

            assertInstanceOf(TaskRequest.class, reply);
            assertCancelled(events("failed", 1).get(0), taskId);
            awaitTrue(() -> firstTasks.get(key) == null && secondTasks.get(key) == null, "the task is no longer in flight");
            assertNoMorePollsNorEvents(taskId, 1);
            assertEquals(0, records("rejected", 0).size(), "the owner acted on it; nobody refused it");
        } finally {
            second.stop();
        }
    }

    @Test
    void aCancelRecordedWhileItsOwnerIsDownIsActedOnWhenTheTaskIsRebuilt() throws Exception {
        String taskId = pollingScanDocumentsTask();
        String key = PROVIDER + "/" + taskId;
        InFlightLog log = context.getRegistry().lookupByNameAndType("taskpollerInFlightLog", InFlightLog.class);
        int partition = log.partitionOf(key);
        context.stop();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic("inflight"), partition, "control:" + key,
                    log.cancel(new TaskRequest(PROVIDER, taskId, null, null, null, "test:owner-down")).json())).get();
        }

        CamelContext restarted = anotherInstance();
        try {
            JsonNode event = events("failed", 1).get(0);
            assertCancelled(event, taskId);
            assertTrue(event.at("/data/error/message").asText().contains("test:owner-down"), event.toString());
            assertControlRecordsRemoved(1);
            assertEquals(0, records("rejected", 0).size(), "the rebuilt task was cancelled, not refused");
        } finally {
            restarted.stop();
        }
    }

    private static void assertCancelled(JsonNode event, String taskId) {
        assertEquals(EventFactory.eventId(PROVIDER, taskId, "failed"), event.get("id").asText());
        assertEquals(taskId, event.at("/data/taskId").asText());
        assertEquals("failed", event.at("/data/status").asText());
        assertEquals("cancelled", event.at("/data/error/reason").asText());
    }

    /**
     * Once a second task has gone from acceptance to its event (later than any poll left over of the cancelled task),
     * the cancelled task was polled no more and has its one event, and its control record is gone.
     */
    private void assertNoMorePollsNorEvents(String taskId, int failedEvents) throws InterruptedException {
        awaitTrue(() -> inFlightRecords().stream().anyMatch(r -> r.key().equals("control:" + PROVIDER + "/" + taskId)
                && r.value() == null), "the cancel record is removed");
        int polls = sims.scanDocuments.pollsOf(taskId);
        String later = newTaskId(PROVIDER);
        sims.scanDocuments.addTask(SimulatedTask.completing(later, 3));
        submit(request(PROVIDER, later, null));
        events("completed", 1);
        assertEquals(polls, sims.scanDocuments.pollsOf(taskId), "no poll after the cancel was acted on");
        assertEquals(failedEvents, records("failed", 0).size(), "one event for the cancelled task");
    }

    private void assertControlRecordsRemoved(int count) throws InterruptedException {
        awaitTrue(() -> inFlightRecords().stream().filter(r -> r.key().startsWith("control:") && r.value() == null)
                .count() == count, count + " control records removed");
    }

    private List<ConsumerRecord<String, String>> inFlightRecords() {
        return TestKafka.readAll(topic("inflight"), 0, Duration.ofMillis(500));
    }

    private static JsonNode parse(String text) {
        return Json.parse(text).orElseThrow();
    }
}
