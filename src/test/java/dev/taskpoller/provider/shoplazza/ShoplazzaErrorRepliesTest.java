package dev.taskpoller.provider.shoplazza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.PollOutcome.Status;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.StatusCalls;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.RateLimit;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.sim.shoplazza.ShoplazzaSimulator;
import dev.taskpoller.support.TestProviders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shoplazza's error replies, rate limits and unreadable answers, against the simulator over loopback HTTP. */
class ShoplazzaErrorRepliesTest {

    private static final String ID = "300b5e33-3ac5-41c5-9819-7e2e8aad6a98";

    private final ShoplazzaSimulator sim = new ShoplazzaSimulator();
    private final ProviderAdapter adapter = TestProviders.adapter("shoplazza-upload");

    @BeforeEach
    void start() {
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private ProviderEndpoint endpoint() {
        return new ProviderEndpoint(sim.baseUrl(), sim.apiKey());
    }

    private PollOutcome poll(String key) throws Exception {
        return StatusCalls.poll(adapter, new ProviderEndpoint(sim.baseUrl(), key), List.of(ID)).get(ID);
    }

    private PollOutcome poll() throws Exception {
        return poll(sim.apiKey());
    }

    @Test
    void anUnknownTaskIsNotFoundAndTerminal() throws Exception {
        PollOutcome outcome = poll();

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.NOT_FOUND, "page not found", 404), outcome.error());
        assertEquals("{\"error\":\"page not found\"}", outcome.providerResponse());
    }

    @Test
    void a422IsAnInvalidTaskId() throws Exception {
        // Shoplazza documents no 422; forced to show the shared classification holds for this adapter too
        sim.injectFault(Fault.status(422));

        PollOutcome outcome = poll();

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.INVALID_TASK_ID, "injected 422", 422), outcome.error());
    }

    @Test
    void aWrongAccessTokenIsUnauthorized() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));

        PollOutcome outcome = poll("not-the-token");

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.UNAUTHORIZED, "store is not active", 401), outcome.error());
        assertEquals(0, sim.pollsOf(ID));
    }

    @Test
    void a400NamingAnInactiveStoreIsUnauthorizedToo() throws Exception {
        sim.injectFault(new Fault(400, "{\"error\": \"store is not active\"}", null));

        PollOutcome outcome = poll();

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.UNAUTHORIZED, "store is not active", 400), outcome.error());
    }

    @Test
    void a400Of2025_06WhoseCodeNamesTheCredentialsIsUnauthorized() throws Exception {
        sim.injectFault(new Fault(400, "{\"code\": \"Unauthorized\", \"message\": \"access denied\"}", null));

        PollOutcome outcome = poll();

        assertEquals(new TaskError(TaskError.UNAUTHORIZED, "Unauthorized: access denied", 400), outcome.error());
    }

    @Test
    void anyOther400IsABadRequest() throws Exception {
        sim.injectFault(Fault.status(400));

        PollOutcome outcome = poll();

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_REQUEST, "No Context", 400), outcome.error());
    }

    @Test
    void theSimulatorAnswersAMissingIdWithNoContext() throws Exception {
        StatusCall call = StatusCall.get(sim.baseUrl() + "/openapi/2022-01/file/task/", Map.of("Access-Token", sim.apiKey()));

        ProviderReply reply = StatusCalls.send(call);

        assertEquals(400, reply.status());
        assertEquals("{\"errors\":[\"No Context\"]}", reply.body());
    }

    @Test
    void a429IsRetriedAfterTheTimeItsHeaderAsks() throws Exception {
        sim.injectFault(Fault.rateLimited(7));

        PollOutcome outcome = poll();

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(Duration.ofSeconds(7), outcome.retryAfter());
        assertEquals(new TaskError(TaskError.RATE_LIMITED, ShoplazzaSimulator.RATE_LIMIT_MESSAGE, 429), outcome.error());
    }

    @Test
    void theLeakyBucketRefusesTheCallThatOverflowsIt() throws Exception {
        // 3 calls fill the bucket, which drains one call every 2 s: the 4th must wait up to 2 s
        sim.rateLimit(RateLimit.leakyBucket(3, 0.5));
        sim.addTask(SimulatedTask.neverEnding(ID));

        for (int i = 0; i < 3; i++) {
            assertEquals(Status.RUNNING, poll().status());
        }
        ProviderReply reply = StatusCalls.send(adapter.statusCall(List.of(ID), endpoint()));
        PollOutcome refused = adapter.interpret(List.of(ID), reply).get(ID);

        assertEquals(429, reply.status());
        assertEquals("{\"errors\":[\"" + ShoplazzaSimulator.RATE_LIMIT_MESSAGE + "\"]}", reply.body());
        long header = Long.parseLong(reply.header("Retry-After"));
        assertTrue(header == 1 || header == 2, "Retry-After " + header);
        assertEquals(Status.RETRY, refused.status());
        assertEquals(new TaskError(TaskError.RATE_LIMITED, ShoplazzaSimulator.RATE_LIMIT_MESSAGE, 429), refused.error());
        assertEquals(Duration.ofSeconds(header), refused.retryAfter());
        assertEquals(3, sim.pollsOf(ID));
    }

    @Test
    void theDefaultBucketTakesABurstOfSixtyAndDrainsTwoASecond() throws Exception {
        sim.addTask(SimulatedTask.neverEnding(ID));
        long started = System.nanoTime();

        int call = 0;
        PollOutcome outcome;
        do {
            outcome = poll();
            call++;
        } while (outcome.status() == Status.RUNNING && call < 200);
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;

        assertEquals(Status.RETRY, outcome.status());
        assertTrue(call >= 61, "refused at call " + call);
        assertTrue(call <= 61 + Math.ceil(2 * elapsedSeconds) + 1, "refused at call " + call + " after " + elapsedSeconds + " s");
        // one call over the bucket drains in at most half a second, announced as the minimum whole second
        assertEquals(Duration.ofSeconds(1), outcome.retryAfter());
    }

    @Test
    void a500IsRetriedAndTheNextPollsCarryOn() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));
        sim.injectFault(Fault.status(500));

        PollOutcome unavailable = poll();
        PollOutcome running = poll();
        PollOutcome done = poll();

        assertEquals(Status.RETRY, unavailable.status());
        assertEquals(new TaskError(TaskError.PROVIDER_UNAVAILABLE, "internal error", 500), unavailable.error());
        assertNull(unavailable.retryAfter());
        assertEquals(Status.RUNNING, running.status());
        assertEquals(Status.COMPLETED, done.status());
    }

    @Test
    void aGarbageBodyIsARetryableBadResponseNeverACompletion() throws Exception {
        sim.injectFault(Fault.garbage());

        PollOutcome outcome = poll();

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE,
                "Shoplazza answered something that is not a JSON object", 200), outcome.error());
        assertEquals("<html>gateway hiccup</html>", outcome.providerResponse());
    }

    @Test
    void aTaskWithoutAnIntegerStatusIsABadResponse() throws Exception {
        sim.injectFault(new Fault(200, "{\"task_id\": \"" + ID + "\", \"total\": 1}", null));
        sim.injectFault(new Fault(200, "{\"task_id\": \"" + ID + "\", \"status\": \"0\", \"total\": 0}", null));

        PollOutcome missing = poll();
        PollOutcome text = poll();

        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "Shoplazza task has no integer status", 200), missing.error());
        assertEquals(Status.RETRY, missing.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "Shoplazza task has no integer status", 200), text.error());
    }

    @Test
    void anUndocumentedStatusValueIsNotTerminal() throws Exception {
        sim.injectFault(new Fault(200, "{\"task_id\": \"" + ID + "\", \"total\": 1, \"finished\": 1, \"status\": 2,"
                + " \"success_list\": [{\"file_uri\": \"a.jpeg\", \"origin_link\": \"\", \"upload_link\": \"\"}]}", null));

        assertEquals(Status.RUNNING, poll().status());
    }

    @Test
    void aFinishedTaskThatAccountsForNoneOfItsFilesIsABadResponse() throws Exception {
        sim.injectFault(new Fault(200, "{\"task_id\": \"" + ID + "\", \"total\": 3, \"finished\": 0, \"status\": 0,"
                + " \"success_list\": [], \"failure_list\": []}", null));

        PollOutcome outcome = poll();

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE,
                "Shoplazza task finished with total 3 but no file in success_list or failure_list", 200), outcome.error());
    }

    @Test
    void aWrappedAnswerWithAnErrorCodeIsNotRead() throws Exception {
        sim.injectFault(new Fault(200, "{\"code\": \"InvalidParameter\", \"message\": \"\"}", null));

        PollOutcome outcome = poll();

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "Shoplazza answered code InvalidParameter", 200), outcome.error());
    }
}
