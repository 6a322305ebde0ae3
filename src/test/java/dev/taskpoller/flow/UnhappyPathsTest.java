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
    void aRejectedCredentialFailsAsUnauthorizedWithoutLeakingTheKey() {
        String taskId = newTaskId("shoplazza-upload");
        sims.shoplazza.addTask(SimulatedTask.completing(taskId, 1));
        submit(request("shoplazza-upload", taskId, null));

        JsonNode event = failedEvent();
        assertEquals("unauthorized", event.get("data").get("error").get("reason").asText());
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
    void aBodyThatNeverMakesSenseEndsAsBadResponseAfterTheRetryBudget() {
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 1));
        for (int i = 0; i < 4; i++) {
            sims.scanDocuments.injectFault(Fault.garbage());
        }
        submit(request("scan-documents", taskId, null));

        JsonNode data = failedEvent().get("data");
        assertEquals("bad_response", data.get("error").get("reason").asText());
        assertEquals(4, data.get("attempts").asInt());
        assertEquals("<html>gateway hiccup</html>", data.get("providerResponse").asText());
    }

    @Test
    void aTaskThatStaysPendingFailsAtItsDeadline() {
        String unknownToClosient = newTaskId("closient-bulk-qr");
        submit(request("closient-bulk-qr", unknownToClosient, null));

        JsonNode error = failedEvent().get("data").get("error");
        assertEquals("deadline_exceeded", error.get("reason").asText());
    }

    @Test
    void connectionErrorsAreRetriedThenFailAsMaxAttempts() {
        submit(request("acedata-qrart", newTaskId("acedata-qrart"), null));

        JsonNode data = failedEvent().get("data");
        assertEquals("max_attempts", data.get("error").get("reason").asText());
        assertTrue(data.get("error").get("message").asText().contains("transport_error"), data.toString());
        assertEquals(4, data.get("attempts").asInt());
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
