package dev.taskpoller.provider.scandocuments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.PollOutcome.Status;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCalls;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.sim.scandocuments.ScanDocumentsSimulator;
import dev.taskpoller.support.TestProviders;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Scan Documents adapter against its simulator over real loopback HTTP. */
class ScanDocumentsPollingTest {

    private static final String ID = "task_euyrvozb9302uwhq";
    private static final String UNKNOWN = "task_0000000000000000";

    private final ProviderAdapter adapter = TestProviders.adapter("scan-documents");
    private ScanDocumentsSimulator sim;

    @BeforeEach
    void start() {
        sim = new ScanDocumentsSimulator();
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private PollOutcome poll(String id) throws Exception {
        return poll(sim.apiKey(), id);
    }

    private PollOutcome poll(String key, String id) throws Exception {
        var outcomes = StatusCalls.poll(adapter, new ProviderEndpoint(sim.baseUrl(), key), List.of(id));
        assertEquals(1, outcomes.size());
        return outcomes.get(id);
    }

    /** Compares JSON by value, so 48213 read as a long and written as an int are the same number. */
    private static void assertJson(JsonNode expected, JsonNode actual) {
        assertEquals(Json.parse(Json.write(expected)), Json.parse(Json.write(actual)));
    }

    private static String statusIn(PollOutcome outcome) {
        return Json.text(Json.parse(outcome.providerResponse()).orElseThrow(), "status");
    }

    @Test
    void aPendingThenProcessingTaskCompletesWithItsGeneratedFile() throws Exception {
        SimulatedTask task = sim.addTask(SimulatedTask.completing(ID, 3));

        PollOutcome pending = poll(ID);
        assertEquals(Status.RUNNING, pending.status());
        assertEquals("pending", statusIn(pending));
        PollOutcome processing = poll(ID);
        assertEquals(Status.RUNNING, processing.status());
        assertEquals("processing", statusIn(processing));

        PollOutcome done = poll(ID);
        assertEquals(Status.COMPLETED, done.status());
        assertNull(done.error());
        ObjectNode expected = Json.object();
        expected.putArray("files").addObject()
                .putNull("url")
                .put("name", "Example Image")
                .put("contentType", "image/png")
                .put("size", 48213)
                .put("width", 800)
                .put("height", 600)
                .putNull("expiresAt");
        ObjectNode generated = expected.putArray("generatedFiles").addObject()
                .put("id", "file_euyrvozb9302uwhq")
                .put("name", "Example Image")
                .put("type", "image/png");
        generated.putObject("properties").put("size", 48213).put("width", 800).put("height", 600);
        generated.put("task_id", ID)
                .put("created_at", Instant.ofEpochMilli(task.createdAtMillis()).truncatedTo(ChronoUnit.SECONDS).toString());
        expected.put("operation", "apply-effect");
        assertJson(expected, done.result());
        assertEquals("completed", statusIn(done));
    }

    @Test
    void anExtractTextTaskCompletesWithItsTextAndNoFiles() throws Exception {
        sim.addExtractTextTask(ID, 2, "Invoice 42\nTotal: 10.00 EUR");

        assertEquals(Status.RUNNING, poll(ID).status());
        PollOutcome done = poll(ID);

        assertEquals(Status.COMPLETED, done.status());
        ObjectNode expected = Json.object();
        expected.putArray("files");
        expected.putObject("text").put("format", "plain").put("content", "Invoice 42\nTotal: 10.00 EUR");
        expected.put("operation", "extract-text");
        assertJson(expected, done.result());
    }

    @Test
    void aFailedTaskFailsWithTheProviderErrorAndItsDetails() throws Exception {
        sim.addTask(SimulatedTask.failing(ID, 2, "The input image could not be decoded."));

        assertEquals(Status.RUNNING, poll(ID).status());
        PollOutcome failed = poll(ID);

        assertEquals(Status.FAILED, failed.status());
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "The input image could not be decoded. "
                + "{\"input\":\"file_qhwu2039bzovryue\",\"stage\":\"apply-effect\"}", null), failed.error());
        ObjectNode expected = Json.object();
        expected.putArray("files");
        expected.putObject("details").put("input", "file_qhwu2039bzovryue").put("stage", "apply-effect");
        assertJson(expected, failed.result());
    }

    @Test
    void anUnknownTaskIsNotFoundAndTerminal() throws Exception {
        PollOutcome outcome = poll(UNKNOWN);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.NOT_FOUND, "Task with id " + UNKNOWN + " not found.", 404), outcome.error());
    }

    @Test
    void anIdTheProviderRejectsIsAnInvalidTaskIdWithTheFieldError() throws Exception {
        // Well-formed for the adapter (1..64 characters), but the provider's ids have 16.
        PollOutcome outcome = poll("task_abc");

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.INVALID_TASK_ID,
                "Validation Error (id: The id must be task_ followed by 16 lower-case letters or digits.)", 422),
                outcome.error());
    }

    @Test
    void errorsAreProblemDocuments() throws Exception {
        ProviderReply reply = StatusCalls.send(adapter.statusCall(List.of(UNKNOWN),
                new ProviderEndpoint(sim.baseUrl(), sim.apiKey())));

        assertEquals(404, reply.status());
        assertEquals("application/problem+json", reply.header("content-type"));
        assertEquals(Json.parse("{\"type\":\"https://scan-documents.com/docs/errors/not-found\",\"title\":\"Not Found\","
                + "\"status\":404,\"message\":\"Task with id " + UNKNOWN + " not found.\"}"), Json.parse(reply.body()));
    }

    @Test
    void aWrongKeyIsUnauthorized() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));

        PollOutcome outcome = poll("not-the-key", ID);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.UNAUTHORIZED, "invalid credentials", 401), outcome.error());
        assertEquals(0, sim.pollsOf(ID));
    }

    @Test
    void aRateLimitIsRetriedAfterTheSecondsTheProviderAsks() throws Exception {
        sim.injectFault(Fault.rateLimited(5));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.RATE_LIMITED,
                "Rate limit exceeded. Please try again later or contact support.", 429), outcome.error());
        assertEquals(Duration.ofSeconds(5), outcome.retryAfter());
    }

    @Test
    void aServerErrorIsRetriedAndTheNextPollGetsTheRealAnswer() throws Exception {
        sim.addTask(new SimulatedTask(ID, 0, 0, SimulatedTask.Ending.COMPLETED, null));
        sim.injectFault(Fault.status(500));

        PollOutcome first = poll(ID);
        assertEquals(Status.RETRY, first.status());
        assertEquals(new TaskError(TaskError.PROVIDER_UNAVAILABLE,
                "An unexpected error occurred. Contact support if the problem persists.", 500), first.error());

        PollOutcome second = poll(ID);
        assertEquals(Status.COMPLETED, second.status());
        assertEquals("Example Image", second.result().at("/files/0/name").asText());
        assertEquals(1, sim.pollsOf(ID));
    }

    @Test
    void aGarbageBodyIsARetryableBadResponseNeverACompletion() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));
        sim.injectFault(Fault.garbage());

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "not the task object of " + ID, 200), outcome.error());
        assertEquals("<html>gateway hiccup</html>", outcome.providerResponse());
    }

    @Test
    void anUndocumentedStatusIsABadResponse() throws Exception {
        sim.injectFault(new Fault(200, "{\"id\":\"" + ID + "\",\"status\":\"archived\",\"result\":{}}", null));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "unknown task status archived", 200), outcome.error());
    }

    @Test
    void aCompletedTaskWithAnUnknownResultShapeIsABadResponse() throws Exception {
        sim.injectFault(new Fault(200, "{\"id\":\"" + ID + "\",\"status\":\"completed\",\"result\":{}}", null));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE,
                "completed task without generated_files or content", 200), outcome.error());
    }
}
