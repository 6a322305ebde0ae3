package dev.taskpoller.embed;

import static dev.taskpoller.embed.HostStats.await;
import static dev.taskpoller.embed.HostStats.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.kafka.KafkaTopics;
import dev.taskpoller.kafka.KafkaTopics.TopicSpec;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.Simulators;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ErrorHandlerFactory;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kafka.KafkaComponent;

/**
 * What each way in is checked for, in a host's context that has its own routes, bean, {@code kafka} component,
 * properties and error handler: tasks in through {@code direct:taskpoller-submit} and the requests topic, events out
 * through the hooks and the topics, the host's parts left as they were, and a clean stop.
 */
final class EmbeddingScenario implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SCAN = "scan-documents";

    final Simulators sims = new Simulators().start();
    final String run = UUID.randomUUID().toString().substring(0, 8);
    /** The threads alive before the host's context: any other left after its stop is a leak. */
    private final Set<Thread> before;

    EmbeddingScenario() {
        String brokers = TestKafka.bootstrapServers();
        KafkaTopics.ensure(brokers, List.of(TopicSpec.plain(topic("orders"), 1), TopicSpec.plain(topic("done"), 1),
                TopicSpec.plain(topic("warm-up"), 1)), Duration.ofSeconds(30));
        // the test's own producer, started before the snapshot
        TestKafka.send(topic("warm-up"), null, "warm-up");
        before = Thread.getAllStackTraces().keySet();
    }

    private String topic(String stream) {
        return "h" + run + "." + stream;
    }

    /**
     * The host's own properties (its topics, its kafka component's brokers) and taskpoller's, on the test broker
     * under another name (localhost rather than 127.0.0.1) so that whose brokers a component uses shows.
     */
    Properties properties(Path dir) {
        Properties p = TaskpollerTestSupport.fastSetup(sims, dir);
        String hostBrokers = TestKafka.bootstrapServers();
        p.put("host.kafka.brokers", hostBrokers);
        p.put("host.topic.orders", topic("orders"));
        p.put("host.topic.done", topic("done"));
        p.put("taskpoller.kafka.brokers", hostBrokers.replace("127.0.0.1", "localhost"));
        p.put("taskpoller.kafka.group-id", "requests-" + run);
        p.put("taskpoller.kafka.inflight-group-id", "inflight-" + run);
        for (String stream : List.of("requests", "inflight", "completed", "failed", "rejected")) {
            p.put("taskpoller.topic." + stream, topic(stream));
        }
        return p;
    }

    /** The host's settings that taskpoller must not change. */
    record Settings(String name, long shutdownTimeout, boolean streamCaching, boolean messageHistory,
                    boolean mdcLogging, ErrorHandlerFactory errorHandler, Map<String, String> globalOptions) {

        static Settings of(CamelContext context) {
            return new Settings(context.getName(), context.getShutdownStrategy().getTimeout(), context.isStreamCaching(),
                    context.isMessageHistory(), context.isUseMDCLogging(),
                    context.getCamelContextExtension().getErrorHandlerFactory(), Map.copyOf(context.getGlobalOptions()));
        }
    }

    /** Tasks through both inputs end as events through both outputs; a bad request and a duplicate are rejected. */
    void tasksGoInAndEventsComeOut(CamelContext context, HostStats stats) throws Exception {
        String done = newTaskId();
        String failing = newTaskId();
        String viaTopic = newTaskId();
        sims.scanDocuments.addTask(SimulatedTask.completing(done, 2));
        sims.scanDocuments.addTask(SimulatedTask.failing(failing, 2, "cannot read the scan"));
        sims.scanDocuments.addTask(SimulatedTask.completing(viaTopic, 2));
        ProducerTemplate template = context.createProducerTemplate();

        Object accepted = template.requestBodyAndHeader("direct:submit", request(done), "orderRef", "o-1");
        TaskRequest request = assertInstanceOf(TaskRequest.class, accepted, "the reply to a good request");
        assertEquals(done, request.taskId());
        assertEquals(new HostStats.Reply(accepted, "accepted", "o-1"), stats.replies.get(0),
                "the host's route saw the reply with its own header kept");
        template.requestBody("direct:submit", Map.of("provider", SCAN, "taskId", failing));
        TestKafka.send(context.resolvePropertyPlaceholders("{{host.topic.orders}}"), null, request(viaTopic));

        Rejection malformed = assertInstanceOf(Rejection.class,
                template.requestBodyAndHeader("direct:submit", "{\"provider\":", "orderRef", "o-2"));
        assertEquals(Rejection.MALFORMED_INPUT, malformed.reason());
        assertEquals("rejected", stats.replies.get(2).outcome());
        Rejection duplicate = assertInstanceOf(Rejection.class,
                template.requestBody("direct:submit", request(done).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(Rejection.DUPLICATE, duplicate.reason());

        await("completed events on the hook", stats.completed, 2, WAIT);
        await("failed events on the hook", stats.failed, 1, WAIT);
        await("rejections on the hook", stats.rejected, 2, WAIT);
        await("completed events from the topic", stats.fromTopic, 2, WAIT);
        assertEquals(Set.copyOf(stats.completed), Set.copyOf(stats.fromTopic), "the hook has the topic's very events");
        assertTrue(stats.completed.stream().anyMatch(event -> event.contains(viaTopic)), "the task sent through the topic");
        assertTrue(stats.failed.get(0).contains(failing));
        assertTrue(stats.rejected.stream().anyMatch(event -> event.contains(Rejection.DUPLICATE)));
        assertEquals(2, TestKafka.readAll(context.resolvePropertyPlaceholders("{{host.topic.done}}"), 2, WAIT).size(),
                "the host's completed route forwarded each event to its own topic");
        template.stop();
    }

    /** The host's own parts are the ones it put there, and still work. */
    void hostPartsLeftAsTheyWere(CamelContext context, HostStats stats, Settings settings) throws Exception {
        assertSame(stats, context.getRegistry().lookupByName("stats"), "the host's bean named stats");
        KafkaComponent kafka = context.getComponent("kafka", KafkaComponent.class);
        assertEquals(TestKafka.bootstrapServers(), kafka.getConfiguration().getBrokers(), "the host's kafka component");
        assertEquals(context.resolvePropertyPlaceholders("{{taskpoller.kafka.brokers}}"),
                context.getComponent("taskpoller-kafka", KafkaComponent.class).getConfiguration().getBrokers());
        for (String id : List.of("submit", "orders", "completed", "failed", "rejected", "events", "boom", "dead")) {
            Route route = context.getRoute(id);
            assertTrue(route != null && context.getRouteController().getRouteStatus(id) == ServiceStatus.Started,
                    "the host's route " + id + " runs");
        }
        assertEquals("direct://submit", context.getRoute("submit").getEndpoint().getEndpointUri());
        assertEquals(settings, Settings.of(context), "the context's settings and error handler");
        assertNotEquals(Optional.of("taskpoller"), context.getPropertiesComponent().resolveProperty("camel.main.name"),
                "taskpoller added none of the application's camel.* defaults");
        List<String> nonPrefixed = context.getRoutes().stream().map(Route::getRouteId)
                // the host's routes, and the Camel Main host's YAML route
                .filter(id -> !List.of("submit", "orders", "completed", "failed", "rejected", "events", "boom", "dead", "ping")
                        .contains(id))
                .filter(id -> !id.startsWith("taskpoller-"))
                .toList();
        assertEquals(List.of(), nonPrefixed, "every route taskpoller added is named taskpoller-*");

        ProducerTemplate template = context.createProducerTemplate();
        template.sendBody("direct:boom", "the host's message");
        await("the host's failure in the host's dead letter channel", stats.dead, 1, WAIT);
        template.stop();
    }

    /** After the stop no route runs and no thread started since the host's context began is left. */
    void stoppedCleanly(CamelContext context) throws InterruptedException {
        assertEquals(ServiceStatus.Stopped, context.getStatus());
        assertTrue(context.getRoutes().stream().allMatch(route ->
                        context.getRouteController().getRouteStatus(route.getRouteId()) != ServiceStatus.Started),
                "no route left running");
        awaitCondition(() -> "the context's threads to end: " + leftThreads(), () -> leftThreads().isEmpty(), Duration.ofSeconds(30));
    }

    private List<String> leftThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> !before.contains(thread.getKey()) && thread.getKey().isAlive())
                // the JDK's shared pool, the simulators' and the test broker's threads (it starts some on first use,
                // such as the executors of its delayed fetches and group rebalances)
                .filter(thread -> Stream.of("ForkJoinPool.commonPool", "sim-", "executor-")
                        .noneMatch(thread.getKey().getName()::startsWith) && !runsBroker(thread.getValue()))
                .map(thread -> thread.getKey().getName())
                .collect(Collectors.toList());
    }

    private static boolean runsBroker(StackTraceElement[] stack) {
        return Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("kafka.")
                || frame.getClassName().startsWith("org.apache.kafka.server."));
    }

    static String request(String taskId) {
        return "{\"provider\":\"" + SCAN + "\",\"taskId\":\"" + taskId + "\"}";
    }

    private static String newTaskId() {
        return "task_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    @Override
    public void close() {
        sims.close();
    }
}
