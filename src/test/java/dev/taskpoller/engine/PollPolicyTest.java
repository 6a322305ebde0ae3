package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollPolicyTest {

    private final PollPolicy policy = new PollPolicy(Duration.ZERO, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(10),
            Duration.ofHours(1), 100, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10));

    @Test
    void theTasksOwnBackoffGrowsWithEachAnswerUpToTheMaximum() {
        assertEquals(Duration.ofSeconds(2), policy.backoff(1));
        assertEquals(Duration.ofSeconds(4), policy.backoff(2));
        assertEquals(Duration.ofSeconds(8), policy.backoff(3));
        assertEquals(Duration.ofSeconds(10), policy.backoff(4));
        assertEquals(Duration.ofSeconds(10), policy.backoff(40));
    }

    @Test
    void theErrorClockDoublesWithEachFailureUpToItsCapEvenAfterVeryManyFailures() {
        assertEquals(Duration.ofSeconds(1), policy.errorCeiling(1));
        assertEquals(Duration.ofSeconds(2), policy.errorCeiling(2));
        assertEquals(Duration.ofSeconds(16), policy.errorCeiling(5));
        assertEquals(Duration.ofSeconds(30), policy.errorCeiling(6));
        assertEquals(Duration.ofSeconds(30), policy.errorCeiling(100_000));
    }

    @Test
    void aRequestsOwnIntervalReplacesTheProvidersAndTheBackoffRulesStay() {
        PollPolicy own = policy.forRequest(Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(3), own.backoff(1));
        assertEquals(Duration.ofSeconds(6), own.backoff(2), "the provider's multiplier");
        assertEquals(Duration.ofSeconds(10), own.backoff(3), "the provider's longest wait");
        assertEquals(policy, policy.forRequest(null));
    }

    @Test
    void aRequestedIntervalLongerThanTheProvidersLongestWaitIsKept() {
        PollPolicy slow = policy.forRequest(Duration.ofMinutes(1));
        assertEquals(Duration.ofMinutes(1), slow.backoff(1));
        assertEquals(Duration.ofMinutes(1), slow.backoff(5));
    }

    @Test
    void aRequestsOwnDeadlineReplacesTheProvidersCountedFromAcceptance() {
        Instant accepted = Instant.parse("2026-11-24T08:00:00Z");
        assertEquals(Instant.parse("2026-11-24T09:00:00Z"), policy.deadlineOf(accepted, null), "the provider's: 1 h");
        Instant own = Instant.parse("2026-11-24T08:00:05Z");
        assertEquals(own, policy.deadlineOf(accepted, own));
        Instant later = Instant.parse("2026-11-30T00:00:00Z");
        assertEquals(later, policy.deadlineOf(accepted, later), "later than the provider's too");
    }
}
