package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.provider.TaskError;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The error clock of each provider: jittered, capped, obeying what the provider asked for, reset by an answer. */
class ProviderFaultsTest {

    private static final TaskError UNAVAILABLE = new TaskError(TaskError.PROVIDER_UNAVAILABLE, "HTTP 503", 503);
    private final PollPolicy policy = new PollPolicy(Duration.ZERO, Duration.ofSeconds(5), 1.5, Duration.ofMinutes(5),
            Duration.ofHours(1), 100, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO);
    private final ProviderFaults faults = new ProviderFaults();

    @Test
    void eachWaitIsDrawnBelowTheClocksCeilingSoWaitingTasksDoNotComeBackTogether() {
        Set<Duration> waits = new HashSet<>();
        for (int failure = 1; failure <= 200; failure++) {
            Duration wait = faults.failed("p", policy, UNAVAILABLE, null);
            assertTrue(wait.compareTo(policy.errorCeiling(failure)) <= 0, wait + " after " + failure + " failures");
            assertTrue(wait.compareTo(Duration.ofSeconds(30)) <= 0, "capped");
            waits.add(wait);
        }
        assertTrue(waits.size() > 100, "jittered, not one fixed wait: " + waits.size() + " distinct waits");
    }

    @Test
    void whatTheProviderAskedForIsObeyedExactlyEvenBeyondTheCap() {
        assertEquals(Duration.ofSeconds(90), faults.failed("p", policy, UNAVAILABLE, Duration.ofSeconds(90)));
    }

    @Test
    void theFirstGoodAnswerStartsTheClockAgainAndOnlyForThatProvider() {
        for (int i = 0; i < 10; i++) {
            faults.failed("p", policy, UNAVAILABLE, null);
            faults.failed("other", policy, UNAVAILABLE, null);
        }
        assertEquals(10, faults.failures("p"));
        faults.answered("p");
        assertEquals(0, faults.failures("p"));
        assertEquals(10, faults.failures("other"));
        assertTrue(faults.failed("p", policy, UNAVAILABLE, null).compareTo(Duration.ofSeconds(1)) <= 0,
                "after recovery the next failure waits at most the first step again");
    }
}
