package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollPolicyTest {

    private final PollPolicy policy = new PollPolicy(Duration.ZERO, Duration.ofSeconds(2), 2.0,
            Duration.ofSeconds(10), Duration.ofHours(1), 100);

    @Test
    void backoffGrowsByTheMultiplierUpToTheMaximum() {
        assertEquals(Duration.ofSeconds(2), policy.backoff(1));
        assertEquals(Duration.ofSeconds(4), policy.backoff(2));
        assertEquals(Duration.ofSeconds(8), policy.backoff(3));
        assertEquals(Duration.ofSeconds(10), policy.backoff(4));
        assertEquals(Duration.ofSeconds(10), policy.backoff(40));
    }

    @Test
    void aProvidersRetryAfterWinsWhenItAsksForLongerThanTheBackoff() {
        assertEquals(Duration.ofSeconds(30), policy.wait(1, Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(2), policy.wait(1, Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(4), policy.wait(2, null));
    }
}
