package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.BrokerProcess;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.ChildJvmTestSupport;
import dev.taskpoller.support.EventIds;
import dev.taskpoller.support.InboxFolders;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the application (a child JVM in its default mode, with its embedded broker) while events are being
 * written and status calls are in progress: calls that answer within the shutdown timeout finish, a call that hangs
 * beyond it is abandoned, the process exits with the JVM's code for a stop by SIGTERM, every outbox line is whole,
 * and a restart on the same data finishes every task with exactly one event id.
 *
 * <p>Correctness does not depend on timing: the stop comes once events are being written and calls are seen in
 * progress at the simulators; the Closient and Shoplazza tasks run until the stop (so their calls are in progress
 * however fast the scan tasks finish), the Shoplazza simulator answers only after the shutdown timeout, so its calls
 * are always abandoned, and those tasks can only finish after the restart.
 */
@Tag("crash")
class GracefulStopTest extends ChildJvmTestSupport {

    private static final int SIGTERM_EXIT = 128 + 15;
    private static final int SCAN_TASKS = 120;
    private static final int OTHER_TASKS = 4;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(120);


    @Test
    void sigtermFinishesOrAbandonsCallsCleanlyWritesNothingHalfAndARestartFinishesEveryTaskOnce() throws Exception {
        Map<String, String> providerOf = new LinkedHashMap<>();
        for (int i = 0; i < SCAN_TASKS; i++) {
            String id = newTaskId("scan-documents");
            // done after 2 to 11 polls: events keep being written while the stop comes
            sims.scanDocuments.addTask(SimulatedTask.completing(id, 2 + i % 10));
            providerOf.put(id, "scan-documents");
        }
        // running until the first process is stopped: their calls are in progress whenever the stop comes
        Map<String, String> runningUntilTheStop = new LinkedHashMap<>();
        for (String provider : List.of("shoplazza-upload", "closient-bulk-qr")) {
            for (int i = 0; i < OTHER_TASKS; i++) {
                String id = newTaskId(provider);
                sims.of(provider).addTask(SimulatedTask.neverEnding(id));
                providerOf.put(id, provider);
                runningUntilTheStop.put(id, provider);
            }
        }
        // Closient answers within the shutdown timeout (its calls in progress finish); Shoplazza only after it
        // (its calls are abandoned)
        sims.closient.answerDelay(Duration.ofSeconds(1));
        sims.shoplazza.answerDelay(SHUTDOWN_TIMEOUT.multipliedBy(2));

        int kafkaPort = BrokerProcess.freePort();
        Path config = config(kafkaPort);
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        jvm = new ChildJvm(dir);
        Process first = jvm.launch("first", "--config", config.toString());
        Files.createDirectories(inbox);
        Path temp = inbox.resolve(".tasks.jsonl.tmp");
        Files.writeString(temp, providerOf.entrySet().stream()
                .map(e -> "{\"provider\":\"" + e.getValue() + "\",\"taskId\":\"" + e.getKey() + "\"}\n")
                .collect(Collectors.joining()));
        Files.move(temp, inbox.resolve("tasks.jsonl"));

        jvm.await("events being written and calls in progress at Closient and Shoplazza", WAIT, Map.of("first", first),
                () -> Outbox.events(outbox.resolve("completed")).size() >= SCAN_TASKS / 5
                        && sims.closient.concurrentRequests() > 0 && sims.shoplazza.concurrentRequests() > 0);
        int closientInProgress = sims.closient.concurrentRequests();
        int shoplazzaInProgress = sims.shoplazza.concurrentRequests();
        long stoppedAt = System.nanoTime();
        first.destroy();
        assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the process stopped" + jvm.tail("first"));
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
        System.out.println("how the first process stopped:" + jvm.tail("first"));
        assertEquals(SIGTERM_EXIT, first.exitValue(), "the JVM's exit code for a stop by SIGTERM" + jvm.tail("first"));
        String log = Files.readString(jvm.log("first"));
        assertTrue(log.contains("(taskpoller) shutdown in"), "Camel stopped the application" + jvm.tail("first"));
        assertWholeLines(outbox);
        int eventsAtStop = Outbox.events(outbox.resolve("completed")).size();
        assertTrue(eventsAtStop < providerOf.size(), "tasks were left for the restart: " + eventsAtStop);

        // the providers finished them while the application was down
        runningUntilTheStop.forEach((id, provider) -> sims.of(provider).addTask(SimulatedTask.completing(id, 1)));
        sims.shoplazza.answerDelay(Duration.ZERO);
        sims.closient.answerDelay(Duration.ZERO);
        long restartedAt = System.nanoTime();
        Process second = jvm.launch("second", "--config", config.toString());
        jvm.await("a completed event for every task", WAIT, Map.of("second", second),
                () -> Outbox.events(outbox.resolve("completed")).stream().map(e -> e.path("subject").asText())
                        .collect(Collectors.toSet()).containsAll(providerOf.keySet()));
        long resumeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
        second.destroy();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second process stopped" + jvm.tail("second"));
        assertEquals(SIGTERM_EXIT, second.exitValue(), jvm.tail("second"));

        assertWholeLines(outbox);
        assertEquals(1, InboxFolders.moved(inbox, ".done", "tasks.jsonl").size(), "the inbox file was read once");
        int repeats = EventIds.assertOneIdPerTask(providerOf, Outbox.events(outbox.resolve("completed")), "completed", "outbox");
        assertEquals(List.of(), Outbox.events(outbox.resolve("failed")), "no task failed");
        System.out.printf("graceful stop: %d tasks, %d events before the stop, %d Closient calls (1 s answers) and %d Shoplazza calls (%d s answers) in progress;"
                        + " SIGTERM to exit %d ms (shutdown timeout %d ms); restart to the last event %d ms; %d repeated"
                        + " events%n", providerOf.size(), eventsAtStop, closientInProgress, shoplazzaInProgress,
                SHUTDOWN_TIMEOUT.multipliedBy(2).toSeconds(), stopMillis,
                SHUTDOWN_TIMEOUT.toMillis(), resumeMillis, repeats);
    }

    /** Every outbox file ends with a line end and each of its lines is one JSON object. */
    private static void assertWholeLines(Path outbox) throws IOException {
        if (!Files.isDirectory(outbox)) {
            return;
        }
        try (Stream<Path> files = Files.walk(outbox)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                assertTrue(content.endsWith("\n"), file + " ends with a whole line");
                for (String line : content.split("\n")) {
                    assertTrue(Json.parse(line).map(JsonNode::isObject).orElse(false), file + " has a broken line: " + line);
                }
            }
        }
    }

    private Path config(int kafkaPort) throws IOException {
        Properties p = TaskpollerTestSupport.fastSetup(sims, dir);
        p.put("taskpoller.kafka.brokers", "");
        p.put("taskpoller.kafka.embedded.data-dir", dir.resolve("kafka").toString());
        p.put("taskpoller.kafka.embedded.port", String.valueOf(kafkaPort));
        p.put("taskpoller.poll.interval", "200ms");
        p.put("camel.main.shutdown-timeout", String.valueOf(SHUTDOWN_TIMEOUT.toSeconds()));
        return ChildJvm.writeConfig(dir.resolve("taskpoller.properties"), p);
    }
}
