package dev.taskpoller.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/** Durations in microseconds, counted lock-free in 0.1 ms buckets up to 60 s (beyond: the last bucket). */
final class LatencyHistogram {

    private static final int MICROS_PER_BUCKET = 100;
    private static final int BUCKETS = 600_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** A negative duration (an answer sent a moment before it was timed) counts as zero. */
    void record(long micros) {
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, micros / MICROS_PER_BUCKET)));
    }

    long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The {@code p}-th percentile in milliseconds (the bucket's upper edge), or null when nothing was recorded. */
    Double percentileMillis(double p) {
        long total = count();
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return (i + 1) * MICROS_PER_BUCKET / 1000.0;
            }
        }
        return BUCKETS * MICROS_PER_BUCKET / 1000.0;
    }
}
