package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every provider through every kind of trouble its API can be in, one after the other: each task still ends
 * completed, no failure is invented, and a finished task is never polled again.
 */
class FaultMatrixTest extends TaskpollerTestSupport {

    private static final int RUNNING_POLLS = 2;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.poll.not-found-grace", "1h");
        p.put("taskpoller.poll.max-attempts", String.valueOf(RUNNING_POLLS + 2));
        p.put("taskpoller.http.response-timeout", "300ms");
        return p;
    }

    private interface Trouble {
        /** Puts the simulator in trouble for the task about to be submitted; returns how to end it, if it lasts. */
        Runnable begin(ProviderSimulator sim, String taskId);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"acedata-qrart", "scan-documents", "shoplazza-upload", "closient-bulk-qr"})
    void everyTaskOfAProviderInTroubleEndsCompletedAndIsNeverPolledAgain(String provider) throws Exception {
        ProviderSimulator sim = sims.of(provider);
        Map<String, Trouble> troubles = new LinkedHashMap<>();
        troubles.put("a 429 storm with Retry-After", (s, id) -> repeat(3, () -> s.injectFault(Fault.rateLimited(1))));
        troubles.put("503 for a while, then recovery", (s, id) -> {
            s.outage(503);
            return s::endOutage;
        });
        troubles.put("connections cut mid-answer", (s, id) -> repeat(3, () -> s.injectFault(Fault.cut())));
        troubles.put("answers slower than the timeout", (s, id) -> repeat(2, () -> s.injectFault(Fault.slow(Duration.ofSeconds(1)))));
        troubles.put("truncated and non-JSON bodies", (s, id) -> repeat(1, () -> s.injectFault(
                new Fault(200, "{\"status\":\"comp", null)).injectFault(Fault.garbage())));
        troubles.put("a refused key, then the right one", (s, id) -> {
            String key = s.apiKey();
            s.apiKey("rotated-" + key);
            return () -> s.apiKey(key);
        });
        if (!provider.equals("closient-bulk-qr")) {
            // Closient reports an id it does not know as pending, never 404
            // (its 404s are answers about the task: it completes at its first poll once it shows up, within max-attempts)
            troubles.put("404 within the grace, then the task shows up", (s, id) -> () -> s.addTask(SimulatedTask.completing(id, 1)));
        }

        Map<String, Integer> pollsWhenDone = new LinkedHashMap<>();
        int completed = 0;
        for (Map.Entry<String, Trouble> trouble : troubles.entrySet()) {
            String taskId = newTaskId(provider);
            boolean showsUpLater = trouble.getKey().startsWith("404");
            if (!showsUpLater) {
                sim.addTask(SimulatedTask.completing(taskId, RUNNING_POLLS + 1));
            }
            int callsBefore = sim.requestCount();
            Runnable end = trouble.getValue().begin(sim, taskId);
            submit(request(provider, taskId, trouble.getKey()));
            if (end != null) {
                awaitCalls(sim, callsBefore + 3);
                end.run();
            }
            completed++;
            JsonNode event = completedEvent(completed, taskId);
            assertEquals(trouble.getKey(), event.get("data").get("correlationId").asText());
            pollsWhenDone.put(taskId, sim.pollsOf(taskId));
        }
        assertEquals(0, records("failed", 0).size(), "no task failed for its provider's trouble");
        // one more task through the whole course: time enough for any stray poll of the finished ones
        String last = newTaskId(provider);
        sim.addTask(SimulatedTask.completing(last, RUNNING_POLLS + 1));
        submit(request(provider, last, "last"));
        completedEvent(completed + 1, last);
        pollsWhenDone.forEach((taskId, polls) -> assertEquals(polls, sim.pollsOf(taskId), taskId + " polled after its end"));
    }

    private JsonNode completedEvent(int count, String taskId) {
        List<JsonNode> events = events("completed", count);
        return events.stream().filter(e -> e.get("subject").asText().equals(taskId)).findFirst()
                .orElseThrow(() -> new AssertionError(taskId + " did not complete; events: " + events.size()));
    }

    private static Runnable repeat(int times, Runnable step) {
        for (int i = 0; i < times; i++) {
            step.run();
        }
        return null;
    }

    private static void awaitCalls(ProviderSimulator sim, int count) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (sim.requestCount() < count && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        assertTrue(sim.requestCount() >= count, sim.provider() + " saw " + sim.requestCount() + " calls, expected " + count);
    }
}
