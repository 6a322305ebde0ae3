package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.EventIds;
import dev.taskpoller.support.GatedBroker;
import dev.taskpoller.support.KafkaRequestGate;
import dev.taskpoller.support.LogCapture;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.Simulators;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publishing commit whose answer never comes (the transaction coordinator does not answer EndTxn within the
 * producer's max.block.ms, 20 s): Kafka may still complete that transaction, so the same commit is all that may be
 * tried again. It is, once the coordinator answers, and that commit is the one that makes the events visible: no task
 * loses its event, none has it twice (not even as an aborted copy a read_uncommitted reader would see), and the
 * batches after it publish as usual.
 *
 * <p>Nothing depends on timing: a gate in front of a broker of the test's own holds every EndTxn until the test has
 * seen the commit time out, and the tasks finish at the provider only once the gate holds. The broker is the test's
 * own, since it advertises the gate's port: the shared test broker is not touched.
 */
class PublishCommitTimeoutTest {

    private static final int TASKS_PER_PROVIDER = 2;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String COMPLETED = "taskpoller.completed";
    private static final String COMMIT_TIMED_OUT =
            "A publishing commit timed out; it is tried again until Kafka says how it ended";

    @TempDir
    Path dir;
    private final Simulators sims = new Simulators().start();
    private GatedBroker broker;
    private KafkaRequestGate gate;
    private CamelContext app;

    @AfterEach
    void stopEverything() {
        if (app != null) {
            app.stop();
        }
        if (broker != null) {
            broker.close();
        }
        sims.close();
    }

    @Test
    void aCommitThatTimesOutIsCompletedAndEachEventIsVisibleOnce() throws Exception {
        broker = GatedBroker.start(dir.resolve("kafka"), KafkaRequestGate.END_TXN);
        gate = broker.gate();
        app = new DefaultCamelContext();
        app.getPropertiesComponent().setOverrideProperties(properties());
        app.addRoutes(new TaskpollerRoutes());
        app.start();

        // accepted and polled, still running at the provider: no event can be published before the gate holds
        Map<String, String> first = tasks(TASKS_PER_PROVIDER, SimulatedTask::neverEnding);
        broker.sendRequests(first);
        await("every task accepted and polled", () -> first.entrySet().stream()
                .allMatch(e -> sims.of(e.getValue()).pollsOf(e.getKey()) > 0));

        try (LogCapture log = LogCapture.open()) {
            gate.hold();
            long heldAt = System.nanoTime();
            first.forEach((id, provider) -> sims.of(provider).addTask(SimulatedTask.completing(id, 1)));
            await("a publishing commit to time out", () -> aborted("commit_timeout") > 0);
            long timedOutAt = System.nanoTime();
            assertTrue(gate.heldRequests() > 0, "the commit's EndTxn was held, not lost otherwise");

            // in doubt: the transaction's records are in the topic, not visible, and nothing else committed meanwhile
            List<ConsumerRecord<String, String>> inDoubt =
                    TestKafka.readAllUncommitted(broker.bootstrapServers(), COMPLETED, 1, WAIT);
            assertFalse(inDoubt.isEmpty(), "the transaction in doubt sent its events");
            assertEquals(List.of(), keys(TestKafka.readAll(broker.bootstrapServers(), COMPLETED, 0, WAIT)),
                    "nothing visible to a read_committed consumer while the commit is in doubt");
            assertEquals(List.of(), Outbox.events(dir.resolve("outbox/completed")), "no outbox line before the commit");

            gate.release();
            List<ConsumerRecord<String, String>> visible =
                    TestKafka.readAll(broker.bootstrapServers(), COMPLETED, first.size(), WAIT);
            long visibleAt = System.nanoTime();

            assertEquals(0, EventIds.assertOneIdPerTask(first, values(visible), "completed", "read_committed"),
                    "no event id twice");
            assertEquals(0, EventIds.assertOneIdPerTask(first, values(TestKafka.readAllUncommitted(
                    broker.bootstrapServers(), COMPLETED, first.size(), WAIT)), "completed", "read_uncommitted"),
                    "no event sent again after the commit in doubt: that transaction was not given up");
            // the very records sent in the transaction in doubt became visible: its commit is the one that completed
            assertEquals(positions(inDoubt), positions(visible.stream()
                    .filter(r -> keys(inDoubt).contains(r.key())).toList()));
            assertEquals(0, EventIds.assertOneIdPerTask(first,
                    Outbox.await(dir.resolve("outbox/completed"), first.size(), WAIT), "completed", "outbox"));
            await("every task's end committed", () -> TestKafka.endedKeys(TestKafka.readAll(broker.bootstrapServers(),
                    "taskpoller.inflight", 0, WAIT)).containsAll(keysOf(first)));
            assertEquals(1, aborted("commit_timeout"), "one commit timed out");
            assertEquals(1, aborted(null), "and no transaction aborted: " + abortedByReason());
            assertEquals(1, log.atLeast(Level.WARN).stream().map(LogCapture::text)
                    .filter(text -> text.startsWith(COMMIT_TIMED_OUT)).count(), "the timeout was logged once");

            // later batches publish as usual
            Map<String, String> later = tasks(1, id -> SimulatedTask.completing(id, 1));
            broker.sendRequests(later);
            Map<String, String> all = new LinkedHashMap<>(first);
            all.putAll(later);
            assertEquals(0, EventIds.assertOneIdPerTask(all, values(TestKafka.readAll(broker.bootstrapServers(),
                    COMPLETED, all.size(), WAIT)), "completed", "read_committed, later"));
            assertEquals(1, aborted(null), "nothing aborted later: " + abortedByReason());

            System.out.printf("commit timeout: %d tasks, %d in the transaction in doubt; commit timed out %d ms after"
                            + " the gate held (%d EndTxn held), events visible %d ms after its release%n",
                    first.size(), inDoubt.size(), ms(timedOutAt - heldAt), gate.heldRequests(),
                    ms(visibleAt - timedOutAt));
        }
    }

    private Properties properties() {
        Properties p = TaskpollerTestSupport.fastSetup(sims, dir);
        // through the gate from the start (the broker's metadata would send every client there anyway)
        p.put("taskpoller.kafka.brokers", broker.gatedServers());
        // longer than the held commit: the broker aborting the transaction at the 10 s default would fence the
        // producer, another path than a commit left in doubt
        p.put("taskpoller.publish.transaction-timeout", "60s");
        return p;
    }

    /** Tasks for every provider, known to the simulators as {@code task} makes them: task id → provider. */
    private Map<String, String> tasks(int perProvider, Function<String, SimulatedTask> task) {
        Map<String, String> providerOf = new LinkedHashMap<>();
        for (ProviderSimulator sim : sims.all()) {
            for (int i = 0; i < perProvider; i++) {
                String id = newTaskId(sim.provider());
                sim.addTask(task.apply(id));
                providerOf.put(id, sim.provider());
            }
        }
        return providerOf;
    }

    /** Transactions aborted or left in doubt for this reason (null: for any). */
    private double aborted(String reason) {
        return registry().find("taskpoller.publish.aborted").counters().stream()
                .filter(c -> reason == null || reason.equals(c.getId().getTag("reason")))
                .mapToDouble(Counter::count).sum();
    }

    private Map<String, Double> abortedByReason() {
        return registry().find("taskpoller.publish.aborted").counters().stream()
                .collect(Collectors.toMap(c -> c.getId().getTag("reason"), Counter::count));
    }

    private MeterRegistry registry() {
        return app.getRegistry().findSingleByType(MeterRegistry.class);
    }

    private static List<String> keys(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::key).toList();
    }

    private static List<String> keysOf(Map<String, String> providerOf) {
        return providerOf.entrySet().stream().map(e -> e.getValue() + "/" + e.getKey()).toList();
    }

    private static Map<String, String> positions(List<ConsumerRecord<String, String>> records) {
        return records.stream().collect(Collectors.toMap(ConsumerRecord::key, r -> r.partition() + "@" + r.offset()));
    }

    private static List<JsonNode> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> Json.parse(r.value()).orElseThrow()).toList();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                fail("still waiting after " + WAIT.toSeconds() + " s for " + what + "; EndTxn held "
                        + gate.heldRequests() + ", aborted " + abortedByReason());
            }
            Thread.sleep(100);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
