package dev.taskpoller.engine;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.config.Rate;
import dev.taskpoller.config.Settings;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.ProviderReply;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each provider's rate limits, kept before the provider answers 429: Resilience4j limiters (one per configured
 * {@code calls/period}, all must permit a call), and a hold until the quota's reset when a reply says it is nearly
 * spent ({@code RateLimit-Remaining} at or below the provider's reserve) or spent (a 429).
 *
 * <p>A call that may not be made now is not made, and waits without a thread: its tasks go back in line for the
 * moment the limiters (or the hold) will allow it, without spending an attempt.
 */
public class ProviderRateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRateLimits.class);

    private final InFlightTasks tasks;
    private final Map<String, Limits> byProvider = new TreeMap<>();

    /** One provider's limiters, reserve and hold (epoch millis before which no call is made). */
    private record Limits(List<RateLimiter> limiters, int reserve, AtomicLong heldUntil) {
    }

    /**
     * @param rates    each provider's limits, all of which must permit a call
     * @param reserves each provider's {@code rate-limit-reserve}
     * @param tasks    where the tasks of a call that may not be made now go back in line
     */
    public ProviderRateLimits(Map<String, List<Rate>> rates, Map<String, Integer> reserves, InFlightTasks tasks) {
        this.tasks = tasks;
        rates.forEach((provider, limits) -> byProvider.put(provider, new Limits(
                limits.stream().map(rate -> limiter(provider, rate)).toList(), reserves.get(provider), new AtomicLong())));
    }

    /** The limits configured for these providers ({@code rate-limit}, {@code rate-limit-reserve}). */
    public static ProviderRateLimits read(Configuration config, Collection<String> providers, InFlightTasks tasks) {
        Map<String, List<Rate>> rates = new TreeMap<>();
        Map<String, Integer> reserves = new TreeMap<>();
        for (String provider : providers) {
            rates.put(provider, config.get(Settings.RATE_LIMIT, provider));
            reserves.put(provider, config.get(Settings.RATE_LIMIT_RESERVE, provider));
        }
        return new ProviderRateLimits(rates, reserves, tasks);
    }

    private static RateLimiter limiter(String provider, Rate rate) {
        return RateLimiter.of(provider + " " + rate, RateLimiterConfig.custom()
                .limitForPeriod(rate.calls())
                .limitRefreshPeriod(rate.period())
                // never wait on a thread: a call without a permit goes back in line
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /**
     * The polling route's check before a status call: true when the call must not be made now, in which case its
     * tasks are already back in line for when it may be.
     */
    public boolean holdBack(PollBatch batch) {
        Optional<Duration> wait = permit(batch.provider());
        if (wait.isEmpty()) {
            return false;
        }
        LOG.debug("Rate limit of {}: a call for {} task(s) waits {} ms", batch.provider(), batch.tasks().size(),
                wait.get().toMillis());
        long at = System.currentTimeMillis() + wait.get().toMillis();
        batch.tasks().forEach(task -> tasks.pollAgainAt(task, at));
        return true;
    }

    /** Empty when a call to the provider may be made now (its permits are taken), else how long until it may. */
    public Optional<Duration> permit(String provider) {
        Limits limits = byProvider.get(provider);
        if (limits == null) {
            return Optional.empty();
        }
        long held = limits.heldUntil().get() - System.currentTimeMillis();
        if (held > 0) {
            return Optional.of(Duration.ofMillis(held));
        }
        // a permit taken from one limiter while another refuses is lost, so look at all of them first
        Optional<Duration> wait = untilAllHavePermits(limits.limiters());
        if (wait.isPresent()) {
            return wait;
        }
        for (RateLimiter limiter : limits.limiters()) {
            if (!limiter.acquirePermission()) {
                return Optional.of(untilPermit(limiter));
            }
        }
        return Optional.empty();
    }

    private static Optional<Duration> untilAllHavePermits(List<RateLimiter> limiters) {
        return limiters.stream()
                .filter(limiter -> limiter.getMetrics().getAvailablePermissions() <= 0)
                .map(ProviderRateLimits::untilPermit)
                .max(Duration::compareTo);
    }

    private static Duration untilPermit(RateLimiter limiter) {
        long nanos = limiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait()
                : limiter.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
        // at least a millisecond: the next refresh, not the instant before it
        return Duration.ofMillis(Math.max(1, (nanos + 999_999) / 1_000_000));
    }

    /** The polling route's look at a status call's reply: a call that failed without one says nothing of the quota. */
    public void observe(BatchReply answer) {
        if (answer.reply() != null) {
            replied(answer.provider(), answer.reply());
        }
    }

    /**
     * Holds the provider's calls until the quota's reset when this reply says it is spent (429) or at most the
     * reserve is left ({@code RateLimit-Remaining}, else the legacy {@code X-RateLimit-Remaining}).
     */
    public void replied(String provider, ProviderReply reply) {
        Limits limits = byProvider.get(provider);
        if (limits == null) {
            return;
        }
        Optional<Duration> hold = reply.status() == 429 ? Optional.ofNullable(HttpReplies.rateLimitWait(reply))
                : quotaNearlySpent(reply, limits.reserve());
        hold.filter(wait -> !wait.isZero()).ifPresent(wait -> {
            long until = System.currentTimeMillis() + wait.toMillis();
            long before = limits.heldUntil().getAndAccumulate(until, Math::max);
            if (until > before) {
                LOG.debug("Calls to {} wait {} ms for the provider's quota to reset (HTTP {})", provider, wait.toMillis(),
                        reply.status());
            }
        });
    }

    private static Optional<Duration> quotaNearlySpent(ProviderReply reply, int reserve) {
        boolean standard = reply.header("RateLimit-Remaining") != null;
        Long remaining = HttpReplies.wholeNumber(reply.header(standard ? "RateLimit-Remaining" : "X-RateLimit-Remaining"));
        if (remaining == null || remaining > reserve) {
            return Optional.empty();
        }
        return Optional.ofNullable(standard ? HttpReplies.resetDelay(reply.header("RateLimit-Reset"))
                : HttpReplies.legacyReset(reply.header("X-RateLimit-Reset")));
    }
}
