package dev.taskpoller.sim;

import java.time.Duration;

/**
 * A response a test forces on the next request a simulator receives, ahead of the normal answer.
 * With {@code body == null} the simulator renders its provider's documented error body for {@code status}; with
 * status {@link #LATE} it gives its normal answer, {@code delay} late.
 */
public record Fault(int status, String body, Integer retryAfterSeconds, Duration delay) {

    /** Not a status: the provider's normal answer, late. */
    public static final int LATE = 0;
    /** Not a status: the connection is cut half-way through the answer. */
    public static final int CUT = -1;

    public Fault(int status, String body, Integer retryAfterSeconds) {
        this(status, body, retryAfterSeconds, Duration.ZERO);
    }

    public static Fault status(int status) {
        return new Fault(status, null, null);
    }

    public static Fault rateLimited(int retryAfterSeconds) {
        return new Fault(429, null, retryAfterSeconds);
    }

    /** A 200 whose body is not what the provider documents. */
    public static Fault garbage() {
        return new Fault(200, "<html>gateway hiccup</html>", null);
    }

    /** The answer's headers promise a body, then the connection closes: the client reads a broken answer. */
    public static Fault cut() {
        return new Fault(CUT, null, null);
    }

    /** The normal answer, but only after this long (a client with a shorter timeout gives up first). */
    public static Fault slow(Duration delay) {
        return new Fault(LATE, null, null, delay);
    }
}
