package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.BrokerProcess;
import dev.taskpoller.support.EventIds;
import dev.taskpoller.support.InboxFolders;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.Simulators;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application pointed at an external broker (a broker process of the test's own, not the shared test broker),
 * which is killed with SIGKILL while tasks are in flight and started again on the same port and data: tasks that
 * finish at the provider meanwhile, an inbox file and requests that arrive meanwhile, all end with exactly one
 * event id each, without the application being restarted; while the broker is away the inbox file stays where it is.
 *
 * <p>Nothing depends on timing for correctness: the first tasks stay queued at the provider until the broker is
 * killed, so none can finish before; the outage lasts until the application is seen waiting on the new input.
 */
@Tag("crash")
class BrokerRestartTest {

    private static final int TASKS_PER_PROVIDER_AND_PHASE = 3;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private final Simulators sims = new Simulators().start();
    private BrokerProcess broker;
    private CamelContext app;

    @AfterEach
    void stopEverything() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (broker != null) {
            broker.close();
        }
        sims.close();
    }

    @Test
    void tasksInFlightAndInputArrivingWhileTheBrokerIsAwayEachEndOnceAfterItComesBackWithoutARestart() throws Exception {
        sims.all().forEach(ProviderSimulator::logPolls);
        broker = new BrokerProcess(dir.resolve("kafka"), BrokerProcess.freePort(), BrokerProcess.freePort()).start();
        app = new DefaultCamelContext();
        app.getPropertiesComponent().setOverrideProperties(properties());
        app.addRoutes(new TaskpollerRoutes());
        app.start();
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");

        // before: tasks accepted from both inputs and polled, all still running at the provider
        Map<String, String> before = tasks(SimulatedTask::neverEnding);
        List<String> beforeLines = lines(before);
        drop(inbox, "before.jsonl", beforeLines.subList(0, beforeLines.size() / 2));
        try (KafkaProducer<String, String> producer = patientProducer()) {
            beforeLines.subList(beforeLines.size() / 2, beforeLines.size())
                    .forEach(line -> producer.send(new ProducerRecord<>("taskpoller.requests", line)));
            producer.flush();
            await("the first tasks accepted and polled", () -> before.entrySet().stream()
                    .allMatch(e -> sims.of(e.getValue()).pollsOf(e.getKey()) > 0));
            InboxFolders.awaitMoved(inbox, ".done", "before.jsonl", 1);

            long killedAt = System.nanoTime();
            broker.kill();
            // the running tasks finish at the provider while the broker is away: their events must wait for it
            before.forEach((id, provider) -> sims.of(provider).addTask(SimulatedTask.completing(id, 2)));
            // and new input arrives: a file in the inbox, requests a producer holds until the broker is back
            Map<String, String> during = tasks(id -> SimulatedTask.completing(id, 2));
            List<String> duringLines = lines(during);
            drop(inbox, "during.jsonl", duringLines.subList(0, duringLines.size() / 2));
            duringLines.subList(duringLines.size() / 2, duringLines.size())
                    .forEach(line -> producer.send(new ProducerRecord<>("taskpoller.requests", line)));

            await("the application to finish a task at the provider and to take up the inbox file", () -> {
                assertWaiting(inbox, outbox);
                return before.entrySet().stream().anyMatch(e -> sims.of(e.getValue()).pollsOf(e.getKey()) >= 2)
                        && app.getInflightRepository().size("taskpoller-ingest-inbox") > 0;
            });
            // longer than the session timeout: the consumer groups lose their members while the broker is away
            while (System.nanoTime() - killedAt < 2 * SESSION_TIMEOUT.toNanos()) {
                assertWaiting(inbox, outbox);
                Thread.sleep(200);
            }
            assertWaiting(inbox, outbox);
            // finished tasks whose publishing keeps failing: readiness says so, and why
            await("the publishing check DOWN while finished tasks cannot be published", () ->
                    publishing().getState() == HealthCheck.State.DOWN);
            assertTrue(publishing().getMessage().orElse("").contains("publishing transactions have failed"),
                    publishing().getMessage().toString());
            assertEquals(List.of(), completedOrFailed(outbox), "nothing published while the broker is away");
            long restartAt = System.nanoTime();
            broker.start();
            long backAt = System.nanoTime();
            producer.flush();

            Map<String, String> all = new LinkedHashMap<>(before);
            all.putAll(during);
            long[] firstEventAt = {0};
            await("an event for every task in the outbox", () -> {
                List<JsonNode> events = completedOrFailed(outbox);
                if (firstEventAt[0] == 0 && !events.isEmpty()) {
                    firstEventAt[0] = System.nanoTime();
                }
                return events.stream().map(e -> e.path("subject").asText()).collect(Collectors.toSet())
                        .containsAll(all.keySet());
            });
            long allDoneAt = System.nanoTime();
            InboxFolders.awaitMoved(inbox, ".done", "during.jsonl", 1);
            long fileDoneAt = System.nanoTime();

            int repeats = EventIds.assertOneIdPerTask(all, completedOrFailed(outbox), "completed", "outbox");
            List<JsonNode> topic = TestKafka.readAll(broker.bootstrapServers(), "taskpoller.completed", all.size(), WAIT)
                    .stream().map(r -> Json.parse(r.value()).orElseThrow()).toList();
            repeats += EventIds.assertOneIdPerTask(all, topic, "completed", "topic");
            assertEquals(List.of(), InboxFolders.moved(inbox, ".error", "during.jsonl"));
            assertEquals(List.of(), TestKafka.readAll(broker.bootstrapServers(), "taskpoller.rejected", 0,
                    Duration.ofSeconds(5)).stream().map(ConsumerRecord::value).toList(), "nothing rejected, no duplicate");
            awaitRequestsCommitted(before.size() - before.size() / 2 + during.size() - during.size() / 2);
            await("the publishing check UP again", () -> publishing().getState() == HealthCheck.State.UP);
            for (Route route : app.getRoutes()) {
                assertTrue(app.getRouteController().getRouteStatus(route.getRouteId()).isStarted(),
                        route.getRouteId() + " still runs: the application recovered without a restart");
            }
            System.out.printf("broker restart: %d tasks; broker away %d ms (killed, then %d ms to start again);"
                            + " after it was back: first event %d ms, every event %d ms, the inbox file taken"
                            + " %d ms; %d repeated events%n",
                    all.size(), ms(backAt - killedAt), ms(backAt - restartAt), ms(firstEventAt[0] - backAt),
                    ms(allDoneAt - backAt), ms(fileDoneAt - backAt), repeats);
        }
    }

    private HealthCheck.Result publishing() {
        return HealthCheckRegistry.get(app).getCheck("taskpoller-publishing").orElseThrow().call();
    }

    /** While the broker is away: the new inbox file stays in the inbox, and no event is published. */
    private static void assertWaiting(Path inbox, Path outbox) {
        assertTrue(Files.exists(inbox.resolve("during.jsonl")), "the inbox file waits in the inbox");
        assertEquals(List.of(), InboxFolders.moved(inbox, ".done", "during.jsonl"), "not done while the broker is away");
        assertEquals(List.of(), InboxFolders.moved(inbox, ".error", "during.jsonl"), "never an error");
    }

    private static List<JsonNode> completedOrFailed(Path outbox) {
        List<JsonNode> events = new ArrayList<>(Outbox.events(outbox.resolve("completed")));
        events.addAll(Outbox.events(outbox.resolve("failed")));
        return events;
    }

    /** Every request is committed once the broker is back: a restart of the application would not read one again. */
    private void awaitRequestsCommitted(int requests) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            await("the requests committed to their end", () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("taskpoller")
                            .partitionsToOffsetAndMetadata().get();
                    Map<TopicPartition, Long> ends = admin.listOffsets(List.of(0, 1, 2).stream()
                                    .collect(Collectors.toMap(p -> new TopicPartition("taskpoller.requests", p), p -> OffsetSpec.latest())))
                            .all().get().entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                    assertEquals(requests, ends.values().stream().mapToLong(Long::longValue).sum(), "requests sent");
                    return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || (committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() == e.getValue()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (java.util.concurrent.ExecutionException e) {
                    return false;
                }
            });
        }
    }

    /** Tasks for every provider, known to the simulators as {@code task} makes them: task id → provider. */
    private Map<String, String> tasks(java.util.function.Function<String, SimulatedTask> task) {
        Map<String, String> providerOf = new LinkedHashMap<>();
        for (ProviderSimulator sim : sims.all()) {
            for (int i = 0; i < TASKS_PER_PROVIDER_AND_PHASE; i++) {
                String id = newTaskId(sim.provider());
                sim.addTask(task.apply(id));
                providerOf.put(id, sim.provider());
            }
        }
        return providerOf;
    }

    private static List<String> lines(Map<String, String> providerOf) {
        return providerOf.entrySet().stream()
                .map(e -> "{\"provider\":\"" + e.getValue() + "\",\"taskId\":\"" + e.getKey() + "\"}").toList();
    }

    private static void drop(Path inbox, String name, List<String> lines) throws IOException {
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".tmp");
        Files.writeString(temp, String.join("\n", lines) + "\n");
        Files.move(temp, inbox.resolve(name));
    }

    /** A client that keeps what it sends until the broker takes it, however long it is away. */
    private KafkaProducer<String, String> patientProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(WAIT.toMillis()));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(WAIT.toMillis()));
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private Properties properties() {
        Properties p = TaskpollerTestSupport.fastSetup(sims, dir);
        p.put("taskpoller.kafka.brokers", broker.bootstrapServers());
        p.put("taskpoller.kafka.session-timeout-ms", String.valueOf(SESSION_TIMEOUT.toMillis()));
        p.put("taskpoller.poll.interval", "300ms");
        return p;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                fail("still waiting after " + WAIT.toSeconds() + " s for " + what + "; polls: " + sims.all().stream()
                        .map(sim -> sim.provider() + " " + sim.pollLog().stream().collect(Collectors.groupingBy(
                                poll -> poll.taskId().substring(0, 8), Collectors.counting()))).toList()
                        + ", inbox in flight " + app.getInflightRepository().size("taskpoller-ingest-inbox") + ", in flight: "
                        + app.getInflightRepository().browse().stream().map(e -> e.getFromRouteId() + "@" + e.getAtRouteId()
                                + "/" + e.getNodeId()).toList() + broker.tail());
            }
            Thread.sleep(200);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
