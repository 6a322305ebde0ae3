package dev.taskpoller.engine;

import dev.taskpoller.provider.Json;
import dev.taskpoller.text.Excerpt;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Input that will never be polled, and why. Published to the rejected topic and outbox so nothing disappears.
 *
 * @param input    the offending input, truncated to {@link #MAX_INPUT} characters
 * @param origin   {@code kafka:<topic>/<partition>/<offset>}, {@code file:<path>@<arrival id>:<line>} or, sent to
 *                 {@code direct:taskpoller-submit}, {@code route:<the host's route id>/<its exchange id>}
 * @param provider the provider the input named, when it is one taskpoller knows (for per-provider counts)
 */
public record Rejection(String reason, String message, String input, String origin, Instant time, String provider)
        implements Submission {

    public static final int MAX_INPUT = 1024;
    /** Messages and origins are cut too, so that a rejected record is always a few KB, whatever the input. */
    public static final int MAX_TEXT = 512;

    public static final String MALFORMED_INPUT = "malformed_input";
    public static final String MISSING_PROVIDER = "missing_provider";
    public static final String UNKNOWN_PROVIDER = "unknown_provider";
    public static final String MISSING_TASK_ID = "missing_task_id";
    public static final String TASK_ID_TOO_LONG = "task_id_too_long";
    public static final String INVALID_TASK_ID = "invalid_task_id";
    public static final String DUPLICATE = "duplicate";
    /** A request's own {@code deadline} or {@code pollInterval} that cannot be used (unreadable, past, out of bounds). */
    public static final String INVALID_OPTION = "invalid_option";
    /** A cancel of a task that is not in flight: unknown, or finished already. */
    public static final String NOT_IN_FLIGHT = "not_in_flight";
    /** Over a configured size cap ({@code taskpoller.input.*}) or too large for a Kafka record. */
    public static final String TOO_LARGE = "too_large";

    /** A task whose in-flight record Kafka refuses as too large (our own limit, or the broker's lower one). */
    public static Rejection cannotBeRecorded(TaskRequest request, Exception cause) {
        return of(TOO_LARGE, "the task cannot be recorded: " + Excerpt.forLog(cause.getMessage()),
                Json.write(request), request.origin(), request.provider());
    }

    public static Rejection of(String reason, String message, String input, String origin, String provider) {
        return new Rejection(reason, Excerpt.of(message, MAX_TEXT), input == null ? "" : Excerpt.of(input, MAX_INPUT),
                Excerpt.of(origin, MAX_TEXT),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), provider);
    }
}
