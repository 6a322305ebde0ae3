package dev.taskpoller.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * When to poll a task again and when to give up. Two clocks: the task's own backoff, from {@code interval} by
 * {@code multiplier} up to {@code maxInterval}, grows only with "still running" answers; a failed call waits on the
 * provider's error clock instead ({@code errorBackoff} doubling up to {@code maxErrorBackoff}, see
 * {@link ProviderFaults}). A deadline counted from acceptance and a cap on answers end a task that never finishes; a
 * 404 within {@code notFoundGrace} of acceptance is not yet final. A request may bring its own interval and deadline
 * ({@link #forRequest}, {@link #deadlineOf}).
 */
public record PollPolicy(Duration initialDelay, Duration interval, double multiplier, Duration maxInterval,
                         Duration deadline, int maxAttempts, Duration errorBackoff, Duration maxErrorBackoff,
                         Duration notFoundGrace) {

    /**
     * This policy with a request's own poll interval in place of the provider's (null: unchanged). The backoff rules
     * stay; the longest wait is at least the requested interval, so a request asking for a slow cadence gets it.
     */
    public PollPolicy forRequest(Duration pollInterval) {
        return pollInterval == null ? this : new PollPolicy(initialDelay, pollInterval, multiplier,
                pollInterval.compareTo(maxInterval) > 0 ? pollInterval : maxInterval, deadline, maxAttempts, errorBackoff,
                maxErrorBackoff, notFoundGrace);
    }

    /** When a task accepted at {@code acceptedAt} is given up: its request's own deadline, else the provider's. */
    public Instant deadlineOf(Instant acceptedAt, Instant requested) {
        return requested != null ? requested : acceptedAt.plus(deadline);
    }

    /** The wait after the given number of answers (1 = after the first). */
    public Duration backoff(int answers) {
        double millis = interval.toMillis() * Math.pow(multiplier, Math.max(0, answers - 1));
        return Duration.ofMillis((long) Math.min(millis, maxInterval.toMillis()));
    }

    /** The ceiling of the error clock's wait after this many failed calls in a row (1 = the first). */
    public Duration errorCeiling(int failures) {
        double millis = errorBackoff.toMillis() * Math.pow(2, Math.min(30, Math.max(0, failures - 1)));
        return Duration.ofMillis((long) Math.min(millis, maxErrorBackoff.toMillis()));
    }
}
