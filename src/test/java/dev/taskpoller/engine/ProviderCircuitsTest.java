package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.provider.TaskError;
import dev.taskpoller.support.TestProviders;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

/** What opens a provider's circuit: failed calls in a row, but not a provider asking to slow down (429). */
class ProviderCircuitsTest {

    private static final String P = "scan-documents";
    private final Providers providers = TestProviders.configured("taskpoller.provider." + P + ".circuit-failures", "3");
    private final ProviderCircuits circuits = new ProviderCircuits(providers, new InFlightTasks(providers));

    @Test
    void rateLimitedCallsNeitherOpenTheCircuitNorHoldAHalfOpenProbe() {
        CircuitBreaker breaker = circuits.breaker(P);
        for (int i = 0; i < 10; i++) {
            assertTrue(breaker.tryAcquirePermission());
            circuits.failed(P, new TaskError(TaskError.RATE_LIMITED, "slow down", 429));
        }
        assertEquals(CircuitBreaker.State.CLOSED, breaker.getState());

        breaker.transitionToOpenState();
        breaker.transitionToHalfOpenState();
        assertTrue(breaker.tryAcquirePermission(), "the probe");
        circuits.failed(P, new TaskError(TaskError.RATE_LIMITED, "slow down", 429));
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.getState());
        assertTrue(breaker.tryAcquirePermission(), "a 429 probe gives its permit back for the next probe");
    }

    @Test
    void failedCallsInARowOpenIt() {
        CircuitBreaker breaker = circuits.breaker(P);
        for (int i = 0; i < 3; i++) {
            assertTrue(breaker.tryAcquirePermission());
            circuits.failed(P, new TaskError(TaskError.PROVIDER_UNAVAILABLE, "HTTP 503", 503));
        }
        assertEquals(CircuitBreaker.State.OPEN, breaker.getState());
    }
}
