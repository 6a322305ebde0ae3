package dev.taskpoller.sim;

/**
 * A response a test forces on the next request a simulator receives, ahead of the normal answer.
 * With {@code body == null} the simulator renders its provider's documented error body for {@code status}.
 */
public record Fault(int status, String body, Integer retryAfterSeconds) {

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
}
