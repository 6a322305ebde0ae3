package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.IntSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * A request's own deadline and poll interval, end to end: Scan Documents and Shoplazza are configured to poll once an
 * hour with a day's deadline, so a task polled more often, or ended sooner, did so by its request's options alone.
 */
class RequestOptionsFlowTest extends TaskpollerTestSupport {

    /** Polls of one task: enough to tell a 100 ms cadence from the provider's hour. */
    private static final int POLLS = 5;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        for (String provider : List.of("scan-documents", "shoplazza-upload")) {
            p.put("taskpoller.provider." + provider + ".interval", "1h");
            p.put("taskpoller.provider." + provider + ".max-interval", "1h");
            p.put("taskpoller.provider." + provider + ".min-poll-interval", "50ms");
        }
        // Closient's deadline is shorter than the time its task takes: only a later deadline of the request lets it finish
        p.put("taskpoller.provider.closient-bulk-qr.deadline", "300ms");
        return p;
    }

    @Test
    void aRequestsOwnPollIntervalReplacesItsProvidersWhileOtherTasksKeepTheProviders() throws Exception {
        String fast = newTaskId("scan-documents");
        String usual = newTaskId("scan-documents");
        SimulatedTask fastTask = sims.scanDocuments.addTask(SimulatedTask.neverEnding(fast));
        SimulatedTask usualTask = sims.scanDocuments.addTask(SimulatedTask.neverEnding(usual));
        submit(withOptions("scan-documents", fast, null, "PT0.1S"));
        submit(request("scan-documents", usual, null));

        awaitPolls(fastTask::polls, POLLS);
        awaitPolls(usualTask::polls, 1);
        assertTrue(fastTask.polls() >= POLLS);
        assertEquals(1, usualTask.polls(), "the provider's interval is an hour: polled once, after the initial delay");
    }

    @Test
    void aRequestsOwnDeadlineAsADurationOrAnInstantEndsItWithDeadlineExceeded() {
        String byDuration = newTaskId("scan-documents");
        String byInstant = newTaskId("scan-documents");
        SimulatedTask first = sims.scanDocuments.addTask(SimulatedTask.neverEnding(byDuration));
        SimulatedTask second = sims.scanDocuments.addTask(SimulatedTask.neverEnding(byInstant));
        Instant at = Instant.now().plusSeconds(2);
        submit(withOptions("scan-documents", byDuration, "PT1S", null));
        submit(withOptions("scan-documents", byInstant, at.toString(), null));

        List<JsonNode> failed = events("failed", 2);
        assertEquals(2, failed.size());
        for (JsonNode event : failed) {
            JsonNode data = event.get("data");
            assertEquals("deadline_exceeded", data.get("error").get("reason").asText(), data.toString());
            Instant accepted = Instant.parse(data.get("acceptedAt").asText());
            Instant finished = Instant.parse(data.get("finishedAt").asText());
            Instant deadline = data.get("taskId").asText().equals(byDuration) ? accepted.plusSeconds(1) : at;
            assertTrue(!finished.isBefore(deadline), "not before its deadline: " + data);
            SimulatedTask task = data.get("taskId").asText().equals(byDuration) ? first : second;
            assertEquals(task.polls(), data.get("attempts").asInt(), "its last poll was at its deadline: " + data);
        }
    }

    @Test
    void aRequestsDeadlineLaterThanItsProvidersLetsItFinish() {
        String later = newTaskId("closient-bulk-qr");
        String usual = newTaskId("closient-bulk-qr");
        // 10 polls 100 ms apart take longer than the provider's 300 ms deadline
        sims.closient.addTask(SimulatedTask.completing(later, 10));
        sims.closient.addTask(SimulatedTask.completing(usual, 10));
        submit(withOptions("closient-bulk-qr", later, "PT1H", null));
        submit(request("closient-bulk-qr", usual, null));

        JsonNode completed = events("completed", 1).get(0).get("data");
        assertEquals(later, completed.get("taskId").asText());
        JsonNode failed = events("failed", 1).get(0).get("data");
        assertEquals(usual, failed.get("taskId").asText());
        assertEquals("deadline_exceeded", failed.get("error").get("reason").asText());
    }

    @Test
    void optionsThatCannotBeUsedAreRejectedWithTheReasonFromKafkaAndFromACsvFile() throws Exception {
        String outOfBounds = newTaskId("scan-documents");
        submit(withOptions("scan-documents", outOfBounds, null, "PT2H"));
        submit("{\"provider\":\"scan-documents\",\"taskId\":\"" + newTaskId("scan-documents") + "\",\"deadline\":3600}");
        String fromCsv = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.neverEnding(fromCsv));
        drop("options.csv", "provider,taskId,deadline,pollInterval\n"
                + "scan-documents," + fromCsv + ",PT1S,\n"
                + "scan-documents," + newTaskId("scan-documents") + ",2020-01-01T00:00:00Z,\n");

        List<JsonNode> rejected = events("rejected", 3);
        assertEquals(3, rejected.size());
        assertTrue(rejected.stream().allMatch(r -> r.get("reason").asText().equals("invalid_option")), rejected.toString());
        assertTrue(rejected.stream().anyMatch(r -> r.get("message").asText().contains("outside this provider's bounds")));
        assertTrue(rejected.stream().anyMatch(r -> r.get("message").asText().contains("not after the acceptance time")));
        JsonNode csvTask = events("failed", 1).get(0).get("data");
        assertEquals(fromCsv, csvTask.get("taskId").asText(), "the CSV line's own deadline ended it");
        assertEquals("deadline_exceeded", csvTask.get("error").get("reason").asText());
    }

    @Test
    void theOptionsOfTasksInFlightSurviveARestart() throws Exception {
        // the loop does not run before the stop, so the tasks are first polled by the second context
        context.getRouteController().stopRoute("taskpoller-poll-scan-documents");
        String fast = newTaskId("scan-documents");
        String shortLived = newTaskId("scan-documents");
        SimulatedTask fastTask = sims.scanDocuments.addTask(SimulatedTask.neverEnding(fast));
        sims.scanDocuments.addTask(SimulatedTask.neverEnding(shortLived));
        submit(withOptions("scan-documents", fast, "PT1H", "PT0.1S"));
        submit(withOptions("scan-documents", shortLived, "PT3S", null));
        awaitInFlight(2);
        context.stop();
        assertEquals(0, fastTask.polls(), "not polled before the stop");

        CamelContext second = new DefaultCamelContext();
        second.getPropertiesComponent().setOverrideProperties(properties());
        second.addRoutes(new TaskpollerRoutes());
        second.start();
        try {
            awaitPolls(fastTask::polls, POLLS);
            assertTrue(fastTask.polls() >= POLLS, "its own interval, not the provider's hour");
            JsonNode failed = events("failed", 1).get(0).get("data");
            assertEquals(shortLived, failed.get("taskId").asText());
            assertEquals("deadline_exceeded", failed.get("error").get("reason").asText());
            assertTrue(failed.get("error").get("message").asText().contains("within PT3S"), failed.toString());
        } finally {
            second.stop();
        }
    }

    private static String withOptions(String provider, String taskId, String deadline, String pollInterval) {
        return "{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\""
                + (deadline == null ? "" : ",\"deadline\":\"" + deadline + "\"")
                + (pollInterval == null ? "" : ",\"pollInterval\":\"" + pollInterval + "\"") + "}";
    }

    private static void awaitPolls(IntSupplier polls, int count) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (polls.getAsInt() < count && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
    }
}
