package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.kafka.KafkaTopics;
import dev.taskpoller.kafka.KafkaTopics.TopicSpec;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.RateLimit;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.ChildJvmTestSupport;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 under load: the application as a child JVM with thousands of tasks in flight across the four providers
 * (each finishing after a few polls, some failing), killed with SIGKILL at random moments again and again and started
 * again each time on the same broker and folders, while more input arrives, from inbox files and from the requests
 * topic. In the end every task must have exactly one terminal event, read as the README says to (read_committed): a
 * missing event, two ids for one task, or the same id twice fail. Inbox files are read again from their first line
 * not marked done, so tasks that finished are read again: the count of tasks polled again after their event is
 * printed per input. The requests topic is read on by one consumer group, as in production: a request accepted is
 * never read again (its offset commits with its task), which each incarnation's log tells (input read again is
 * logged at DEBUG, enabled here) and the test asserts.
 *
 * <p>The broker runs in the test JVM (as an operator's Kafka would), so a restart does not wait for an embedded
 * broker to come back. Each incarnation joins a fresh in-flight consumer group and so gets every partition at once
 * instead of waiting for the killed one's session to time out (ProcessKillTest covers that wait); the previous
 * incarnation is dead before the next starts, so no two ever poll at once.
 *
 * <p>Figures: {@code -Dcrash.kills} (default 10, to keep {@code mvn verify} short;
 * the README's Tests section gives the 20-kill command), {@code -Dcrash.tasks-per-provider} (default 1000),
 * {@code -Dcrash.seed} (random by default; printed, to repeat a run).
 */
@Tag("crash")
class KillUnderLoadTest extends ChildJvmTestSupport {

    private static final int KILLS = Integer.getInteger("crash.kills", 10);
    private static final int TASKS_PER_PROVIDER = Integer.getInteger("crash.tasks-per-provider", 1000);
    private static final long SEED = Long.getLong("crash.seed", System.nanoTime());
    private static final List<String> PROVIDERS = List.of("scan-documents", "acedata-qrart", "shoplazza-upload", "closient-bulk-qr");
    /** Input files: most before the first start, the rest dropped while the kills go on. */
    private static final int FILES = 4;
    /** One task in this many comes as a record of the requests topic, the others as lines of the files. */
    private static final int ONE_IN_FROM_THE_TOPIC = 4;
    private static final Duration WAIT = Duration.ofSeconds(180);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Random random = new Random(SEED);
    private EventReader events;

    @AfterEach
    void stopTheEventReader() throws InterruptedException {
        if (events != null) {
            events.close();
        }
    }

    @Test
    void everyTaskEndsWithExactlyOneEventIdThroughRepeatedKill9UnderLoad() throws Exception {
        System.out.printf("kill -9 under load: seed %d (-Dcrash.seed to repeat)%n", SEED);
        Map<String, String> outcomeOf = new LinkedHashMap<>();
        Map<String, String> providerOf = new LinkedHashMap<>();
        Set<String> fromTheTopic = new java.util.HashSet<>();
        List<String> requests = new ArrayList<>();
        List<List<String>> files = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            files.add(new ArrayList<>());
        }
        for (String provider : PROVIDERS) {
            for (int i = 0; i < TASKS_PER_PROVIDER; i++) {
                String id = newTaskId(provider);
                int polls = 2 + random.nextInt(12);
                boolean fails = random.nextInt(5) == 0;
                sims.of(provider).addTask(fails ? SimulatedTask.failing(id, polls, "simulated failure") : SimulatedTask.completing(id, polls));
                outcomeOf.put(provider + "/" + id, fails ? "failed" : "completed");
                providerOf.put(provider + "/" + id, provider);
                String request = "{\"provider\":\"" + provider + "\",\"taskId\":\"" + id + "\"}";
                if (random.nextInt(ONE_IN_FROM_THE_TOPIC) == 0) {
                    requests.add(request);
                    fromTheTopic.add(provider + "/" + id);
                } else {
                    files.get(random.nextInt(FILES)).add(request);
                }
            }
        }
        // the load is thousands of tasks, not the providers' quotas (RateLimitsTest covers those)
        sims.all().forEach(sim -> sim.rateLimit(RateLimit.UNLIMITED));
        Path inbox = dir.resolve("inbox");
        Files.createDirectories(inbox);
        for (int f = 0; f < FILES - 1; f++) {
            drop(inbox, "tasks-" + f + ".jsonl", files.get(f));
        }
        // the event topics exist before anything reads them (the application finds them there, as it may)
        KafkaTopics.ensure(TestKafka.bootstrapServers(), List.of(TopicSpec.plain(topic("completed"), 3),
                TopicSpec.plain(topic("failed"), 3), TopicSpec.plain(topic("requests"), 3)), Duration.ofSeconds(30));
        // half the requests before the first start, the rest in a chunk just before each kill: killed while accepting
        int sent = requests.size() / 2;
        sendOneAtATime(topic("requests"), requests.subList(0, sent));
        events = new EventReader(TestKafka.bootstrapServers(), List.of(topic("completed"), topic("failed")));

        long started = System.nanoTime();
        int kills = 0;
        List<String> moments = new ArrayList<>();
        while (kills < KILLS) {
            Process process = launch("run-" + kills);
            int before = events.count();
            String moment;
            if (kills % 4 == 3) {
                // anywhere from the start on: while it starts, rebuilds, reads its inbox
                long delay = random.nextInt(4_000);
                Thread.sleep(delay);
                moment = delay + " ms after start";
            } else {
                // while it publishes: once this incarnation has published something, a random moment later
                awaitOrExit(process, "run-" + kills, () -> events.count() > before);
                long delay = random.nextInt(2_000);
                Thread.sleep(delay);
                moment = delay + " ms after its first event";
            }
            int chunk = Math.min(requests.size() - sent, (requests.size() + 2 * KILLS - 1) / (2 * KILLS));
            sendOneAtATime(topic("requests"), requests.subList(sent, sent + chunk));
            sent += chunk;
            Thread.sleep(random.nextInt(150));
            if (!process.isAlive()) {
                fail("run-" + kills + " exited by itself (" + process.exitValue() + ")" + jvm.tail("run-" + kills));
            }
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "run-" + kills + " did not die");
            assertEquals(128 + 9, process.exitValue(), "killed by SIGKILL" + jvm.tail("run-" + kills));
            kills++;
            moments.add(String.format("kill %d: %s, %d events so far", kills, moment, events.count()));
            if (kills == KILLS / 2) {
                // more input while the kills go on: a file may be read again after a kill, its tasks deduplicated
                drop(inbox, "tasks-" + (FILES - 1) + ".jsonl", files.get(FILES - 1));
            }
        }
        moments.forEach(System.out::println);

        sendOneAtATime(topic("requests"), requests.subList(sent, requests.size()));
        Process last = launch("last");
        awaitOrExit(last, "last", () -> events.keys().containsAll(outcomeOf.keySet()));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        Map<String, List<JsonNode>> byTask = events.byKey();
        int lost = 0;
        int repeats = 0;
        int tasksRepeated = 0;
        int sameEventAgain = 0;
        int acceptedAgain = 0;
        int acceptedAgainFromTheTopic = 0;
        int decidedAgain = 0;
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> task : outcomeOf.entrySet()) {
            List<JsonNode> sameTask = byTask.getOrDefault(task.getKey(), List.of());
            if (sameTask.isEmpty()) {
                lost++;
                continue;
            }
            String taskId = task.getKey().substring(task.getKey().indexOf('/') + 1);
            Set<String> ids = sameTask.stream().map(e -> e.path("id").asText()).collect(Collectors.toSet());
            if (!ids.equals(Set.of(EventFactory.eventId(providerOf.get(task.getKey()), taskId, task.getValue())))) {
                wrong.add(task.getKey() + " " + ids);
            }
            if (sameTask.size() > 1) {
                tasksRepeated++;
                repeats += sameTask.size() - 1;
                List<JsonNode> bodies = sameTask.stream().distinct().toList();
                long acceptances = bodies.stream().map(e -> e.path("data").path("acceptedAt").asText()).distinct().count();
                // the stored event published again, byte for byte: a kill between publishing and the tombstone
                sameEventAgain += sameTask.size() - bodies.size();
                // the task accepted anew from its input read again after a kill, after it had finished: polled again
                acceptedAgain += (int) acceptances - 1;
                if (fromTheTopic.contains(task.getKey())) {
                    acceptedAgainFromTheTopic += (int) acceptances - 1;
                }
                // decided anew for the same acceptance: the provider asked again after a kill (the fault fixed here)
                decidedAgain += bodies.size() - (int) acceptances;
            }
        }
        Set<String> unknown = byTask.keySet().stream().filter(key -> !outcomeOf.containsKey(key)).collect(Collectors.toSet());
        OutboxCount outbox = OutboxCount.of(dir.resolve("outbox"));
        int requestsReadAgain = readAgain("kafka", kills);
        int linesReadAgain = readAgain("file", kills);
        System.out.printf("kill -9 under load: kills %d, tasks %d (%d per provider, 4 providers; %d from the requests"
                        + " topic, the rest from files), lost %d, tasks with two ids %d, repeated ids %d on %d tasks (%d the"
                        + " stored event again, %d polled again after finishing: %d from the topic and %d from files,"
                        + " %d decided again for the same acceptance), read again after acceptance: requests %d,"
                        + " file lines %d (passed over),"
                        + " events on the topics %d, outbox lines %d (%d unreadable), %d s%n",
                kills, outcomeOf.size(), TASKS_PER_PROVIDER, fromTheTopic.size(), lost, wrong.size(), repeats,
                tasksRepeated, sameEventAgain, acceptedAgain, acceptedAgainFromTheTopic,
                acceptedAgain - acceptedAgainFromTheTopic, decidedAgain, requestsReadAgain, linesReadAgain, events.count(), outbox.lines(),
                outbox.unreadable(), seconds);

        assertEquals(0, lost, "every task has its terminal event");
        assertEquals(List.of(), wrong, "one event id per task, of the outcome the provider gave");
        assertEquals(Set.of(), unknown, "no event for a task never submitted");
        assertEquals(0, decidedAgain, "an event once decided is the task's event: a restart publishes it as it was");
        assertEquals(0, repeats, "no event visible twice to a read_committed consumer (" + acceptedAgain
                + " task(s) polled again after finishing, " + sameEventAgain + " published again)");
        assertEquals(0, requestsReadAgain, "a request accepted is never read again: its offset commits with its task");
        assertEquals(0, outbox.unreadable(), "no half-written line in the outbox");
        assertTrue(outbox.lines() >= outcomeOf.size(), "the outbox has every event too: " + outbox.lines());
        assertTrue(last.isAlive(), "the last run still runs" + jvm.tail("last"));
    }

    private String topic(String stream) {
        return "k" + run + "." + stream;
    }

    private Process launch(String name) throws IOException {
        if (jvm == null) {
            jvm = new ChildJvm(dir);
        }
        Properties p = TaskpollerTestSupport.fastSetup(sims, dir);
        p.put("taskpoller.kafka.brokers", TestKafka.bootstrapServers());
        for (String stream : List.of("requests", "inflight", "completed", "failed", "rejected")) {
            p.put("taskpoller.topic." + stream, topic(stream));
        }
        // one group for the requests topic, as in production: each incarnation reads on from the committed offsets
        // (with the instance id, as a static member: at once, not after the killed one's session times out)
        p.put("taskpoller.kafka.group-id", "requests-" + run);
        p.put("taskpoller.kafka.inflight-group-id", "inflight-" + run + "-" + name);
        // one instance restarted: its transactional id stays, so a restart aborts what the killed one left open at once
        p.put("taskpoller.instance-id", "kill-" + run);
        p.put("taskpoller.poll.initial-delay", "100ms");
        p.put("taskpoller.poll.interval", "150ms");
        p.put("taskpoller.poll.max-interval", "150ms");
        p.put("taskpoller.poll.rate-limit", "100000/1s");
        p.put("taskpoller.provider.shoplazza-upload.rate-limit", "100000/1s");
        p.put("taskpoller.provider.closient-bulk-qr.rate-limit", "100000/1s");
        p.put("taskpoller.provider.shoplazza-upload.max-concurrent", "4");
        p.put("taskpoller.log.summary-interval", "5s");
        Path config = dir.resolve(name + ".properties");
        Files.writeString(config, p.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .sorted().collect(Collectors.joining("\n", "", "\n")));
        return jvm.launch(name, jvm.loggingInputReadAgain(), "--config", config.toString());
    }

    /** The input read again after its task was accepted, as the incarnations logged it: requests ("kafka"), lines ("file"). */
    private int readAgain(String input, int incarnations) throws IOException {
        int count = 0;
        for (int i = 0; i < incarnations; i++) {
            count += jvm.inputReadAgain("run-" + i, input);
        }
        return count + jvm.inputReadAgain("last", input);
    }

    /**
     * Records to the requests topic (created just before), each once: without idempotence, one request at a time. An
     * idempotent producer whose first sends to a new partition meet NOT_LEADER_OR_FOLLOWER (its leader still being
     * elected) was seen here to resend them with sequence numbers the broker had passed, refused for ever
     * (OUT_OF_ORDER_SEQUENCE_NUMBER).
     */
    private static void sendOneAtATime(String topic, List<String> values) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            values.forEach(value -> sent.add(producer.send(new ProducerRecord<>(topic, value))));
            for (java.util.concurrent.Future<RecordMetadata> each : sent) {
                each.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static void drop(Path inbox, String name, List<String> lines) throws IOException {
        Path temp = inbox.resolve("." + name + ".tmp");
        Files.writeString(temp, String.join("\n", lines) + "\n");
        Files.move(temp, inbox.resolve(name));
    }

    private void awaitOrExit(Process process, String name, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail(name + " exited (" + process.exitValue() + ")" + jvm.tail(name));
            }
            if (System.nanoTime() > until) {
                fail("still waiting after " + WAIT.toSeconds() + " s; " + events.count() + " events so far" + jvm.tail(name));
            }
            Thread.sleep(100);
        }
    }

    /** The event lines of the outbox files, and how many of them are not JSON (a line cut by a kill). */
    private record OutboxCount(int lines, int unreadable) {

        static OutboxCount of(Path outbox) throws IOException {
            int lines = 0;
            int unreadable = 0;
            for (String stream : List.of("completed", "failed")) {
                Path folder = outbox.resolve(stream);
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                            if (!line.isBlank()) {
                                lines++;
                                if (Json.parse(line).filter(JsonNode::isObject).isEmpty()) {
                                    unreadable++;
                                }
                            }
                        }
                    }
                }
            }
            return new OutboxCount(lines, unreadable);
        }
    }

    /** Follows the event topics from their beginning on a thread of its own, keeping every event by record key. */
    private static final class EventReader implements AutoCloseable {

        private final Map<String, List<JsonNode>> byKey = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int count;

        EventReader(String brokers, List<String> topics) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            // what a downstream consumer is told to use: the events of transactions a kill left open never show
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            thread = new Thread(() -> {
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                    List<TopicPartition> partitions = new ArrayList<>();
                    for (String topic : topics) {
                        consumer.partitionsFor(topic, Duration.ofSeconds(60)).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    while (running) {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                            JsonNode event = Json.parse(record.value()).orElseThrow(() -> new AssertionError("not JSON: " + record.value()));
                            byKey.computeIfAbsent(record.key(), key -> Collections.synchronizedList(new ArrayList<>())).add(event);
                            count++;
                        });
                    }
                }
            }, "kill-test-event-reader");
            thread.setDaemon(true);
            thread.start();
        }

        int count() {
            return count;
        }

        Set<String> keys() {
            return byKey.keySet();
        }

        Map<String, List<JsonNode>> byKey() {
            return new TreeMap<>(byKey);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
