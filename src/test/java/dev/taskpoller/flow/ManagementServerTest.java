package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.TaskpollerApplication;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.Simulators;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone app (Camel Main, as {@code TaskpollerApplication} builds it) serves taskpoller's health checks and
 * meters on its management server: a known set of tasks is driven through the simulators and the real broker, then
 * {@code /observe/metrics} and {@code /observe/health/ready} are read over HTTP as a scraper and a probe would.
 */
class ManagementServerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SCAN = "scan-documents";
    private static final String CLOSIENT = "closient-bulk-qr";

    @TempDir
    Path dir;
    private final Simulators sims = new Simulators().start();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private Main main;
    private int port;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
        sims.close();
    }

    @Test
    void metricsCountEveryAcceptedPublishedAndRejectedTaskAndReadinessIsUpWithTaskpollersChecks() throws Exception {
        start(Map.of());
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(request(SCAN, sims.scanDocuments.addTask(SimulatedTask.completing(newTaskId(SCAN), 3)).id()));
        }
        for (int i = 0; i < 2; i++) {
            requests.add(request(SCAN, sims.scanDocuments.addTask(SimulatedTask.failing(newTaskId(SCAN), 2, "broken")).id()));
        }
        // Closient's first answer is a 429: a status call counted as rate_limited, then the task completes
        sims.closient.injectFault(Fault.rateLimited(0));
        requests.add(request(CLOSIENT, sims.closient.addTask(SimulatedTask.completing(newTaskId(CLOSIENT), 2)).id()));
        requests.add("{\"taskId\":\"no-provider\"}");
        requests.add("{\"provider\":\"nobody-we-know\",\"taskId\":\"x\"}");
        requests.add(request(SCAN, "not a scan documents id"));
        TestKafka.sendAll(topic("requests"), requests);

        assertEquals(4, TestKafka.readAll(topic("completed"), 4, WAIT).size());
        assertEquals(2, TestKafka.readAll(topic("failed"), 2, WAIT).size());
        assertEquals(3, TestKafka.readAll(topic("rejected"), 3, WAIT).size());

        // the counts follow the events' publication (outbox and end come after the topic): read until they show
        String metrics = awaitMetrics(text -> value(text, "taskpoller_events_total", "outcome=\"completed\",provider=\"" + SCAN + "\",reason=\"none\"") == 3
                && value(text, "taskpoller_events_total", "outcome=\"completed\",provider=\"" + CLOSIENT + "\",reason=\"none\"") == 1
                && value(text, "taskpoller_events_total", "outcome=\"failed\",provider=\"" + SCAN + "\",reason=\"provider_failed\"") == 2
                && value(text, "taskpoller_tasks_in_flight", "provider=\"" + SCAN + "\"") == 0
                // the six tasks' ends, read back from the in-flight topic
                && value(text, "taskpoller_tasks_ended_remembered", "") == 6);

        assertEquals(5, value(metrics, "taskpoller_tasks_accepted_total", "provider=\"" + SCAN + "\""));
        assertEquals(1, value(metrics, "taskpoller_tasks_accepted_total", "provider=\"" + CLOSIENT + "\""));
        assertEquals(1, value(metrics, "taskpoller_rejected_total", "provider=\"none\",reason=\"missing_provider\""));
        assertEquals(1, value(metrics, "taskpoller_rejected_total", "provider=\"none\",reason=\"unknown_provider\""));
        assertEquals(1, value(metrics, "taskpoller_rejected_total", "provider=\"" + SCAN + "\",reason=\"invalid_task_id\""));
        // one call per task ends it; the others said running (queued, processing)
        assertEquals(5, value(metrics, "taskpoller_status_calls_total", "provider=\"" + SCAN + "\",result=\"ok\""));
        assertTrue(value(metrics, "taskpoller_status_calls_total", "provider=\"" + SCAN + "\",result=\"running\"") >= 5, metrics);
        assertEquals(1, value(metrics, "taskpoller_status_calls_total", "provider=\"" + CLOSIENT + "\",result=\"rate_limited\""));
        assertEquals(1, value(metrics, "taskpoller_status_calls_total", "provider=\"" + CLOSIENT + "\",result=\"ok\""));
        double scanCalls = value(metrics, "taskpoller_status_call_seconds_count", "provider=\"" + SCAN + "\"");
        assertTrue(scanCalls >= 10, "every status call timed: " + scanCalls);
        assertTrue(value(metrics, "taskpoller_status_call_seconds_bucket", "provider=\"" + SCAN + "\",le=\"+Inf\"") >= 10);
        assertTrue(value(metrics, "taskpoller_poll_lateness_seconds_count", "provider=\"" + SCAN + "\"") >= 10);
        // Scan Documents says when a task finished (updated_at); Closient does not, so it has no such series
        assertEquals(5, value(metrics, "taskpoller_event_delay_seconds_count", "provider=\"" + SCAN + "\""));
        assertFalse(metrics.contains("taskpoller_event_delay_seconds_count{provider=\"" + CLOSIENT + "\""), metrics);

        HttpResponse<String> ready = get("/observe/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        Map<String, String> states = checkStates(ready.body());
        for (String check : List.of("taskpoller-kafka", "taskpoller-inflight-rebuilt", "taskpoller-provider-" + SCAN,
                "taskpoller-provider-" + CLOSIENT, "taskpoller-provider-acedata-qrart", "taskpoller-provider-shoplazza-upload")) {
            assertEquals("UP", states.get(check), check + " in " + ready.body());
        }
        Map<String, String> live = checkStates(get("/observe/health/live").body());
        assertEquals("UP", live.get("taskpoller-polling-loops"), live.toString());
        assertEquals("UP", live.get("taskpoller-inflight-follower"), live.toString());
        assertFalse(live.containsKey("taskpoller-kafka"), "readiness checks are not liveness checks: " + live);
    }

    @Test
    void readinessIsDownNamingTheProviderWhoseCircuitIsOpenAndTheOneThatRefusesTheCredential() throws Exception {
        sims.closient.outage(500);
        start(Map.of("taskpoller.poll.circuit-failures", "2",
                "taskpoller.poll.circuit-open", "1h",
                "taskpoller.provider.shoplazza-upload.api-key", "not-the-right-key"));
        TestKafka.sendAll(topic("requests"), List.of(
                request(CLOSIENT, sims.closient.addTask(SimulatedTask.completing(newTaskId(CLOSIENT), 2)).id()),
                request("shoplazza-upload", sims.shoplazza.addTask(SimulatedTask.completing(newTaskId("shoplazza-upload"), 2)).id())));

        JsonNode health = awaitReadiness(body -> "DOWN".equals(checkStates(body).get("taskpoller-provider-" + CLOSIENT))
                && "DOWN".equals(checkStates(body).get("taskpoller-provider-shoplazza-upload")));
        assertEquals("OPEN", details(health, "taskpoller-provider-" + CLOSIENT).path("circuit").asText(), health.toString());
        assertEquals("provider_unavailable", details(health, "taskpoller-provider-" + CLOSIENT).path("lastFailure").asText());
        assertEquals("refused", details(health, "taskpoller-provider-shoplazza-upload").path("credential").asText(), health.toString());
        assertEquals("UP", checkStates(health.toString()).get("taskpoller-provider-" + SCAN), health.toString());
        assertEquals(503, get("/observe/health/ready").statusCode(), "a probe reads DOWN from the status code");
    }

    private void start(Map<String, String> extra) throws Exception {
        port = freePort();
        Properties config = TaskpollerTestSupport.fastSetup(sims, dir);
        config.put("taskpoller.kafka.brokers", TestKafka.bootstrapServers());
        config.put("taskpoller.kafka.group-id", "requests-" + run);
        config.put("taskpoller.kafka.inflight-group-id", "inflight-" + run);
        for (String stream : List.of("requests", "inflight", "completed", "failed", "rejected")) {
            config.put("taskpoller.topic." + stream, topic(stream));
        }
        config.put("camel.management.port", String.valueOf(port));
        config.put("camel.main.shutdown-timeout", "5");
        config.putAll(extra);
        main = TaskpollerApplication.newMain(ChildJvm.writeConfig(dir.resolve("test.properties"), config).toString());
        main.start();
    }

    private String topic(String stream) {
        return "m" + run + "." + stream;
    }

    private static String request(String provider, String taskId) {
        return "{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\"}";
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String awaitMetrics(Predicate<String> done) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        String text = "";
        while (System.nanoTime() < until) {
            HttpResponse<String> scrape = get("/observe/metrics");
            assertEquals(200, scrape.statusCode());
            text = scrape.body();
            if (done.test(text)) {
                return text;
            }
            Thread.sleep(100);
        }
        return fail("the metrics never showed the expected counts:\n" + text);
    }

    private JsonNode awaitReadiness(Predicate<String> done) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        String body = "";
        while (System.nanoTime() < until) {
            // details (the checks' data) only when asked for
            body = get("/observe/health/ready?data=true").body();
            if (done.test(body)) {
                return Json.parse(body).orElseThrow();
            }
            Thread.sleep(100);
        }
        return fail("readiness never showed the expected states:\n" + body);
    }

    /** A sample's value in Prometheus text, -1 when there is no such sample; {@code labels} empty: any labels. */
    private static double value(String metrics, String name, String labels) {
        String series = labels.isEmpty() ? Pattern.quote(name) + "(?:\\{[^}]*\\})?"
                : Pattern.quote(name + "{" + labels) + "[,}][^ ]*";
        Matcher sample = Pattern.compile("^" + series + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return sample.find() ? Double.parseDouble(sample.group(1)) : -1;
    }

    /** Each check's state by its id, from the health JSON of Camel Main's management server. */
    private static Map<String, String> checkStates(String body) {
        JsonNode health = Json.parse(body).orElseThrow(() -> new AssertionError("not JSON: " + body));
        Map<String, String> states = new java.util.TreeMap<>();
        health.path("checks").forEach(check -> states.put(check.path("name").asText(), check.path("status").asText()));
        return states;
    }

    private static JsonNode details(JsonNode health, String id) {
        Optional<JsonNode> check = StreamSupport.stream(health.path("checks").spliterator(), false)
                .filter(each -> id.equals(each.path("name").asText())).findFirst();
        return check.orElseThrow(() -> new AssertionError(id + " not in " + health)).path("data");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
