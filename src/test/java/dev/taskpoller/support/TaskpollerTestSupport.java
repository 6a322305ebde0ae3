package dev.taskpoller.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.engine.InFlightLog;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Camel context with taskpoller installed exactly as a host application would, on the shared real broker (topics
 * named per test so tests do not see each other's events), the four simulators on loopback, and fast polling.
 */
public abstract class TaskpollerTestSupport extends CamelTestSupport {

    protected static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    protected Path dataDir;
    protected final Simulators sims = new Simulators().start();
    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected void doPostTearDown() {
        sims.close();
    }

    /** Filled in {@link #doPreSetup()}: configureContext runs in the super constructor, before any field is set. */
    private Properties overrides;

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        overrides = new Properties();
        configuration.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    @Override
    protected void doPreSetup() {
        overrides.putAll(properties());
    }

    /** The configuration of this test's context; a test overrides it to change a policy. */
    protected Properties properties() {
        Properties p = fastSetup(sims, dataDir);
        p.put("taskpoller.kafka.brokers", TestKafka.bootstrapServers());
        p.put("taskpoller.kafka.group-id", "requests-" + run);
        p.put("taskpoller.kafka.inflight-group-id", "inflight-" + run);
        for (String stream : List.of("requests", "inflight", "completed", "failed", "rejected", "cancel")) {
            p.put("taskpoller.topic." + stream, topic(stream));
        }
        return p;
    }

    /** The simulators' endpoints, folders under {@code dir}, and polling and scanning fast enough for tests. */
    public static Properties fastSetup(Simulators sims, Path dir) {
        Properties p = sims.endpoints();
        // a Kafka consumer pauses and stops at the end of its current poll: every context stop waits for one
        p.put("taskpoller.kafka.poll-timeout-ms", "50");
        p.put("taskpoller.inbox", dir.resolve("inbox").toString());
        p.put("taskpoller.inbox.scan-ms", "200");
        p.put("taskpoller.inbox.settle-ms", "200");
        p.put("taskpoller.outbox", dir.resolve("outbox").toString());
        p.put("taskpoller.poll.initial-delay", "100ms");
        p.put("taskpoller.poll.interval", "100ms");
        p.put("taskpoller.poll.backoff-multiplier", "1.0");
        p.put("taskpoller.poll.max-interval", "1s");
        p.put("taskpoller.poll.error-backoff", "50ms");
        p.put("taskpoller.poll.max-error-backoff", "200ms");
        p.put("taskpoller.poll.circuit-open", "200ms");
        // a 404 is final at once unless a test looks at the grace itself
        p.put("taskpoller.poll.not-found-grace", "0s");
        p.put("taskpoller.provider.acedata-qrart.batch-window", "300ms");
        // the documented rate limits would only slow down tests about something else (RateLimitsTest sets its own)
        p.put("taskpoller.poll.rate-limit", "1000/1s");
        p.put("taskpoller.provider.shoplazza-upload.rate-limit", "1000/1s");
        p.put("taskpoller.provider.closient-bulk-qr.rate-limit", "1000/1s");
        return p;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new TaskpollerRoutes();
    }

    protected String topic(String stream) {
        return "t" + run + "." + stream;
    }

    protected void submit(String json) {
        TestKafka.send(topic("requests"), null, json);
    }

    protected static String request(String provider, String taskId, String correlationId) {
        return "{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\""
                + (correlationId == null ? "" : ",\"correlationId\":\"" + correlationId + "\"") + "}";
    }

    /** The events of a stream (completed, failed, rejected) once at least {@code count} are there. */
    protected List<JsonNode> events(String stream, int count) {
        return TestKafka.readAll(topic(stream), count, WAIT).stream()
                .map(ConsumerRecord::value)
                .map(value -> Json.parse(value).orElseThrow(() -> new AssertionError("not JSON: " + value)))
                .toList();
    }

    protected List<ConsumerRecord<String, String>> records(String stream, int count) {
        return TestKafka.readAll(topic(stream), count, WAIT);
    }

    /** The in-flight records of one key, once at least {@code count} are there (or those there after {@link #WAIT}). */
    protected List<ConsumerRecord<String, String>> inFlightRecordsOf(String key, int count) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        List<ConsumerRecord<String, String>> found;
        do {
            found = TestKafka.readAll(topic("inflight"), 0, WAIT).stream().filter(r -> key.equals(r.key())).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < until);
        return found;
    }

    /** Waits until at least this many tasks are in flight on this instance (read back from the in-flight topic). */
    protected void awaitInFlight(int count) throws InterruptedException {
        InFlightTasks inFlight = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (inFlight.size() < count && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
    }

    /** A Scan Documents task in flight that never ends at the provider, polled at least once; its id. */
    protected String pollingScanDocumentsTask() throws InterruptedException {
        String taskId = "task_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        sims.scanDocuments.addTask(SimulatedTask.neverEnding(taskId));
        submit(request("scan-documents", taskId, null));
        awaitTrue(() -> sims.scanDocuments.pollsOf(taskId) > 0, "the task is polled");
        return taskId;
    }

    /** Another instance with this test's configuration, on the same broker, started; the caller stops it. */
    protected CamelContext anotherInstance() throws Exception {
        CamelContext other = new DefaultCamelContext();
        other.getPropertiesComponent().setOverrideProperties(properties());
        other.addRoutes(new TaskpollerRoutes());
        other.start();
        return other;
    }

    /** Waits until this instance and {@code other} share the three in-flight partitions, each with some, rebuilt. */
    protected void awaitSharedPartitions(CamelContext other) throws InterruptedException {
        InFlightLog mine = context.getRegistry().lookupByNameAndType("taskpollerInFlightLog", InFlightLog.class);
        InFlightLog its = other.getRegistry().lookupByNameAndType("taskpollerInFlightLog", InFlightLog.class);
        awaitTrue(() -> !mine.ownedPartitions().isEmpty() && !its.ownedPartitions().isEmpty()
                && mine.ownedPartitions().size() + its.ownedPartitions().size() == 3 && mine.rebuilt() && its.rebuilt(),
                "both instances own in-flight partitions");
    }

    protected static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (!condition.getAsBoolean() && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    protected void drop(String relativePath, String content) throws IOException {
        Path file = dataDir.resolve("inbox").resolve(relativePath);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, file);
    }

    /**
     * Once a task {@code later} of the same provider, accepted after a webhook or callback about {@code taskId}, has
     * completed by polling, {@code taskId} was polled no more (ended) or is still in flight and polled (not ended).
     */
    protected void assertAfterABarrierTask(ProviderSimulator sim, String taskId, String later, boolean ended)
            throws InterruptedException {
        String provider = sim.provider();
        InFlightTasks tasks = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
        if (ended) {
            awaitTrue(() -> tasks.get(provider + "/" + taskId) == null, "the task is no longer in flight");
        }
        int polls = sim.pollsOf(taskId);
        sim.addTask(SimulatedTask.completing(later, 3));
        submit(request(provider, later, null));
        awaitTrue(() -> records("completed", 0).stream().anyMatch(r -> r.key().equals(provider + "/" + later)),
                "the later task completed");
        if (ended) {
            assertEquals(polls, sim.pollsOf(taskId), "no poll after the webhook or callback ended the task");
        } else {
            assertNotNull(tasks.get(provider + "/" + taskId), "the task is still in flight");
            assertTrue(sim.pollsOf(taskId) > polls, "and still polled");
        }
    }
}
