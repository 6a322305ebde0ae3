package dev.taskpoller.provider.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.PollOutcome.Status;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.support.TestProviders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the generic adapter makes of a definition: its status call, and each reply read through the ordered rules. */
class DeclarativeAdapterTest {

    private static final String ID = "r_12345678";

    private static final String COMPLETED_RULE = "      match: [{path: $.state, equals: done}]\n      state: completed\n";
    private static final DeclarativeAdapter ADAPTER = new DeclarativeAdapter(DefinitionReader.read("acme-render.yaml",
            "acme-render.yaml", ProviderDefinitionCheckTest.VALID.replace(COMPLETED_RULE, COMPLETED_RULE + """
                - status: 200
                  match: [{path: $.state, equals: error}]
                  state: failed
                  message: ['{$.error.code}: {$.error.text}', Acme gave no reason]
                - status: 409
                  match: [{path: $.error.code, equals: EXPIRED}]
                  state: failed
                  reason: not_found
                - status: 503
                  match: [{path: $.error.code, equals: WARMING_UP}]
                  state: running
            """)));

    private static PollOutcome interpret(int status, String body) {
        return ADAPTER.interpret(List.of(ID), new ProviderReply(status, Map.of("Retry-After", "7"), body)).get(ID);
    }

    @Test
    void theTaskIdIsEncodedIntoItsOwnPathSegmentAndTheKeyGoesInTheAuthHeader() {
        StatusCall call = ADAPTER.statusCall(List.of("../a/b?c"), new ProviderEndpoint("http://127.0.0.1:1/api/", "k-1"));

        assertEquals("GET", call.method());
        assertEquals("http://127.0.0.1:1/api/v2/renders/..%2Fa%2Fb%3Fc", call.url());
        assertEquals(Map.of("Authorization", "Bearer k-1"), call.headers());
        assertNull(call.body());
    }

    @Test
    void aBodyTemplateCarriesTheTaskIdAsAJsonString() {
        DeclarativeAdapter post = new DeclarativeAdapter(DefinitionReader.read("f", "acme-render.yaml",
                ProviderDefinitionCheckTest.VALID.replace("method: GET", "method: POST\n    body: '{\"id\": \"{taskId}\"}'")));

        StatusCall call = post.statusCall(List.of("a\"b"), new ProviderEndpoint("http://h", "k"));

        assertEquals("POST", call.method());
        assertEquals("a\"b", Json.parse(call.body()).orElseThrow().get("id").asText());
    }

    @Test
    void theFirstMatchingRuleDecidesAndACompletionCarriesTheMappedFiles() {
        PollOutcome running = interpret(200, "{\"state\": \"rendering\"}");
        PollOutcome done = interpret(200, "{\"state\": \"done\", \"output\": {\"url\": \"https://cdn/x/out.mp4?sig=1\","
                + " \"bytes\": 4096}, \"extra\": true}");

        assertEquals(Status.RUNNING, running.status());
        assertEquals(Status.COMPLETED, done.status());
        assertEquals(Json.parse("""
                {"files": [{"url": "https://cdn/x/out.mp4?sig=1", "name": "out.mp4", "contentType": null, "size": 4096,
                            "width": null, "height": null, "expiresAt": null}]}
                """).orElseThrow().toString(), done.result().toString());
    }

    @Test
    void aFailureTakesTheFirstMessageTemplateWhosePathsAllResolve() {
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "E42: out of ink", null),
                interpret(200, "{\"state\": \"error\", \"error\": {\"code\": \"E42\", \"text\": \"out of ink\"}}").error());
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "Acme gave no reason", null),
                interpret(200, "{\"state\": \"error\", \"error\": {\"code\": \"E42\"}}").error());
    }

    @Test
    void aTwoHundredThatNoRuleMatchesIsARetryableBadResponseNeverACompletion() {
        PollOutcome outcome = interpret(200, "{\"state\": \"archived\"}");

        assertEquals(Status.RETRY, outcome.status());
        assertEquals(TaskError.BAD_RESPONSE, outcome.error().reason());
        assertEquals("{\"state\": \"archived\"}", outcome.providerResponse());
    }

    @Test
    void rulesOnErrorStatusesComeBeforeTheSharedClassification() {
        PollOutcome expired = interpret(409, "{\"error\": {\"code\": \"EXPIRED\"}}");
        PollOutcome warming = interpret(503, "{\"error\": {\"code\": \"WARMING_UP\"}}");
        PollOutcome conflict = interpret(409, "{\"error\": {\"code\": \"OTHER\"}}");
        PollOutcome busy = interpret(503, "");

        assertEquals(new TaskError(TaskError.NOT_FOUND, "HTTP 409", 409), expired.error());
        assertEquals(Status.RUNNING, warming.status());
        assertEquals(new TaskError(TaskError.BAD_REQUEST, "HTTP 409", 409), conflict.error());
        assertEquals(Status.RETRY, busy.status());
        assertEquals(Duration.ofSeconds(7), busy.retryAfter());
    }

    @Test
    void aRuleCanCompareWithThePolledIdAndAFinishTimeIsReadFromTheReply() {
        ProviderAdapter scan = TestProviders.adapter("scan-documents");
        String id = "task_aaaaaaaaaaaaaaaa";

        PollOutcome other = scan.interpret(List.of(id), new ProviderReply(200,
                "{\"id\": \"task_bbbbbbbbbbbbbbbb\", \"status\": \"completed\"}")).get(id);
        PollOutcome failed = scan.interpret(List.of(id), new ProviderReply(200, "{\"id\": \"" + id + "\","
                + " \"status\": \"failed\", \"updated_at\": \"2026-03-01T12:00:05Z\", \"result\": {}}")).get(id);

        assertEquals(new TaskError(TaskError.BAD_RESPONSE, "not the task object of " + id, 200), other.error());
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "task failed", null), failed.error());
        assertEquals(Instant.parse("2026-03-01T12:00:05Z"), failed.finishedAt());
        assertNull(failed.result());
    }
}
