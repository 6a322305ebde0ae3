package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.ChildJvmTestSupport;
import dev.taskpoller.support.InboxFolders;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The durability promise at process level, in the default mode (no brokers configured, so the application starts its
 * embedded KRaft broker with its data on disk): the real application runs as a child JVM, is killed with SIGKILL while
 * its tasks are being polled, and is started again on the same configuration and data. Every task accepted before
 * the kill must reach its terminal event after the restart; a repeat (same id) is allowed, a loss is not.
 *
 * <p>Nothing here depends on timing for correctness: until the kill the provider answers every task as queued (so no
 * task can finish before the kill, whatever the machine's speed), and only while the process is dead does the
 * provider finish the jobs. Timing only bounds how long the test waits.
 */
class ProcessKillTest extends ChildJvmTestSupport {

    /**
     * Bound on each wait. A restart after a kill takes long (about 50 s here): the embedded broker's new incarnation
     * can register only once the controller gives up the killed one (~13 s), and the in-flight consumer group assigns
     * its partitions only once the killed member's session has timed out (Kafka's default 45 s).
     */
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int SCAN_TASKS = 10;
    private static final int ACEDATA_TASKS = 3;


    @Test
    void tasksAcceptedBeforeAKill9FinishAfterTheRestartWithoutLoss() throws Exception {
        Map<String, String> providerOf = new LinkedHashMap<>();
        for (int i = 0; i < SCAN_TASKS; i++) {
            providerOf.put(newTaskId("scan-documents"), "scan-documents");
        }
        for (int i = 0; i < ACEDATA_TASKS; i++) {
            providerOf.put(newTaskId("acedata-qrart"), "acedata-qrart");
        }
        // Until the kill the provider keeps every job queued: no task can finish before it.
        providerOf.forEach((id, provider) -> sims.of(provider).addTask(SimulatedTask.neverEnding(id)));

        int kafkaPort = freePort();
        Path config = writeConfig(kafkaPort);
        Path inbox = dir.resolve("inbox");
        Path completedDir = dir.resolve("outbox").resolve("completed");

        long t0 = System.nanoTime();
        Process first = launch("first", config);
        Files.createDirectories(inbox);
        StringBuilder lines = new StringBuilder();
        providerOf.forEach((id, provider) -> lines.append("{\"provider\":\"").append(provider).append("\",\"taskId\":\"")
                .append(id).append("\",\"correlationId\":\"c-").append(id).append("\"}\n"));
        Path temp = inbox.resolve(".tasks.jsonl.tmp");
        Files.writeString(temp, lines.toString());
        Files.move(temp, inbox.resolve("tasks.jsonl"));

        // .done/ = every line durably written to the in-flight topic
        await("the inbox file to be accepted (moved to .done/)", first, "first",
                () -> InboxFolders.moved(inbox, ".done", "tasks.jsonl").size() == 1);
        // every task is in the polling loop, and each has been polled at least once
        await("every task to be polled at least once", first, "first",
                () -> providerOf.entrySet().stream().allMatch(e -> sims.of(e.getValue()).pollsOf(e.getKey()) > 0));

        report("first process: tasks accepted and polled", t0);
        Instant killedAt = Instant.now();
        first.destroyForcibly();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first process did not die");
        assertEquals(128 + 9, first.exitValue(), "killed by SIGKILL, not stopped gracefully" + jvm.tail("first"));
        assertEquals(List.of(), completedEvents(completedDir), "nothing can have finished before the kill");
        Map<String, Integer> pollsBeforeKill = new HashMap<>();
        providerOf.forEach((id, provider) -> pollsBeforeKill.put(id, sims.of(provider).pollsOf(id)));

        // While taskpoller is down the provider finishes the jobs: each answers completed at its 3rd poll from now.
        providerOf.forEach((id, provider) -> sims.of(provider).addTask(SimulatedTask.completing(id, 3)));

        long t1 = System.nanoTime();
        Process second = launch("second", config);
        await("a completed event for every task in the outbox", second, "second",
                () -> completedEvents(completedDir).stream().map(e -> e.path("subject").asText())
                        .collect(Collectors.toSet()).containsAll(providerOf.keySet()));
        report("second process: every task completed", t1);

        List<JsonNode> outbox = completedEvents(completedDir);
        assertEveryTaskCompletedOnceOrRepeated(providerOf, outbox, killedAt, "outbox");
        assertTrue(InboxFolders.moved(inbox, ".done", "tasks.jsonl").size() == 1 && !Files.exists(inbox.resolve("tasks.jsonl")),
                "the input was not read again: the tasks came back from the in-flight topic");
        providerOf.forEach((id, provider) -> assertTrue(sims.of(provider).pollsOf(id) >= 3,
                id + " polled again after the restart (before the kill: " + pollsBeforeKill.get(id) + ")"));

        // the same on the completed topic of the embedded broker, still running inside the second process
        List<JsonNode> topic = readTopic("127.0.0.1:" + kafkaPort, "taskpoller.completed", providerOf);
        assertEveryTaskCompletedOnceOrRepeated(providerOf, topic, killedAt, "topic taskpoller.completed");
        assertTrue(second.isAlive(), "the second process is still running" + jvm.tail("second"));
    }

    private void assertEveryTaskCompletedOnceOrRepeated(Map<String, String> providerOf, List<JsonNode> events,
            Instant killedAt, String where) {
        Map<String, List<JsonNode>> bySubject = events.stream()
                .collect(Collectors.groupingBy(e -> e.path("subject").asText(), TreeMap::new, Collectors.toList()));
        assertEquals(providerOf.keySet(), bySubject.keySet(), where + ": one subject per submitted task, no more, no less");
        bySubject.forEach((taskId, sameTask) -> {
            String provider = providerOf.get(taskId);
            Set<String> ids = sameTask.stream().map(e -> e.path("id").asText()).collect(Collectors.toSet());
            assertEquals(Set.of(EventFactory.eventId(provider, taskId, "completed")), ids,
                    where + ": every event of " + taskId + " has the same id (a repeat, never a new event)");
            for (JsonNode event : sameTask) {
                assertEquals("taskpoller.task.completed", event.path("type").asText(), where + ": " + event);
                assertEquals("taskpoller/" + provider, event.path("source").asText(), where + ": " + event);
                JsonNode data = event.path("data");
                assertEquals("completed", data.path("status").asText(), where + ": " + event);
                assertEquals("c-" + taskId, data.path("correlationId").asText(), where + ": " + event);
                assertTrue(Instant.parse(data.path("acceptedAt").asText()).isBefore(killedAt),
                        where + ": accepted by the first process, carried over by the in-flight topic: " + event);
            }
        });
    }

    /** The complete lines of the outbox's completed JSON Lines files (a line being appended is left for later). */
    private static List<JsonNode> completedEvents(Path completedDir) {
        return Outbox.events(completedDir);
    }

    /** Every record of a topic, from the beginning to its end, once it holds an event for every task. */
    private List<JsonNode> readTopic(String brokers, String topic, Map<String, String> providerOf) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Set<String> keys = providerOf.entrySet().stream().map(e -> e.getValue() + "/" + e.getKey()).collect(Collectors.toSet());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long until = System.nanoTime() + WAIT.toNanos();
            while (true) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                boolean atEnd = partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
                boolean all = records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(keys);
                if (atEnd && all) {
                    break;
                }
                if (System.nanoTime() > until) {
                    fail("the topic " + topic + " lacks events: has " + records.size() + " records" + jvm.tail("second"));
                }
            }
            for (ConsumerRecord<String, String> record : records) {
                JsonNode event = Json.parse(record.value()).orElseThrow(() -> new AssertionError("not JSON: " + record.value()));
                String provider = providerOf.getOrDefault(event.path("subject").asText(), "?");
                assertEquals(provider + "/" + event.path("subject").asText(), record.key(), "the record key names the task");
            }
            return records.stream().map(r -> Json.parse(r.value()).orElseThrow()).toList();
        }
    }

    private Path writeConfig(int kafkaPort) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        TaskpollerTestSupport.fastSetup(sims, dir).forEach((key, value) -> p.put((String) key, (String) value));
        p.put("taskpoller.kafka.brokers", "");
        p.put("taskpoller.kafka.embedded.data-dir", dir.resolve("kafka").toString());
        p.put("taskpoller.kafka.embedded.port", String.valueOf(kafkaPort));
        p.put("taskpoller.poll.initial-delay", "200ms");
        p.put("taskpoller.poll.interval", "300ms");
        Path file = dir.resolve("taskpoller.properties");
        Files.writeString(file, p.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        return file;
    }

    private static void report(String what, long since) {
        System.out.printf("%s after %d ms%n", what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
    }

    private void await(String what, Process process, String name, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail("the " + name + " process exited (" + process.exitValue() + ") before " + what + jvm.tail(name));
            }
            if (System.nanoTime() > until) {
                fail("still waiting after " + WAIT.toSeconds() + " s for " + what + jvm.tail(name));
            }
            Thread.sleep(200);
        }
    }

    private Process launch(String name, Path config) throws IOException {
        if (jvm == null) {
            jvm = new ChildJvm(dir);
        }
        return jvm.launch(name, "--config", config.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
