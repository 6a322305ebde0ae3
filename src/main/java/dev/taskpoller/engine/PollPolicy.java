package dev.taskpoller.engine;

import java.time.Duration;

/**
 * When to poll a provider again and when to give up: exponential backoff from {@code interval} by
 * {@code multiplier} up to {@code maxInterval}, a deadline counted from acceptance, and a cap on attempts.
 */
public record PollPolicy(Duration initialDelay, Duration interval, double multiplier, Duration maxInterval,
                         Duration deadline, int maxAttempts) {

    /** The wait after the given number of polls (1 = after the first poll). */
    public Duration backoff(int attempts) {
        double millis = interval.toMillis() * Math.pow(multiplier, Math.max(0, attempts - 1));
        return Duration.ofMillis((long) Math.min(millis, maxInterval.toMillis()));
    }

    /** The wait before the next poll: the backoff, or longer when the provider asked for it ({@code Retry-After}). */
    public Duration wait(int attempts, Duration retryAfter) {
        Duration backoff = backoff(attempts);
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }
}
