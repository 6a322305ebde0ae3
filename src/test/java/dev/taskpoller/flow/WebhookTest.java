package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import dev.taskpoller.webhook.SvixSignature;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class WebhookTest extends TaskpollerTestSupport {

    private static final String PROVIDER = "scan-documents";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("a test secret of 24 bytes".getBytes());
    private static final SvixSignature SIGNER = new SvixSignature(SECRET, Duration.ofMinutes(5));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final int port = freePort();

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.scan-documents.webhook-enabled", "true");
        p.put("taskpoller.provider.scan-documents.webhook-secret", SECRET);
        // these tests show a task not ended by a webhook still polled: the safety net at the provider's test cadence
        p.put("taskpoller.webhooks.safety-net-interval", "100ms");
        return p;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withHttpServer(super.createCamelContext(), port);
    }

    /** Camel Main's HTTP server in this context, as the standalone app has it (camel.server.enabled). */
    static CamelContext withHttpServer(CamelContext context, int port) throws Exception {
        MainHttpServer server = new MainHttpServer();
        server.setPort(port);
        context.addService(server);
        return context;
    }

    @Test
    void aWebhookReceivedByTheInstanceThatDoesNotOwnTheTaskEndsItThroughItsOwner() throws Exception {
        int secondPort = freePort();
        CamelContext second = withHttpServer(new DefaultCamelContext(), secondPort);
        second.getPropertiesComponent().setOverrideProperties(properties());
        second.addRoutes(new TaskpollerRoutes());
        second.start();
        try {
            awaitSharedPartitions(second);
            String taskId = pollingScanDocumentsTask();
            InFlightTasks mine = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
            String key = PROVIDER + "/" + taskId;
            awaitTrue(() -> mine.get(key) != null || second.getRegistry()
                    .lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class).get(key) != null, "the task is tracked");
            int notOwner = mine.get(key) != null ? secondPort : port;

            String id = "msg_" + UUID.randomUUID();
            String body = webhook("task.completed", completedTask(taskId));
            String timestamp = now();
            assertEquals(204, post(endpoint(notOwner), id, timestamp, body, SIGNER.signature(id, timestamp, body)));

            JsonNode event = events("completed", 1).get(0);
            assertEquals(EventFactory.eventId(PROVIDER, taskId, "completed"), event.get("id").asText());
            awaitTrue(() -> records("inflight", 0).stream().anyMatch(r -> r.key().equals("control:" + key) && r.value() == null),
                    "the owner removed the control record after the event");
        } finally {
            second.stop();
        }
    }

    @Test
    void aSignedWebhookEndsItsTaskAtOnceWithTheEventAPollWouldHaveGivenAndNoPollFollows() throws Exception {
        String taskId = pollingScanDocumentsTask();

        String id = "msg_" + UUID.randomUUID();
        assertEquals(204, post(id, now(), webhook("task.completed", completedTask(taskId))));

        JsonNode event = events("completed", 1).get(0);
        assertEquals(EventFactory.eventId(PROVIDER, taskId, "completed"), event.get("id").asText());
        assertEquals(taskId, event.at("/data/taskId").asText());
        assertEquals("out.png", event.at("/data/result/files/0/name").asText(), "mapped by the adapter: " + event);
        assertEquals("image/png", event.at("/data/result/files/0/contentType").asText());
        assertAfterABarrierTask(sims.scanDocuments, taskId, newTaskId(PROVIDER), true);
        assertEquals(1, records("completed", 0).stream().filter(r -> r.key().equals(PROVIDER + "/" + taskId)).count(),
                "one event for the task");
    }

    @Test
    void aWebhookSignedUnderTheStandardWebhooksHeaderNamesEndsItsTaskAsASvixOneDoes() throws Exception {
        String taskId = pollingScanDocumentsTask();
        String id = "msg_" + UUID.randomUUID();
        String timestamp = now();
        String body = webhook("task.completed", completedTask(taskId));

        assertEquals(401, send(HttpRequest.newBuilder(endpoint()).header("webhook-id", id).header("webhook-timestamp", timestamp)
                .header("webhook-signature", SIGNER.signature(id, timestamp, body + " ")).POST(HttpRequest.BodyPublishers.ofString(body))),
                "signed for another body");
        assertEquals(204, send(HttpRequest.newBuilder(endpoint()).header("webhook-id", id).header("webhook-timestamp", timestamp)
                .header("webhook-signature", SIGNER.signature(id, timestamp, body)).POST(HttpRequest.BodyPublishers.ofString(body))));

        assertEquals(EventFactory.eventId(PROVIDER, taskId, "completed"), events("completed", 1).get(0).get("id").asText());
    }

    @Test
    void aSignedTaskFailedWebhookEndsItsTaskFailedAsThePollWould() throws Exception {
        String taskId = pollingScanDocumentsTask();

        assertEquals(204, post("msg_" + UUID.randomUUID(), now(), webhook("task.failed", "{\"id\":\"" + taskId
                + "\",\"operation\":\"scan\",\"parameters\":{},\"status\":\"failed\",\"result\":{\"error\":\"page unreadable\","
                + "\"details\":{}},\"callback_url\":null,\"created_at\":\"2026-11-24T08:00:00Z\",\"updated_at\":\"2026-11-24T08:00:01Z\"}")));

        JsonNode event = events("failed", 1).get(0);
        assertEquals(EventFactory.eventId(PROVIDER, taskId, "failed"), event.get("id").asText());
        assertEquals("provider_failed", event.at("/data/error/reason").asText());
        assertTrue(event.at("/data/error/message").asText().startsWith("page unreadable"), "the adapter's mapping: " + event);
        assertAfterABarrierTask(sims.scanDocuments, taskId, newTaskId(PROVIDER), true);
    }

    @Test
    void forgedStaleAndUnsignedWebhooksAreRefusedWith401AndChangeNothing() throws Exception {
        String taskId = pollingScanDocumentsTask();
        String body = webhook("task.completed", completedTask(taskId));
        String id = "msg_" + UUID.randomUUID();
        SvixSignature otherSecret = new SvixSignature("whsec_" + Base64.getEncoder().encodeToString("another secret".getBytes()),
                Duration.ofMinutes(5));

        assertEquals(401, post(id, now(), body, otherSecret.signature(id, now(), body)), "signed with another secret");
        String stale = String.valueOf(Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond());
        assertEquals(401, post(id, stale, body), "signed, but six minutes old");
        String ahead = String.valueOf(Instant.now().plus(Duration.ofMinutes(6)).getEpochSecond());
        assertEquals(401, post(id, ahead, body), "signed, but six minutes ahead");
        String timestamp = now();
        assertEquals(401, post(id, timestamp, body.replace("out.png", "evil.png"), SIGNER.signature(id, timestamp, body)),
                "the body changed after signing");
        assertEquals(401, send(HttpRequest.newBuilder(endpoint()).POST(HttpRequest.BodyPublishers.ofString(body))),
                "no signature headers");
        assertEquals(401, post(id, timestamp, body, "v1,not-base64!! v2," + SIGNER.signature(id, timestamp, body).substring(3)),
                "no v1 signature that matches");

        // the same webhook, rightly signed, still ends the task: none of the refused ones marked its id as seen
        assertAfterABarrierTask(sims.scanDocuments, taskId, newTaskId(PROVIDER), false);
        assertEquals(0, records("inflight", 0).stream().filter(r -> r.key().startsWith("control:")).count(),
                "a refused webhook writes nothing");
        assertEquals(204, post(id, now(), body));
        assertEquals(taskId, events("completed", 2).stream().filter(e -> e.at("/data/taskId").asText().equals(taskId))
                .findFirst().orElseThrow().at("/data/taskId").asText());
    }

    @Test
    void aReplayedWebhookIdAndAWebhookForATaskNotInFlightAreAcknowledgedAndIgnored() throws Exception {
        String ended = pollingScanDocumentsTask();
        String id = "msg_" + UUID.randomUUID();
        assertEquals(204, post(id, now(), webhook("task.completed", completedTask(ended))));
        events("completed", 1);
        String other = pollingScanDocumentsTask();

        assertEquals(204, post(id, now(), webhook("task.completed", completedTask(other))), "a replayed id, signed");
        assertEquals(204, post("msg_" + UUID.randomUUID(), now(), webhook("task.completed", completedTask(newTaskId(PROVIDER)))),
                "a task not in flight");
        assertEquals(204, post("msg_" + UUID.randomUUID(), now(), webhook("task.created", completedTask(other))),
                "an event that ends no task");

        assertAfterABarrierTask(sims.scanDocuments, other, newTaskId(PROVIDER), false);
        assertEquals(0, records("rejected", 0).size(), "nothing to reject");
        awaitTrue(() -> records("inflight", 0).stream().filter(r -> r.key().startsWith("control:") && r.value() == null)
                .count() == 2, "the control records of the ended task and of the task not in flight are removed");
    }

    private static String completedTask(String taskId) {
        return "{\"id\":\"" + taskId + "\",\"operation\":\"convert\",\"parameters\":{},\"status\":\"completed\",\"result\":"
                + "{\"generated_files\":[{\"id\":\"file_1\",\"name\":\"out.png\",\"type\":\"image/png\",\"properties\":"
                + "{\"size\":10,\"width\":1,\"height\":1},\"task_id\":\"" + taskId + "\",\"created_at\":\"2026-11-24T08:00:00Z\"}]},"
                + "\"callback_url\":null,\"created_at\":\"2026-11-24T08:00:00Z\",\"updated_at\":\"2026-11-24T08:00:01Z\"}";
    }

    private static String webhook(String type, String task) {
        return "{\"id\":\"event_" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"data\":" + task + "}";
    }

    private static String now() {
        return String.valueOf(Instant.now().getEpochSecond());
    }

    private int post(String id, String timestamp, String body) throws Exception {
        return post(id, timestamp, body, SIGNER.signature(id, timestamp, body));
    }

    private int post(String id, String timestamp, String body, String signature) throws Exception {
        return post(endpoint(), id, timestamp, body, signature);
    }

    private static int post(URI endpoint, String id, String timestamp, String body, String signature) throws Exception {
        return send(HttpRequest.newBuilder(endpoint).header("svix-id", id).header("svix-timestamp", timestamp)
                .header("svix-signature", signature).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static int send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private URI endpoint() {
        return endpoint(port);
    }

    private static URI endpoint(int port) {
        return URI.create("http://127.0.0.1:" + port + "/webhooks/scan-documents");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
