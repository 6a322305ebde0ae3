package dev.taskpoller.provider.acedata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.taskpoller.sim.acedata.AceDataSimulator;
import dev.taskpoller.support.TestProviders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The AceData adapter against its simulator over real loopback HTTP. */
class AceDataPollingTest {

    private static final String ID = "e2c65b20-a970-431e-99c1-76721e799df8";
    private static final String OTHER = "6f1c2b4e-0d3a-4c5b-8e7f-9a0b1c2d3e4f";
    private static final String THIRD = "0b5f8e2a-1c3d-4e5f-a6b7-c8d9e0f1a2b3";
    private static final String UNKNOWN = "11111111-2222-4333-8444-555555555555";

    private final ProviderAdapter adapter = TestProviders.adapter("acedata-qrart");
    private AceDataSimulator sim;

    @BeforeEach
    void start() {
        sim = new AceDataSimulator();
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private PollOutcome poll(String id) throws Exception {
        return poll(sim.apiKey(), List.of(id)).get(id);
    }

    private Map<String, PollOutcome> poll(String key, List<String> ids) throws Exception {
        return StatusCalls.poll(adapter, new ProviderEndpoint(sim.baseUrl(), key), ids);
    }

    /** Compares JSON by value, whatever numeric node type each side holds. */
    private static void assertJson(JsonNode expected, JsonNode actual) {
        assertEquals(Json.parse(Json.write(expected)), Json.parse(Json.write(actual)));
    }

    @Test
    void aTaskRunsUntilItsResponseArrivesThenCompletesWithItsImage() throws Exception {
        SimulatedTask task = sim.addTask(SimulatedTask.completing(ID, 3));

        PollOutcome queued = poll(ID);
        assertEquals(Status.RUNNING, queued.status());
        assertFalse(Json.parse(queued.providerResponse()).orElseThrow().has("response"));
        PollOutcome running = poll(ID);
        assertEquals(Status.RUNNING, running.status());
        assertEquals(true, Json.parse(running.providerResponse()).orElseThrow().get("response").isNull());

        PollOutcome done = poll(ID);
        assertEquals(Status.COMPLETED, done.status());
        assertNull(done.error());
        ObjectNode expected = Json.object();
        expected.putArray("files").addObject()
                .put("url", "https://cdn.acedata.example/qrart/" + ID + ".png")
                .put("name", ID + ".png")
                .put("contentType", "image/png")
                .putNull("size")
                .put("width", 768)
                .put("height", 768)
                .putNull("expiresAt");
        expected.put("seed", AceDataSimulator.seedOf(ID));
        expected.put("taskCreatedAt", Instant.ofEpochMilli(task.createdAtMillis()).toString());
        assertJson(expected, done.result());
        assertEquals(ID, Json.text(Json.parse(done.providerResponse()).orElseThrow(), "id"));
        assertEquals(3, sim.pollsOf(ID));
    }

    @Test
    void aSignedImageUrlIsStillAPngByItsFileName() {
        PollOutcome done = adapter.interpret(List.of(ID), new ProviderReply(200, "{\"id\": \"" + ID + "\", \"response\":"
                + " {\"success\": true, \"image_url\": \"https://cdn.example/" + ID + ".PNG?X-Sig=ab.c\"}}")).get(ID);

        assertEquals("image/png", done.result().at("/files/0/contentType").asText());
        assertEquals(ID + ".PNG", done.result().at("/files/0/name").asText());
    }

    @Test
    void aTaskWhoseResponseIsUnsuccessfulFailsWithTheProviderCodeAndMessage() throws Exception {
        sim.addTask(SimulatedTask.failing(ID, 2, "prompt rejected by the content filter"));

        assertEquals(Status.RUNNING, poll(ID).status());
        PollOutcome failed = poll(ID);

        assertEquals(Status.FAILED, failed.status());
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED,
                "generation_failed: prompt rejected by the content filter", null), failed.error());
        assertNull(failed.result());
    }

    @Test
    void anUnknownIdIsNotFoundAndTerminal() throws Exception {
        PollOutcome outcome = poll(UNKNOWN);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.NOT_FOUND, "not_found: task " + UNKNOWN + " not found", 404),
                outcome.error());
    }

    @Test
    void anUnimplementedActionIsABadRequest() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));
        sim.injectFault(Fault.status(400));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_REQUEST, "api_not_implemented: injected 400", 400), outcome.error());
    }

    @Test
    void aMismatchedTokenIsACredentialProblemDespiteItsStatus400() throws Exception {
        sim.injectFault(new Fault(400, "{\"success\":false,\"error\":{\"code\":\"token_mismatched\","
                + "\"message\":\"token does not belong to this API\"},\"trace_id\":\"t-1\"}", null));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.UNAUTHORIZED,
                "token_mismatched: token does not belong to this API", 400), outcome.error());
    }

    @Test
    void aWrongKeyIsUnauthorized() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));

        PollOutcome outcome = poll("not-the-key", List.of(ID)).get(ID);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.UNAUTHORIZED, "invalid_token: invalid credentials", 401), outcome.error());
        assertEquals(0, sim.pollsOf(ID));
    }

    @Test
    void aRateLimitIsRetriedAfterTheSecondsTheProviderAsks() throws Exception {
        sim.injectFault(Fault.rateLimited(7));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.RATE_LIMITED, "too_many_requests: injected 429", 429), outcome.error());
        assertEquals(Duration.ofSeconds(7), outcome.retryAfter());
    }

    @Test
    void aServerErrorIsRetriedAndTheNextPollGetsTheRealAnswer() throws Exception {
        sim.addTask(new SimulatedTask(ID, 0, 0, SimulatedTask.Ending.COMPLETED, null));
        sim.injectFault(Fault.status(500));

        PollOutcome first = poll(ID);
        assertEquals(Status.RETRY, first.status());
        assertEquals(new TaskError(TaskError.PROVIDER_UNAVAILABLE, "api_error: injected 500", 500), first.error());
        assertNull(first.retryAfter());

        PollOutcome second = poll(ID);
        assertEquals(Status.COMPLETED, second.status());
        assertEquals("https://cdn.acedata.example/qrart/" + ID + ".png", second.result().at("/files/0/url").asText());
        assertEquals(1, sim.pollsOf(ID));
    }

    @Test
    void aGarbageBodyIsARetryableBadResponseNeverACompletion() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));
        sim.injectFault(Fault.garbage());

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "not a JSON object", 200), outcome.error());
        assertEquals("<html>gateway hiccup</html>", outcome.providerResponse());
    }

    @Test
    void anErrorEnvelopeSentWith200IsABadResponseNotARunningTask() throws Exception {
        sim.injectFault(new Fault(200, "{\"success\":false,\"error\":{\"code\":\"api_error\",\"message\":\"x\"}}", null));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "not the task object of " + ID, 200), outcome.error());
    }

    @Test
    void aResponseWithoutABooleanSuccessIsABadResponse() throws Exception {
        sim.injectFault(new Fault(200, "{\"id\":\"" + ID + "\",\"response\":{\"image_url\":\"https://x/y.png\"}}", null));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "task response without a boolean success", 200),
                outcome.error());
    }

    @Test
    void aBatchAsksForAllTasksInOneRequestAndAnswersEachIdOnce() throws Exception {
        sim.addTask(new SimulatedTask(ID, 0, 0, SimulatedTask.Ending.COMPLETED, null));
        sim.addTask(SimulatedTask.completing(OTHER, 4));
        sim.addTask(new SimulatedTask(THIRD, 0, 0, SimulatedTask.Ending.FAILED, "out of credits"));
        List<String> ids = List.of(ID, OTHER, UNKNOWN, THIRD);

        Map<String, PollOutcome> outcomes = poll(sim.apiKey(), ids);

        assertEquals(1, sim.requestCount());
        assertEquals(ids.size(), outcomes.size());
        assertEquals(Status.COMPLETED, outcomes.get(ID).status());
        assertEquals(ID + ".png", outcomes.get(ID).result().at("/files/0/name").asText());
        assertEquals(Status.RUNNING, outcomes.get(OTHER).status());
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "generation_failed: out of credits", null),
                outcomes.get(THIRD).error());
        assertEquals(Status.FAILED, outcomes.get(UNKNOWN).status());
        assertEquals(new TaskError(TaskError.NOT_FOUND, "not in retrieve_batch answer", 200),
                outcomes.get(UNKNOWN).error());
        for (String known : List.of(ID, OTHER, THIRD)) {
            JsonNode own = Json.parse(outcomes.get(known).providerResponse()).orElseThrow();
            assertEquals(known, Json.text(own, "id"), "each task carries its own item, not the batch");
            assertEquals(1, sim.pollsOf(known));
        }
    }

    @Test
    void aBatchWhoseCountDisagreesWithItsItemsDoesNotFailTheMissingIds() throws Exception {
        sim.injectFault(new Fault(200, "{\"items\":[{\"id\":\"" + ID + "\"}],\"count\":2}", null));

        Map<String, PollOutcome> outcomes = poll(sim.apiKey(), List.of(ID, OTHER));

        assertEquals(Status.RUNNING, outcomes.get(ID).status());
        assertEquals(Status.RETRY, outcomes.get(OTHER).status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE,
                "retrieve_batch answer count 2 disagrees with its 1 items", 200), outcomes.get(OTHER).error());
    }

    @Test
    void aBatchAnswerWithoutItemsIsABadResponseForEveryId() throws Exception {
        sim.injectFault(Fault.garbage());

        Map<String, PollOutcome> outcomes = poll(sim.apiKey(), List.of(ID, OTHER));

        assertEquals(2, outcomes.size());
        outcomes.values().forEach(outcome -> {
            assertEquals(Status.RETRY, outcome.status());
            assertEquals(TaskError.BAD_RESPONSE, outcome.error().reason());
        });
    }

    @Test
    void aBatchErrorReplyCoversEveryId() throws Exception {
        Map<String, PollOutcome> outcomes = poll("not-the-key", List.of(ID, OTHER));

        assertEquals(List.of(ID, OTHER), List.copyOf(outcomes.keySet()));
        outcomes.values().forEach(outcome ->
                assertEquals(new TaskError(TaskError.UNAUTHORIZED, "invalid_token: invalid credentials", 401),
                        outcome.error()));
    }
}
