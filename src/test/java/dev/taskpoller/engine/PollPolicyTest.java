package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
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
}
