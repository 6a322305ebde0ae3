package dev.taskpoller.engine;

import dev.taskpoller.provider.TaskError;
import dev.taskpoller.text.Excerpt;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each provider's error clock. A failed call is the provider's trouble, not the task's: the tasks of a provider that
 * keeps failing wait longer and longer (exponential backoff with full jitter, so waiting tasks do not come back all
 * at once), and the clock starts again at the provider's first good answer. Its state changes are logged once each,
 * not once a call: the first failure of a run, a reminder at most once a minute, and the recovery.
 */
public class ProviderFaults {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderFaults.class);
    private static final long REMIND_EVERY_MILLIS = 60_000;

    private static final class Run {
        int failures;
        long remindedAt;
        TaskError last;
    }

    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    /**
     * Counts a failed call and returns how long its tasks wait: exactly what the provider asked for when it said
     * ({@code Retry-After}, a rate-limit reset), otherwise a random wait below the clock's current ceiling.
     */
    public Duration failed(String provider, PollPolicy policy, TaskError error, Duration askedFor) {
        Run run = runs.computeIfAbsent(provider, name -> new Run());
        int failures;
        boolean first;
        boolean remind;
        long now = System.currentTimeMillis();
        synchronized (run) {
            failures = ++run.failures;
            run.last = error;
            first = failures == 1;
            remind = !first && now - run.remindedAt >= REMIND_EVERY_MILLIS;
            if (first || remind) {
                run.remindedAt = now;
            }
        }
        if (first || remind) {
            log(provider, error, failures, policy, first);
        }
        if (askedFor != null) {
            return askedFor;
        }
        long ceiling = policy.errorCeiling(failures).toMillis();
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** The provider answered: its clock starts again. */
    public void answered(String provider) {
        Run run = runs.remove(provider);
        if (run != null) {
            LOG.info("{} answers again after {} failed call(s); its tasks are back on their own polling cadence",
                    provider, run.failures);
        }
    }

    /** Failed calls in a row so far (0 once the provider answered). */
    public int failures(String provider) {
        Run run = runs.get(provider);
        return run == null ? 0 : run.failures;
    }

    /** Why the provider's last call failed, while it has not answered since (for health checks). */
    public Optional<TaskError> lastFailure(String provider) {
        Run run = runs.get(provider);
        if (run == null) {
            return Optional.empty();
        }
        synchronized (run) {
            return Optional.ofNullable(run.last);
        }
    }

    private static void log(String provider, TaskError error, int failures, PollPolicy policy, boolean first) {
        if (TaskError.UNAUTHORIZED.equals(error.reason())) {
            // the provider's own words may quote the request, never the key: taskpoller does not echo it
            LOG.warn("{} refuses taskpoller's credential (HTTP {}){}: check taskpoller.provider.{}.api-key. Its tasks wait"
                    + " and fail as unauthorized only at their deadline", provider, error.httpStatus(),
                    first ? "" : " for " + failures + " calls now", provider);
            return;
        }
        LOG.warn("Status calls to {} fail{}: {} ({}); its tasks wait on the error backoff (up to {}), spending no attempt",
                provider, first ? "" : " (" + failures + " in a row, reminded once a minute)", error.reason(),
                Excerpt.forLog(error.message()), policy.maxErrorBackoff());
    }
}
