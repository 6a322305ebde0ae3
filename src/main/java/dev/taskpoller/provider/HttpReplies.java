package dev.taskpoller.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP error classification every provider shares: which statuses end a task, which are worth a retry, and how
 * to read {@code Retry-After}. An adapter passes the message it extracted from its provider's error body.
 */
public final class HttpReplies {

    /** A rate-limit reset this large is a point in time (Unix seconds), not a delay: no delay runs for 30 years. */
    private static final long UNIX_TIME_FROM = 1_000_000_000L;

    private HttpReplies() {
    }

    /** Empty for a 2xx reply; otherwise the outcome the status code implies for every task in the call. */
    public static Optional<PollOutcome> classifyError(ProviderReply reply, String providerMessage) {
        int status = reply.status();
        if (reply.isSuccess()) {
            return Optional.empty();
        }
        String message = providerMessage == null || providerMessage.isBlank() ? "HTTP " + status : providerMessage;
        String raw = reply.body();
        if (status == 429 || status == 408 || status >= 500) {
            String reason = status == 429 ? TaskError.RATE_LIMITED : TaskError.PROVIDER_UNAVAILABLE;
            Duration wait = status == 429 ? rateLimitWait(reply) : retryAfter(reply);
            return Optional.of(PollOutcome.retry(new TaskError(reason, message, status), wait, raw));
        }
        String reason = switch (status) {
            case 401, 403 -> TaskError.UNAUTHORIZED;
            case 404, 410 -> TaskError.NOT_FOUND;
            case 422 -> TaskError.INVALID_TASK_ID;
            default -> TaskError.BAD_REQUEST;
        };
        return Optional.of(PollOutcome.failed(new TaskError(reason, message, status), null, raw));
    }

    /** A provider's error code and message as one text for {@link #classifyError}: "CODE: message", or whichever is set. */
    public static String codeAndMessage(String code, String message) {
        if (code == null || code.isBlank()) {
            return message;
        }
        return message == null || message.isBlank() ? code : code + ": " + message;
    }

    /** {@link #codeAndMessage(String, String)} of an object's text fields {@code code} and {@code message}; null-safe. */
    public static String codeAndMessage(JsonNode object) {
        return codeAndMessage(Json.text(object, "code"), Json.text(object, "message"));
    }

    /** A 2xx reply whose body the adapter cannot read: retried, and a {@code bad_response} failure once retries run out. */
    public static PollOutcome badResponse(ProviderReply reply, String what) {
        return badResponse(reply, what, reply.body());
    }

    /** {@link #badResponse(ProviderReply, String)} carrying {@code providerResponse} (say, one item of a batch) as the raw answer. */
    public static PollOutcome badResponse(ProviderReply reply, String what, String providerResponse) {
        return PollOutcome.retry(new TaskError(TaskError.BAD_RESPONSE, what, reply.status()), null, providerResponse);
    }

    /**
     * How long a 429 asks us to wait: {@code Retry-After}, else the IETF draft's {@code RateLimit-Reset} (delay-seconds
     * until the quota refills), else the legacy {@code X-RateLimit-Reset}, read as an absolute Unix time when it is
     * one (Closient's, as documented) and as delay-seconds otherwise. Only for 429: on other statuses the quota reset
     * says nothing about when to retry.
     */
    public static Duration rateLimitWait(ProviderReply reply) {
        Duration retryAfter = retryAfter(reply);
        if (retryAfter != null) {
            return retryAfter;
        }
        Duration reset = resetDelay(reply.header("RateLimit-Reset"));
        return reset != null ? reset : legacyReset(reply.header("X-RateLimit-Reset"));
    }

    /** {@code RateLimit-Reset} (IETF draft): delay-seconds; null when absent or unreadable. */
    public static Duration resetDelay(String value) {
        Long seconds = wholeNumber(value);
        return seconds == null ? null : Duration.ofSeconds(Math.max(0, seconds));
    }

    /**
     * The legacy {@code X-RateLimit-Reset}: a Unix time at Closient (and GitHub), delay-seconds elsewhere, told apart
     * by its size; null when absent or unreadable.
     */
    public static Duration legacyReset(String value) {
        Long seconds = wholeNumber(value);
        if (seconds == null) {
            return null;
        }
        long delay = seconds > UNIX_TIME_FROM ? seconds - Instant.now().getEpochSecond() : seconds;
        return Duration.ofSeconds(Math.max(0, delay));
    }

    /** A header's whole number (seconds, a count), or null when absent or not one. */
    public static Long wholeNumber(String value) {
        try {
            return value == null ? null : Long.parseLong(value.trim());
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(ProviderReply reply) {
        String value = reply.header("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (Exception unreadable) {
                return null;
            }
        }
    }

    /** One outcome shared by every asked id, as when an error reply or an unreadable body covers the whole call. */
    public static Map<String, PollOutcome> sameForAll(List<String> taskIds, PollOutcome outcome) {
        Map<String, PollOutcome> outcomes = new LinkedHashMap<>();
        taskIds.forEach(id -> outcomes.put(id, outcome));
        return outcomes;
    }
}
