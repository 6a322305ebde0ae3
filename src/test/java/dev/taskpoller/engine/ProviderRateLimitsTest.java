package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.config.Rate;
import dev.taskpoller.provider.ProviderReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderRateLimitsTest {

    private static final String P = "closient-bulk-qr";

    private static ProviderRateLimits limits(Rate... rates) {
        return new ProviderRateLimits(Map.of(P, List.of(rates)), Map.of(P, 4), null);
    }

    @Test
    void everyLimitMustPermitACallAndARefusedCallTakesNoPermitFromTheOthers() {
        ProviderRateLimits limits = limits(new Rate(3, Duration.ofHours(1)), new Rate(2, Duration.ofHours(2)));

        assertEquals(Optional.empty(), limits.permit(P));
        assertEquals(Optional.empty(), limits.permit(P));
        Duration wait = limits.permit(P).orElseThrow();
        assertTrue(wait.compareTo(Duration.ofHours(1)) > 0 && wait.compareTo(Duration.ofHours(2)) <= 0,
                "until the per-2h limit refreshes: " + wait);
    }

    @Test
    void aRemainingAtOrBelowTheReserveHoldsCallsUntilTheReset() {
        ProviderRateLimits limits = limits(new Rate(100, Duration.ofSeconds(1)));

        limits.replied(P, new ProviderReply(200, Map.of("RateLimit-Remaining", "5", "RateLimit-Reset", "30"), ""));
        assertEquals(Optional.empty(), limits.permit(P), "5 left is above the reserve of 4");

        limits.replied(P, new ProviderReply(200, Map.of("RateLimit-Remaining", "4", "RateLimit-Reset", "30"), ""));
        Duration wait = limits.permit(P).orElseThrow();
        assertTrue(wait.compareTo(Duration.ofSeconds(20)) > 0 && wait.compareTo(Duration.ofSeconds(30)) <= 0, "wait " + wait);
    }

    @Test
    void theLegacyHeadersCountWithTheirResetAsAUnixTime() {
        ProviderRateLimits limits = limits(new Rate(100, Duration.ofSeconds(1)));
        long resetAt = System.currentTimeMillis() / 1000 + 120;

        limits.replied(P, new ProviderReply(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", String.valueOf(resetAt)), ""));

        Duration wait = limits.permit(P).orElseThrow();
        assertTrue(wait.compareTo(Duration.ofSeconds(100)) > 0 && wait.compareTo(Duration.ofSeconds(120)) <= 0, "wait " + wait);
    }

    @Test
    void a429HoldsTheProvidersCallsForItsRetryAfter() {
        ProviderRateLimits limits = limits(new Rate(100, Duration.ofSeconds(1)));

        limits.replied(P, new ProviderReply(429, Map.of("Retry-After", "7"), ""));

        Duration wait = limits.permit(P).orElseThrow();
        assertTrue(wait.compareTo(Duration.ofSeconds(5)) > 0 && wait.compareTo(Duration.ofSeconds(7)) <= 0, "wait " + wait);
    }

    @Test
    void aReplyWithoutRateLimitHeadersHoldsNothing() {
        ProviderRateLimits limits = limits(new Rate(100, Duration.ofSeconds(1)));

        limits.replied(P, new ProviderReply(200, Map.<String, String>of(), ""));
        limits.replied(P, new ProviderReply(503, Map.of("RateLimit-Remaining", "not a number", "RateLimit-Reset", "30"), ""));

        assertEquals(Optional.empty(), limits.permit(P));
    }
}
