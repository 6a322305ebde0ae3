package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

class AceDataCallbackTest extends TaskpollerTestSupport {

    private static final String PROVIDER = "acedata-qrart";
    private static final String TOKEN = "a-shared-callback-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final int port = WebhookTest.freePort();

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.acedata-qrart.webhook-enabled", "true");
        p.put("taskpoller.provider.acedata-qrart.webhook-secret", TOKEN);
        // a task not ended by a callback is shown still polled: the safety net at the test cadence
        p.put("taskpoller.webhooks.safety-net-interval", "100ms");
        return p;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return WebhookTest.withHttpServer(super.createCamelContext(), port);
    }

    @Test
    void aCallbackWithTheTokenEndsItsTaskAtOnceWithTheEventAPollWouldHaveGivenAndNoPollFollows() throws Exception {
        String taskId = pollingTask();

        assertEquals(204, post("?token=" + TOKEN, completedTask(taskId)));

        JsonNode event = events("completed", 1).get(0);
        assertEquals(EventFactory.eventId(PROVIDER, taskId, "completed"), event.get("id").asText());
        assertEquals(taskId, event.at("/data/taskId").asText());
        assertEquals("https://cdn.example/" + taskId + ".png", event.at("/data/result/files/0/url").asText(),
                "mapped by the adapter: " + event);
        assertAfterABarrierTask(sims.aceData, taskId, UUID.randomUUID().toString(), true);
    }

    @Test
    void aCallbackOfAFailedTaskEndsItFailedAsThePollWould() throws Exception {
        String taskId = pollingTask();

        assertEquals(204, post("?token=" + TOKEN, "{\"id\":\"" + taskId + "\",\"response\":{\"success\":false,"
                + "\"error\":{\"code\":\"api_error\",\"message\":\"qr unreadable\"}}}"));

        JsonNode event = events("failed", 1).stream().filter(e -> e.at("/data/taskId").asText().equals(taskId))
                .findFirst().orElseThrow();
        assertEquals(EventFactory.eventId(PROVIDER, taskId, "failed"), event.get("id").asText());
        assertEquals("provider_failed", event.at("/data/error/reason").asText());
        assertTrue(event.at("/data/error/message").asText().contains("qr unreadable"), "the adapter's mapping: " + event);
        assertAfterABarrierTask(sims.aceData, taskId, UUID.randomUUID().toString(), true);
    }

    @Test
    void aCallbackWithoutTheTokenOrWithAnotherIsRefusedWith401AndChangesNothing() throws Exception {
        String taskId = pollingTask();
        String body = completedTask(taskId);

        assertEquals(401, post("", body), "no token");
        assertEquals(401, post("?token=", body), "an empty token");
        assertEquals(401, post("?token=" + TOKEN + "x", body), "another token");
        assertEquals(401, post("?token=" + TOKEN.substring(1), body), "a shorter one");

        assertAfterABarrierTask(sims.aceData, taskId, UUID.randomUUID().toString(), false);
        assertEquals(0, records("inflight", 0).stream().filter(r -> r.key().equals("control:" + PROVIDER + "/" + taskId))
                .count(), "a refused callback writes nothing");
    }

    @Test
    void aCallbackForATaskNotInFlightOrOfATaskStillRunningIsAcknowledgedAndIgnored() throws Exception {
        String running = pollingTask();

        assertEquals(204, post("?token=" + TOKEN, completedTask(UUID.randomUUID().toString())), "a task not in flight");
        assertEquals(204, post("?token=" + TOKEN, "{\"id\":\"" + running + "\",\"response\":null}"), "not ended");
        assertEquals(204, post("?token=" + TOKEN, "not json"), "no task object");

        assertAfterABarrierTask(sims.aceData, running, UUID.randomUUID().toString(), false);
        assertEquals(0, records("rejected", 0).size(), "nothing to reject");
    }

    private String pollingTask() throws InterruptedException {
        String taskId = UUID.randomUUID().toString();
        sims.aceData.addTask(SimulatedTask.neverEnding(taskId));
        submit(request(PROVIDER, taskId, null));
        awaitTrue(() -> sims.aceData.pollsOf(taskId) > 0, "the task is polled");
        return taskId;
    }

    private static String completedTask(String taskId) {
        return "{\"_id\":\"0123456789abcdef01234567\",\"id\":\"" + taskId + "\",\"created_at\":1720497708.318,"
                + "\"request\":{\"prompt\":\"a cat\",\"content\":\"https://example.com\",\"type\":\"link\",\"callback_url\":"
                + "\"https://taskpoller.example/webhooks/acedata-qrart?token=...\"},\"response\":{\"success\":true,"
                + "\"image_url\":\"https://cdn.example/" + taskId + ".png\",\"image_width\":768,\"image_height\":768,\"seed\":1}}";
    }

    private int post(String query, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/acedata-qrart" + query))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
