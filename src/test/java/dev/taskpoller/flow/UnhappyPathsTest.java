package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.net.ServerSocket;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class UnhappyPathsTest extends TaskpollerTestSupport {

    private static final int CLOSED_PORT = closedPort();

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.poll.max-attempts", "4");
        p.put("taskpoller.provider.closient-bulk-qr.deadline", "1s");
        p.put("taskpoller.provider.shoplazza-upload.deadline", "2s");
        p.put("taskpoller.provider.acedata-qrart.deadline", "2s");
        p.put("taskpoller.provider.shoplazza-upload.api-key", "a-wrong-key");
        // nothing listens there: every call is a connection error
        p.put("taskpoller.provider.acedata-qrart.base-url", "http://127.0.0.1:" + CLOSED_PORT);
        return p;
    }

    @Test
    void anUnknownTaskFailsAsNotFound() {
        String taskId = newTaskId("scan-documents");
        submit(request("scan-documents", taskId, null));

        JsonNode error = failedEvent().get("data").get("error");
        assertEquals("not_found", error.get("reason").asText());
        assertEquals(404, error.get("httpStatus").asInt());
        assertEquals(1, sims.scanDocuments.requestCount(), "a terminal error is not retried");
    }

    @Test
    void aRefusedCredentialPausesTheTaskUntilItsDeadlineThenFailsItAsUnauthorizedWithoutLeakingTheKey() {
        String taskId = newTaskId("shoplazza-upload");
        sims.shoplazza.addTask(SimulatedTask.completing(taskId, 1));
        submit(request("shoplazza-upload", taskId, null));

        JsonNode event = failedEvent();
        assertEquals("unauthorized", event.get("data").get("error").get("reason").asText());
        assertTrue(event.get("data").get("error").get("message").asText().contains("until the deadline"), event.toString());
        assertTrue(sims.shoplazza.requestCount() > 1, "polled again while the credential was refused, not failed at once");
        assertFalse(event.toString().contains("a-wrong-key"));
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedUntilTheTaskCompletes() {
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 1));
        sims.scanDocuments.injectFault(Fault.rateLimited(1)).injectFault(Fault.status(500));
        submit(request("scan-documents", taskId, null));

        JsonNode data = events("completed", 1).get(0).get("data");
        assertEquals(3, data.get("attempts").asInt(), "429, 500, then the answer");
        assertEquals(3, sims.scanDocuments.requestCount());
    }

    @Test
    void unreadableBodiesAndServerErrorsSpendNoAttemptOfTheTask() {
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 2));
        // more failed calls than the task's 4 attempts: they are the provider's trouble, not the task's
        for (int i = 0; i < 3; i++) {
            sims.scanDocuments.injectFault(Fault.garbage()).injectFault(Fault.status(503));
        }
        submit(request("scan-documents", taskId, null));

        JsonNode data = events("completed", 1).get(0).get("data");
        assertEquals(8, data.get("attempts").asInt(), "6 failed calls, then running, then completed");
        assertEquals(8, sims.scanDocuments.requestCount());
    }

    @Test
    void aTaskThatStaysPendingFailsAtItsDeadline() {
        String unknownToClosient = newTaskId("closient-bulk-qr");
        submit(request("closient-bulk-qr", unknownToClosient, null));

        JsonNode error = failedEvent().get("data").get("error");
        assertEquals("deadline_exceeded", error.get("reason").asText());
    }

    @Test
    void connectionErrorsWaitOnTheErrorClockAndEndOnlyAtTheDeadline() {
        submit(request("acedata-qrart", newTaskId("acedata-qrart"), null));

        JsonNode data = failedEvent().get("data");
        assertEquals("deadline_exceeded", data.get("error").get("reason").asText(), data.toString());
        assertTrue(data.get("error").get("message").asText().contains("transport_error"), data.toString());
        assertTrue(data.get("attempts").asInt() > 4, "more calls than the 4 attempts, none of them spent: " + data);
    }

    @Test
    void aTaskStillRunningAfterItsAttemptsFailsAsMaxAttempts() {
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.neverEnding(taskId));
        submit(request("scan-documents", taskId, null));

        JsonNode data = failedEvent().get("data");
        assertEquals("max_attempts", data.get("error").get("reason").asText());
        assertEquals(4, data.get("attempts").asInt());
        assertEquals(4, sims.scanDocuments.pollsOf(taskId));
    }

    private JsonNode failedEvent() {
        var failed = events("failed", 1);
        assertEquals(1, failed.size());
        assertEquals("taskpoller.task.failed", failed.get(0).get("type").asText());
        assertEquals("failed", failed.get(0).get("data").get("status").asText());
        return failed.get(0);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
