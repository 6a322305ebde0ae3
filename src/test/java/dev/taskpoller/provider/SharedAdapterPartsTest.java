package dev.taskpoller.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces the adapters share: the single-task template, and the helpers in ResultFile and HttpReplies. */
class SharedAdapterPartsTest {

    /** A minimal single-task provider: its task is {@code {"done": true|false}}, its error body {@code {"why": ...}}. */
    private static final class Minimal extends SingleTaskAdapter {
        Minimal() {
            super("minimal", TaskIdFormat.matching("[a-z]+", "a minimal task id is lower-case letters"));
        }

        @Override
        public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
            return jsonGet(endpoint, "/t/" + ProviderAdapter.onlyTaskId(taskIds), "X-Key");
        }

        @Override
        protected PollOutcome readTask(String taskId, JsonNode body, ProviderReply reply) {
            return body.path("done").asBoolean() ? PollOutcome.completed(body, reply.body()) : PollOutcome.running(reply.body());
        }

        @Override
        protected String errorMessage(JsonNode body) {
            return Json.text(body, "why");
        }

        @Override
        protected String notAnObject(String taskId) {
            return "no object for " + taskId;
        }
    }

    private final Minimal adapter = new Minimal();

    @Test
    void singleTaskAdapterHasTheNameAndTaskIdFormatItWasGiven() {
        assertEquals("minimal", adapter.name());
        assertEquals(1, adapter.maxBatchSize());
        assertEquals(Optional.empty(), adapter.checkTaskId("abc"));
        assertEquals(Optional.of("a minimal task id is lower-case letters"), adapter.checkTaskId("A1"));
    }

    @Test
    void singleTaskAdapterGivesExactlyOneOutcomeAndRefusesOtherwise() {
        Map<String, PollOutcome> outcomes = adapter.interpret(List.of("a"), new ProviderReply(200, "{\"done\":false}"));

        assertEquals(Map.of("a", PollOutcome.running("{\"done\":false}")), outcomes);
        assertThrows(IllegalArgumentException.class, () -> adapter.interpret(List.of("a", "b"), new ProviderReply(200, "{}")));
        assertThrows(IllegalArgumentException.class, () -> adapter.interpret(List.of(), new ProviderReply(200, "{}")));
    }

    @Test
    void singleTaskAdapterClassifiesAnErrorWithTheProviderMessage() {
        PollOutcome outcome = adapter.interpret(List.of("a"), new ProviderReply(404, "{\"why\":\"gone\"}")).get("a");

        assertEquals(PollOutcome.failed(new TaskError(TaskError.NOT_FOUND, "gone", 404), null, "{\"why\":\"gone\"}"), outcome);
        assertEquals("HTTP 503", adapter.interpret(List.of("a"), new ProviderReply(503, "<html>")).get("a").error().message());
    }

    @Test
    void singleTaskAdapterCallsA2xxThatIsNotAnObjectABadResponse() {
        for (String body : List.of("", "not json", "[1]", "\"text\"")) {
            PollOutcome outcome = adapter.interpret(List.of("a"), new ProviderReply(200, body)).get("a");
            assertEquals(HttpReplies.badResponse(new ProviderReply(200, body), "no object for a"), outcome, body);
        }
    }

    @Test
    void jsonGetSendsTheKeyOrAnEmptyOneAndAsksForJson() {
        assertEquals(Map.of("X-Key", "k", "accept", "application/json"),
                adapter.statusCall(List.of("a"), new ProviderEndpoint("https://p.test/", "k")).headers());
        assertEquals(Map.of("X-Key", "", "accept", "application/json"),
                adapter.statusCall(List.of("a"), new ProviderEndpoint("https://p.test", null)).headers());
        assertEquals("https://p.test/t/a", adapter.statusCall(List.of("a"), new ProviderEndpoint("https://p.test/", "k")).url());
    }

    @Test
    void lastPathSegmentLeavesTheQueryOutAndFallsBackAsTheCallerSays() {
        assertEquals("bundle.zip", ResultFile.lastPathSegment("https://cdn.test/x/bundle.zip?sig=abc", null));
        assertNull(ResultFile.lastPathSegment("https://cdn.test/x/", null));
        assertNull(ResultFile.lastPathSegment("https://cdn.test", null));
        assertNull(ResultFile.lastPathSegment("mailto:someone@example.com", null));
        // not a URI (a space): either no name, or the text's own last segment
        assertNull(ResultFile.lastPathSegment("https://cdn.test/a b/c d.png", null));
        assertEquals("c d.png", ResultFile.lastPathSegment("https://cdn.test/a b/c d.png", "https://cdn.test/a b/c d.png"));
    }

    @Test
    void badResponseCanCarryAnotherRawAnswer() {
        ProviderReply reply = new ProviderReply(200, "{\"items\":[]}");

        assertEquals(PollOutcome.retry(new TaskError(TaskError.BAD_RESPONSE, "odd", 200), null, "{\"id\":1}"),
                HttpReplies.badResponse(reply, "odd", "{\"id\":1}"));
        assertEquals(HttpReplies.badResponse(reply, "odd", reply.body()), HttpReplies.badResponse(reply, "odd"));
    }

    @Test
    void codeAndMessageReadsAnObjectsCodeAndMessage() {
        assertEquals("E1: broken", HttpReplies.codeAndMessage(Json.parse("{\"code\":\"E1\",\"message\":\"broken\"}").orElseThrow()));
        assertEquals("E1", HttpReplies.codeAndMessage(Json.parse("{\"code\":\"E1\"}").orElseThrow()));
        assertEquals("broken", HttpReplies.codeAndMessage(Json.parse("{\"message\":\"broken\"}").orElseThrow()));
        assertNull(HttpReplies.codeAndMessage((JsonNode) null));
    }

    @Test
    void aLegacyRateLimitResetIsReadAsAPointInTimeWhenItIsOneAndAsSecondsOtherwise() {
        long inAMinute = java.time.Instant.now().getEpochSecond() + 60;
        java.time.Duration absolute = HttpReplies.rateLimitWait(new ProviderReply(429,
                Map.of("X-RateLimit-Reset", String.valueOf(inAMinute)), ""));
        assertTrue(absolute.getSeconds() >= 58 && absolute.getSeconds() <= 60, absolute.toString());
        assertEquals(java.time.Duration.ofSeconds(7), HttpReplies.rateLimitWait(new ProviderReply(429,
                Map.of("X-RateLimit-Reset", "7"), "")));
        assertEquals(java.time.Duration.ofSeconds(3), HttpReplies.rateLimitWait(new ProviderReply(429,
                Map.of("Retry-After", "3", "X-RateLimit-Reset", String.valueOf(inAMinute)), "")), "Retry-After first");
    }
}
