package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.InFlightValue;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.LogCapture;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * A terminal event, once published, is the task's event for good: it is kept in the task's in-flight record
 * (committed with the event), so a crash before the task's end writes that very event to the outbox (same id,
 * same JSON) instead of asking the provider, whose answer may have changed meanwhile, and without publishing it
 * again. A record of an older version that decided an event before publishing it gets that event published as it
 * was. Publishing is a stage of its own: an event that cannot be written yet waits there, holding neither the status
 * calls nor sending its task back to the provider.
 *
 * <p>The context starts only inside each test, so that a test can first leave the in-flight topic as a crashed
 * instance would have left it.
 */
class DecidedEventsTest extends TaskpollerTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        // one status call at a time: a call thread held by publishing would stop the provider's polling altogether
        p.put("taskpoller.provider.scan-documents.max-concurrent", "1");
        return p;
    }

    @Test
    void anEventDecidedBeforeACrashIsPublishedAsItWasWithoutAskingTheProviderAgain() throws Exception {
        // what the provider answers now differs from what it answered before the crash: a freshly signed link, and
        // a task that has meanwhile expired (a failure now, a completion then)
        String closientId = newTaskId("closient-bulk-qr");
        String scanId = newTaskId("scan-documents");
        sims.closient.addTask(SimulatedTask.completing(closientId, 1));
        sims.scanDocuments.addTask(SimulatedTask.failing(scanId, 1, "expired after its retention"));
        // as the crashed instance left them: decided and recorded, maybe published, not ended yet
        Map<String, String> stored = Map.of(
                "closient-bulk-qr/" + closientId, decidedBeforeTheCrash("closient-bulk-qr", closientId),
                "scan-documents/" + scanId, decidedBeforeTheCrash("scan-documents", scanId));
        stored.forEach((key, event) -> TestKafka.send(topic("inflight"), key, InFlightValue.decidedRecord(
                requestOf(key), "completed", event)));

        context.start();
        String controlId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(controlId, 2));
        submit(request("scan-documents", controlId, "control"));

        List<ConsumerRecord<String, String>> completed = records("completed", 3);
        Map<String, List<String>> byKey = completed.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
        stored.forEach((key, event) -> assertEquals(List.of(event), byKey.get(key),
                key + ": its stored event, byte for byte, once"));
        assertTrue(byKey.containsKey("scan-documents/" + controlId), "the polling loop runs: " + byKey.keySet());
        assertEquals(0, sims.closient.pollsOf(closientId), "the provider was not asked again");
        assertEquals(0, sims.scanDocuments.pollsOf(scanId), "the provider was not asked again");
        assertEquals(List.of(), records("failed", 0), "no other event for the same tasks");

        awaitEnds(stored.keySet());
        List<JsonNode> outbox = Outbox.await(dataDir.resolve("outbox").resolve("completed"), 3, WAIT);
        stored.forEach((key, event) -> assertEquals(1, outbox.stream().filter(e -> e.toString()
                .equals(Json.parse(event).orElseThrow().toString())).count(), key + " in the outbox, once, as stored"));
    }

    @Test
    void anEventPublishedBeforeACrashGoesToTheOutboxAndEndsItsTaskWithoutBeingPublishedAgain() throws Exception {
        String closientId = newTaskId("closient-bulk-qr");
        sims.closient.addTask(SimulatedTask.failing(closientId, 1, "expired after its retention"));
        String key = "closient-bulk-qr/" + closientId;
        String event = decidedBeforeTheCrash("closient-bulk-qr", closientId);
        // as the crashed instance committed them: the event in its topic and in the task's record, no outbox line
        TestKafka.send(topic("completed"), key, event);
        TestKafka.send(topic("inflight"), key, InFlightValue.publishedRecord(requestOf(key), "completed", event));

        context.start();
        List<JsonNode> outbox = Outbox.await(dataDir.resolve("outbox").resolve("completed"), 1, WAIT);
        assertEquals(List.of(Json.parse(event).orElseThrow()), outbox, "its outbox line, as published");
        awaitEnds(Set.of(key));
        assertEquals(List.of(event), records("completed", 1).stream().map(ConsumerRecord::value).toList(),
                "in its topic once: not published again");
        assertEquals(0, sims.closient.pollsOf(closientId), "the provider was not asked again");
        assertEquals(List.of(), records("failed", 0), "no other event for the task");
    }

    @Test
    void anEventThatCannotBePublishedYetWaitsWithoutHoldingTheStatusCallsOrAskingTheProviderAgain() throws Exception {
        // the outbox's completed folder cannot be created while a file stands in its place: every event waits there
        Path completedDir = dataDir.resolve("outbox").resolve("completed");
        Files.createDirectories(completedDir.getParent());
        Files.writeString(completedDir, "not a folder");
        LogCapture log = LogCapture.open();
        context.start();

        String keptPolling = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.neverEnding(keptPolling));
        submit(request("scan-documents", keptPolling, null));
        List<String> finishing = List.of(newTaskId("scan-documents"), newTaskId("scan-documents"), newTaskId("scan-documents"));
        finishing.forEach(id -> {
            sims.scanDocuments.addTask(SimulatedTask.completing(id, 1));
            submit(request("scan-documents", id, null));
        });
        // published to the topic (the step before the outbox), then stuck at the outbox, and the batches after it
        // wait in the publishing queue
        assertFalse(records("completed", 1).isEmpty());
        Map<String, Integer> pollsWhenDecided = finishing.stream().collect(Collectors.toMap(id -> id, sims.scanDocuments::pollsOf));
        try (log) {
            await("the warning that publishing fails and is retried", () -> log.atLeast(Level.WARN).stream()
                    .anyMatch(event -> LogCapture.text(event).startsWith("Publishing a batch of")));
        }

        int before = sims.scanDocuments.pollsOf(keptPolling);
        await("the other task to be polled 10 more times while the events wait",
                () -> sims.scanDocuments.pollsOf(keptPolling) >= before + 10);
        finishing.forEach(id -> assertEquals(pollsWhenDecided.get(id), sims.scanDocuments.pollsOf(id),
                id + ": its event is decided, its task is not polled again while the event waits"));
        assertTrue(Files.isRegularFile(completedDir), "nothing could be written to the outbox yet");

        Files.delete(completedDir);
        List<JsonNode> outbox = Outbox.await(completedDir, 3, WAIT);
        assertEquals(finishing.stream().map(id -> EventFactory.eventId("scan-documents", id, "completed")).collect(Collectors.toSet()),
                outbox.stream().map(e -> e.path("id").asText()).collect(Collectors.toSet()));
        assertEquals(3, outbox.size(), "each once: " + outbox);
        awaitEnds(finishing.stream().map(id -> "scan-documents/" + id).collect(Collectors.toSet()));
        assertEquals(3, records("completed", 3).size(), "the topic got each event once: the retries did not repeat it");
        finishing.forEach(id -> assertEquals(pollsWhenDecided.get(id), sims.scanDocuments.pollsOf(id)));
        InFlightTasks inFlight = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
        finishing.forEach(id -> assertNull(inFlight.get("scan-documents/" + id), id + " is finished"));
    }

    /** An event as an earlier instance decided it: its fields as EventFactory writes them, its link signed then. */
    private static String decidedBeforeTheCrash(String provider, String taskId) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + EventFactory.eventId(provider, taskId, "completed") + "\","
                + "\"source\":\"taskpoller/" + provider + "\",\"type\":\"taskpoller.task.completed\",\"subject\":\""
                + taskId + "\",\"time\":\"2026-11-24T03:00:01.5Z\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\",\"status\":\"completed\","
                + "\"correlationId\":\"before-the-crash\",\"metadata\":null,\"attempts\":3,"
                + "\"acceptedAt\":\"2026-11-24T03:00:00Z\",\"finishedAt\":\"2026-11-24T03:00:01.5Z\","
                + "\"result\":{\"download_url\":\"https://files.example/" + taskId + "?sig=signed-before-the-crash\"},"
                + "\"error\":null,\"providerResponse\":null}}";
    }

    private static TaskRequest requestOf(String key) {
        String[] parts = key.split("/", 2);
        return new TaskRequest(parts[0], parts[1], "before-the-crash", null, Instant.parse("2026-11-24T03:00:00Z"), "test");
    }

    /** Waits for the end of each key's task: a further restart has nothing left to publish for them. */
    private void awaitEnds(Set<String> keys) throws InterruptedException {
        await("the ends of " + keys, () -> TestKafka.endedKeys(TestKafka.readAll(topic("inflight"), 0, WAIT)).containsAll(keys));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                fail("still waiting after " + WAIT.toSeconds() + " s for " + what);
            }
            Thread.sleep(100);
        }
    }
}
