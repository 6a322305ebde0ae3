package dev.taskpoller.engine;

import dev.taskpoller.provider.TaskError;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Resilience4j circuit breaker per provider. {@code circuit-failures} failed calls in a row open it; while it is
 * open the provider's due tasks are not called at all (they wait: no failure, no attempt spent); after
 * {@code circuit-open} one call probes the provider (half-open) and its answer closes the circuit or opens it again.
 * Other providers are never affected. Each change of state is logged once.
 */
public class ProviderCircuits {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCircuits.class);

    private final Providers providers;
    private final InFlightTasks tasks;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, Queue<TrackedTask>> held = new ConcurrentHashMap<>();

    public ProviderCircuits(Providers providers, InFlightTasks tasks) {
        this.providers = providers;
        this.tasks = tasks;
    }

    /**
     * The batches the provider's circuit lets through now. A closed circuit lets every batch through, a half-open
     * one a single probe. The tasks of the others wait: while the circuit is open they are held here, out of the
     * schedule (a large backlog is not shuffled at every tick), until it half-opens; while a probe is out, for one
     * step of the error clock.
     */
    public List<PollBatch> admit(List<PollBatch> due) {
        List<PollBatch> admitted = new ArrayList<>(due.size());
        for (PollBatch batch : due) {
            CircuitBreaker breaker = breaker(batch.provider());
            if (breaker.tryAcquirePermission()) {
                admitted.add(batch);
            } else if (breaker.getState() == CircuitBreaker.State.OPEN) {
                held(batch.provider()).addAll(batch.tasks());
                if (breaker.getState() != CircuitBreaker.State.OPEN) {
                    // it half-opened while these were put aside: they must not wait for the next opening
                    release(batch.provider());
                }
            } else {
                long at = System.currentTimeMillis() + providers.settings(batch.provider()).policy().errorBackoff().toMillis();
                batch.tasks().forEach(task -> tasks.pollAgainAt(task, at));
            }
        }
        return admitted;
    }

    /** The provider answered the call (whatever it said about the tasks). */
    public void answered(String provider) {
        breaker(provider).onSuccess(0, TimeUnit.MILLISECONDS);
    }

    /**
     * The call failed: 5xx, timeout, connection error, unreadable body, refused credential. A 429 is no failure to
     * the circuit (a provider that says "slower" is up; its rate limits deal with that): it counts as no call at all.
     */
    public void failed(String provider, TaskError why) {
        breaker(provider).onError(0, TimeUnit.MILLISECONDS, new FailedCall(why));
    }

    /** What the breaker records of a failed call: its reason, no stack (it is no bug of taskpoller's). */
    private static final class FailedCall extends RuntimeException {
        FailedCall(TaskError error) {
            super(error.reason(), null, false, false);
        }

        boolean rateLimited() {
            return TaskError.RATE_LIMITED.equals(getMessage());
        }
    }

    /** A call that was admitted but not made, or whose outcome says nothing about the provider. */
    public void released(String provider) {
        breaker(provider).releasePermission();
    }

    /** The provider's circuit: CLOSED, OPEN or HALF_OPEN (for health checks and tests). */
    public CircuitBreaker breaker(String provider) {
        return breakers.computeIfAbsent(provider, this::newBreaker);
    }

    private Queue<TrackedTask> held(String provider) {
        return held.computeIfAbsent(provider, name -> new ConcurrentLinkedQueue<>());
    }

    /** The tasks held while the circuit was open go back in line, due now. */
    private void release(String provider) {
        long now = System.currentTimeMillis();
        Queue<TrackedTask> waiting = held(provider);
        for (TrackedTask task = waiting.poll(); task != null; task = waiting.poll()) {
            tasks.pollAgainAt(task, now);
        }
    }

    private CircuitBreaker newBreaker(String provider) {
        ProviderSettings settings = providers.settings(provider);
        int failures = settings.circuitFailures();
        CircuitBreaker breaker = CircuitBreaker.of(provider, CircuitBreakerConfig.custom()
                // a window of the last N calls that opens when all N failed: N failures in a row
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(failures)
                .minimumNumberOfCalls(failures)
                .failureRateThreshold(100)
                .waitDurationInOpenState(settings.circuitOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreException(failure -> failure instanceof FailedCall call && call.rateLimited())
                // half-open on time, not at the next call: the tasks held while open are what make that call
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() != CircuitBreaker.State.OPEN) {
                release(provider);
            }
            switch (event.getStateTransition().getToState()) {
                case OPEN -> LOG.warn("{}'s circuit is open after {} failed calls in a row: its tasks wait, and one call"
                        + " probes it again in {}", provider, failures, settings.circuitOpen());
                case HALF_OPEN -> LOG.info("{}'s circuit is half-open: one call probes the provider", provider);
                case CLOSED -> LOG.info("{}'s circuit is closed again: its tasks are called as usual", provider);
                default -> LOG.info("{}'s circuit is {}", provider, event.getStateTransition().getToState());
            }
        });
        return breaker;
    }
}
