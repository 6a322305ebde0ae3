package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.kafka.KafkaTopics;
import dev.taskpoller.kafka.KafkaTopics.TopicSpec;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.RateLimit;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.ChildJvmTestSupport;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Zombies: two instances of one deployment (child JVMs sharing the consumer groups, each with its own transactional
 * id), each in turn paused with SIGSTOP past its session timeout while the other takes its in-flight partitions over,
 * the tasks finishing at the provider meanwhile, then resumed. A resumed instance still has the tasks it owned in
 * memory and polls them at once; whatever it publishes for them must never become visible: a read_committed consumer
 * sees exactly one event per task, and the paused instances' outbox stays empty.
 *
 * <p>No step waits for a time: each waits for what the simulator's poll log (which instance asked, by its
 * User-Agent), the topics or an instance's log show.
 */
@Tag("crash")
class ZombieFencingTest extends ChildJvmTestSupport {

    private static final int TASKS = 100;
    /** The broker's smallest allowed session timeout: the takeovers wait for it. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ASSIGNED = "In-flight partitions assigned";

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void anInstancePausedPastItsSessionTimeoutAndResumedMakesNoEventVisibleForTasksItNoLongerOwns() throws Exception {
        ProviderSimulator scan = sims.scanDocuments;
        scan.rateLimit(RateLimit.UNLIMITED).logPolls();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            String id = newTaskId("scan-documents");
            // running until both instances have owned it
            scan.addTask(SimulatedTask.neverEnding(id));
            ids.add(id);
        }
        KafkaTopics.ensure(TestKafka.bootstrapServers(), List.of(TopicSpec.plain(topic("completed"), 3),
                TopicSpec.plain(topic("failed"), 3)), Duration.ofSeconds(30));
        jvm = new ChildJvm(dir);

        Process a = launch("a");
        TestKafka.sendAll(topic("requests"), ids.stream()
                .map(id -> "{\"provider\":\"scan-documents\",\"taskId\":\"" + id + "\"}").toList());
        jvm.await("a polling every task", WAIT, Map.of("a", a), () -> polledBy("a", 0).containsAll(ids));

        signal(a, "STOP");
        Process b = launch("b");
        jvm.await("b polling every task, a's session timed out", WAIT, Map.of("b", b),
                () -> polledBy("b", 0).containsAll(ids));

        // b paused in its turn; the provider finishes every task; a resumes with every task still in its memory
        signal(b, "STOP");
        ids.forEach(id -> scan.addTask(SimulatedTask.completing(id, 1)));
        int pollsBeforeAResumed = scan.pollLog().size();
        signal(a, "CONT");
        jvm.await("a owning again (after b's session timed out) and every task's end", WAIT, Map.of("a", a),
                () -> ended().containsAll(keys(ids)));
        int aPollsAsZombie = polledBy("a", pollsBeforeAResumed).size();

        int pollsBeforeBResumed = scan.pollLog().size();
        signal(b, "CONT");
        // b's follower finds out it lost its partitions, rejoins, and rebuilds what it is given: nothing is left
        jvm.await("b rejoining its group", WAIT, Map.of("a", a, "b", b), () -> occurrences(jvm.log("b"), ASSIGNED) >= 2);
        int bPollsAsZombie = polledBy("b", pollsBeforeBResumed).size();

        List<ConsumerRecord<String, String>> committed = events(TestKafka::readAll);
        List<ConsumerRecord<String, String>> all = events(TestKafka::readAllUncommitted);
        Map<String, List<String>> idsByTask = committed.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(r -> Json.parse(r.value()).orElseThrow().path("id").asText(), Collectors.toList())));
        System.out.printf("zombies: %d tasks; a polled %d task(s) once resumed (as a zombie, then as their owner again), b %d as a zombie;"
                        + " %d event records committed, %d more written and aborted%n",
                TASKS, aPollsAsZombie, bPollsAsZombie, committed.size(), all.size() - committed.size());

        for (String id : ids) {
            assertEquals(List.of(EventFactory.eventId("scan-documents", id, "completed")),
                    idsByTask.get("scan-documents/" + id), "one committed event for " + id);
        }
        assertEquals(TASKS, committed.size(), "no committed event for anything else");
        assertEquals(List.of(), Outbox.events(dir.resolve("b").resolve("outbox").resolve("completed")),
                "b, paused while the tasks finished, wrote no outbox line");
        assertTrue(a.isAlive() && b.isAlive(), "both instances still run" + jvm.tail("a") + jvm.tail("b"));
    }

    private Process launch(String name) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home);
        Properties p = TaskpollerTestSupport.fastSetup(sims, home);
        p.put("taskpoller.kafka.brokers", TestKafka.bootstrapServers());
        for (String stream : List.of("requests", "inflight", "completed", "failed", "rejected")) {
            p.put("taskpoller.topic." + stream, topic(stream));
        }
        // one deployment: the groups shared, an instance id (and so a transactional id) each
        p.put("taskpoller.kafka.group-id", "requests-" + run);
        p.put("taskpoller.kafka.inflight-group-id", "inflight-" + run);
        p.put("taskpoller.instance-id", instance(name));
        p.put("taskpoller.kafka.session-timeout-ms", String.valueOf(SESSION_TIMEOUT.toMillis()));
        p.put("taskpoller.poll.interval", "150ms");
        p.put("taskpoller.poll.max-interval", "150ms");
        p.put("taskpoller.poll.rate-limit", "100000/1s");
        return jvm.launch(name, "--config", ChildJvm.writeConfig(dir.resolve(name + ".properties"), p).toString());
    }

    private String instance(String name) {
        return "zombie-" + run + "-" + name;
    }

    private String topic(String stream) {
        return "z" + run + "." + stream;
    }

    /** The tasks this instance asked the simulator about, in its poll log from {@code from} on. */
    private Set<String> polledBy(String name, int from) {
        List<ProviderSimulator.Poll> log = sims.scanDocuments.pollLog();
        return log.subList(Math.min(from, log.size()), log.size()).stream()
                .filter(poll -> Objects.toString(poll.caller(), "").contains(instance(name)))
                .map(ProviderSimulator.Poll::taskId).collect(Collectors.toSet());
    }

    private static List<String> keys(List<String> ids) {
        return ids.stream().map(id -> "scan-documents/" + id).toList();
    }

    /** The keys of the in-flight topic's committed task ends. */
    private Set<String> ended() {
        return TestKafka.endedKeys(TestKafka.readAll(topic("inflight"), 0, Duration.ofSeconds(10)));
    }

    private List<ConsumerRecord<String, String>> events(Reader reader) {
        List<ConsumerRecord<String, String>> events = new ArrayList<>(reader.read(topic("completed"), 0, Duration.ofSeconds(10)));
        events.addAll(reader.read(topic("failed"), 0, Duration.ofSeconds(10)));
        return events;
    }

    private interface Reader {
        List<ConsumerRecord<String, String>> read(String topic, int atLeast, Duration timeout);
    }

    private static long occurrences(Path log, String text) {
        try {
            return Files.readAllLines(log).stream().filter(line -> line.contains(text)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + process.pid());
    }
}
