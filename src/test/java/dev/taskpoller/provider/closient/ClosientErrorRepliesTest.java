package dev.taskpoller.provider.closient;

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
import dev.taskpoller.sim.closient.ClosientSimulator;
import dev.taskpoller.support.TestProviders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Closient's error envelope, rate-limit headers and unreadable answers, against the simulator over loopback HTTP. */
class ClosientErrorRepliesTest {

    private static final String ID = "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final ClosientSimulator sim = new ClosientSimulator(Clock.fixed(NOW, ZoneOffset.UTC));
    private final ProviderAdapter adapter = TestProviders.adapter("closient-bulk-qr");

    @BeforeEach
    void start() {
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private ProviderEndpoint endpoint(String key) {
        return new ProviderEndpoint(sim.baseUrl(), key);
    }

    private PollOutcome poll(String id) throws Exception {
        return StatusCalls.poll(adapter, endpoint(sim.apiKey()), List.of(id)).get(id);
    }

    private ProviderReply send(String id) throws Exception {
        return StatusCalls.send(adapter.statusCall(List.of(id), endpoint(sim.apiKey())));
    }

    @Test
    void a404IsNotFoundAndTerminal() throws Exception {
        sim.injectFault(Fault.status(404));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.NOT_FOUND, "NOT_FOUND: injected 404", 404), outcome.error());
        assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"injected 404\",\"status\":404,\"details\":[]}}",
                outcome.providerResponse());
    }

    @Test
    void theSimulatorAnswersThePathWithoutItsTrailingSlashWithA404() throws Exception {
        ProviderReply reply = StatusCalls.send(StatusCall.get(sim.baseUrl() + "/products/api/v1/qr/bulk/" + ID,
                Map.of("X-API-Key", sim.apiKey())));

        assertEquals(404, reply.status());
        assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"Not found.\",\"status\":404,\"details\":[]}}",
                reply.body());
    }

    @Test
    void aNonUuid4IdSentAnywayIsAnInvalidTaskId() throws Exception {
        String version1 = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

        PollOutcome outcome = poll(version1);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.INVALID_TASK_ID, "VALIDATION_ERROR: task_id must be a UUID4.", 422),
                outcome.error());
        assertEquals("{\"error\":{\"code\":\"VALIDATION_ERROR\",\"message\":\"task_id must be a UUID4.\",\"status\":422,"
                + "\"details\":[{\"field\":\"task_id\",\"message\":\"not a valid UUID4\"}]}}", outcome.providerResponse());
    }

    @Test
    void aWrongKeyIsUnauthorized() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));

        PollOutcome outcome = StatusCalls.poll(adapter, endpoint("not-the-key"), List.of(ID)).get(ID);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.UNAUTHORIZED, "UNAUTHORIZED: invalid credentials", 401), outcome.error());
        assertEquals(0, sim.pollsOf(ID));
    }

    @Test
    void a429IsRetriedAfterTheTimeItsHeaderAsks() throws Exception {
        sim.injectFault(Fault.rateLimited(9));

        ProviderReply reply = send(ID);
        PollOutcome outcome = adapter.interpret(List.of(ID), reply).get(ID);

        assertEquals("9", reply.header("Retry-After"));
        assertEquals("9", reply.header("RateLimit-Reset"));
        assertEquals("0", reply.header("RateLimit-Remaining"));
        assertEquals(Status.RETRY, outcome.status());
        assertEquals(Duration.ofSeconds(9), outcome.retryAfter());
        assertEquals(new TaskError(TaskError.RATE_LIMITED, "RATE_LIMITED: injected 429", 429), outcome.error());
    }

    @Test
    void a429WithoutRetryAfterWaitsForTheRateLimitReset() {
        ProviderReply reply = new ProviderReply(429, Map.of("ratelimit-reset", "42", "X-RateLimit-Reset", "1772366442"),
                "{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"slow down\",\"status\":429,\"details\":[]}}");

        PollOutcome outcome = adapter.interpret(List.of(ID), reply).get(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(Duration.ofSeconds(42), outcome.retryAfter());
        assertEquals(new TaskError(TaskError.RATE_LIMITED, "RATE_LIMITED: slow down", 429), outcome.error());
    }

    @Test
    void aQuotaResetSaysNothingAboutWhenToRetryA503() {
        ProviderReply reply = new ProviderReply(503, Map.of("RateLimit-Reset", "42"), "");

        PollOutcome outcome = adapter.interpret(List.of(ID), reply).get(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertNull(outcome.retryAfter());
        assertEquals(new TaskError(TaskError.PROVIDER_UNAVAILABLE, "HTTP 503", 503), outcome.error());
    }

    @Test
    void everyAnswerCarriesTheDocumentedRateLimitHeaders() throws Exception {
        ProviderReply reply = send(ID);

        assertEquals(200, reply.status());
        assertEquals("300;w=60, 10000;w=86400", reply.header("RateLimit-Policy"));
        assertEquals("300", reply.header("RateLimit-Limit"));
        assertEquals("299", reply.header("RateLimit-Remaining"));
        assertEquals("300", reply.header("X-RateLimit-Limit"));
        assertEquals("299", reply.header("X-RateLimit-Remaining"));
        long reset = Long.parseLong(reply.header("RateLimit-Reset"));
        assertTrue(reset >= 1 && reset <= 60, "RateLimit-Reset " + reset);
        assertEquals(String.valueOf(NOW.getEpochSecond() + reset), reply.header("X-RateLimit-Reset"));
        assertNull(reply.header("Retry-After"));
    }

    @Test
    void theFixedWindowRefusesTheCallOverItsLimitWithEveryRateLimitHeader() throws Exception {
        sim.rateLimit(RateLimit.fixedWindow(2, Duration.ofMinutes(1)));
        sim.addTask(SimulatedTask.neverEnding(ID));

        ProviderReply first = send(ID);
        ProviderReply second = send(ID);
        ProviderReply refused = send(ID);
        PollOutcome outcome = adapter.interpret(List.of(ID), refused).get(ID);

        assertEquals("1", first.header("RateLimit-Remaining"));
        assertEquals("0", second.header("RateLimit-Remaining"));
        assertEquals(200, second.status());
        assertEquals(429, refused.status());
        assertEquals("{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"rate limit exceeded\",\"status\":429,"
                + "\"details\":[]}}", refused.body());
        assertEquals("2;w=60, 10000;w=86400", refused.header("RateLimit-Policy"));
        assertEquals("2", refused.header("RateLimit-Limit"));
        assertEquals("0", refused.header("RateLimit-Remaining"));
        assertEquals("2", refused.header("X-RateLimit-Limit"));
        assertEquals("0", refused.header("X-RateLimit-Remaining"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(String.valueOf(retryAfter), refused.header("RateLimit-Reset"));
        assertEquals(String.valueOf(NOW.getEpochSecond() + retryAfter), refused.header("X-RateLimit-Reset"));
        assertEquals(Status.RETRY, outcome.status());
        assertEquals(Duration.ofSeconds(retryAfter), outcome.retryAfter());
        assertEquals(new TaskError(TaskError.RATE_LIMITED, "RATE_LIMITED: rate limit exceeded", 429), outcome.error());
        assertEquals(2, sim.pollsOf(ID));
    }

    @Test
    void a500IsRetriedAndTheNextPollsCarryOn() throws Exception {
        sim.addTask(SimulatedTask.completing(ID, 2));
        sim.injectFault(Fault.status(500));

        PollOutcome unavailable = poll(ID);
        PollOutcome pending = poll(ID);
        PollOutcome done = poll(ID);

        assertEquals(Status.RETRY, unavailable.status());
        assertEquals(new TaskError(TaskError.PROVIDER_UNAVAILABLE, "INTERNAL_ERROR: injected 500", 500), unavailable.error());
        assertNull(unavailable.retryAfter());
        assertEquals(Status.RUNNING, pending.status());
        assertEquals(Status.COMPLETED, done.status());
        assertEquals("2026-03-01T13:00:00+00:00", done.result().get("expiresAt").asText());
    }

    @Test
    void aGarbageBodyIsARetryableBadResponseNeverACompletion() throws Exception {
        sim.injectFault(Fault.garbage());

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "Closient answered something that is not a JSON object", 200),
                outcome.error());
        assertEquals("<html>gateway hiccup</html>", outcome.providerResponse());
    }

    @Test
    void anUndocumentedStatusIsABadResponse() throws Exception {
        sim.injectFault(new Fault(200, "{\"task_id\": \"" + ID + "\", \"status\": \"cancelled\"}", null));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "Closient task has an unknown status 'cancelled'", 200),
                outcome.error());
    }

    @Test
    void aCompletionWithoutItsDownloadUrlIsABadResponse() throws Exception {
        sim.injectFault(new Fault(200, "{\"task_id\": \"" + ID + "\", \"status\": \"completed\", \"download_url\": null,"
                + " \"expires_at\": null, \"items\": 3, \"error\": null}", null));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "Closient task completed without a download_url", 200),
                outcome.error());
    }

    @Test
    void aFailureWithoutErrorTextStillFailsTheTask() throws Exception {
        sim.injectFault(new Fault(200, "{\"task_id\": \"" + ID + "\", \"status\": \"failed\", \"error\": null}", null));

        PollOutcome outcome = poll(ID);

        assertEquals(Status.FAILED, outcome.status());
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "Closient reported the task as failed", null), outcome.error());
    }
}
