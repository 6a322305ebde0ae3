package dev.taskpoller.config;

import java.time.Duration;

/** At most {@code calls} calls in each {@code period}: one rate limit, written {@code calls/period} (e.g. {@code 2/1s}). */
public record Rate(int calls, Duration period) {

    @Override
    public String toString() {
        return calls + "/" + period.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
