package dev.taskpoller.sim;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A simulator's request budget: empty when the request may pass, otherwise how long to wait. */
public interface RateLimit {

    Optional<Duration> tryAcquire();

    /** Requests still allowed right now (for rate-limit headers). */
    long remaining();

    /** The most requests the budget holds (a {@code RateLimit-Limit} header); {@link Long#MAX_VALUE} when unlimited. */
    default long limit() {
        return Long.MAX_VALUE;
    }

    /** The period {@link #limit()} is counted over (the {@code w=} of a {@code RateLimit-Policy}); zero when unlimited. */
    default Duration window() {
        return Duration.ZERO;
    }

    /** How long until the whole budget is available again (a {@code RateLimit-Reset} header). */
    default Duration resetIn() {
        return Duration.ZERO;
    }

    /**
     * The most requests this budget was asked to take at once, refused ones included: in one window for a fixed
     * window, the level the bucket would have reached for a leaky bucket. At most {@link #limit()} while no request
     * was refused, so a test can tell by how much a client went over, or that it never did.
     */
    default long peak() {
        return 0;
    }

    /** The budgets this one is made of (several when every one of them must admit a request). */
    default List<RateLimit> parts() {
        return List.of(this);
    }

    /**
     * Every budget must admit a request (e.g. a per-minute and a per-day quota); a refused request takes from none.
     * Its limit, remaining and reset are those of the budget with the fewest requests left.
     */
    static RateLimit allOf(RateLimit... budgets) {
        List<RateLimit> parts = List.of(budgets);
        return new RateLimit() {
            @Override
            public synchronized Optional<Duration> tryAcquire() {
                Optional<Duration> wait = parts.stream().filter(part -> part.remaining() <= 0)
                        .map(RateLimit::resetIn).max(Duration::compareTo);
                if (wait.isPresent()) {
                    return wait;
                }
                return parts.stream().map(RateLimit::tryAcquire).flatMap(Optional::stream).max(Duration::compareTo);
            }

            @Override
            public long remaining() {
                return tightest().remaining();
            }

            @Override
            public long limit() {
                return tightest().limit();
            }

            @Override
            public Duration window() {
                return tightest().window();
            }

            @Override
            public Duration resetIn() {
                return tightest().resetIn();
            }

            @Override
            public long peak() {
                return parts.stream().mapToLong(RateLimit::peak).max().orElse(0);
            }

            @Override
            public List<RateLimit> parts() {
                return parts;
            }

            private RateLimit tightest() {
                return parts.stream().min((a, b) -> Long.compare(a.remaining(), b.remaining())).orElseThrow();
            }
        };
    }

    RateLimit UNLIMITED = new RateLimit() {
        @Override
        public Optional<Duration> tryAcquire() {
            return Optional.empty();
        }

        @Override
        public long remaining() {
            return Long.MAX_VALUE;
        }
    };

    /** A leaky bucket of {@code capacity} requests that drains {@code perSecond} a second (Shoplazza's documented model). */
    static RateLimit leakyBucket(int capacity, double perSecond) {
        return new RateLimit() {
            private double level;
            private double peak;
            private long last = System.nanoTime();

            @Override
            public synchronized Optional<Duration> tryAcquire() {
                drain();
                peak = Math.max(peak, level + 1);
                if (level + 1 > capacity) {
                    return Optional.of(Duration.ofMillis((long) Math.ceil((level + 1 - capacity) / perSecond * 1000)));
                }
                level += 1;
                return Optional.empty();
            }

            @Override
            public synchronized long remaining() {
                drain();
                return (long) Math.floor(capacity - level);
            }

            @Override
            public long limit() {
                return capacity;
            }

            @Override
            public synchronized long peak() {
                return (long) Math.ceil(peak - 1e-9);
            }

            @Override
            public Duration window() {
                return Duration.ofMillis((long) Math.ceil(capacity / perSecond * 1000));
            }

            @Override
            public synchronized Duration resetIn() {
                drain();
                return Duration.ofMillis((long) Math.ceil(level / perSecond * 1000));
            }

            private void drain() {
                long now = System.nanoTime();
                level = Math.max(0, level - (now - last) / 1e9 * perSecond);
                last = now;
            }
        };
    }

    /** At most {@code limit} requests in each fixed window (Closient's per-minute budget). */
    static RateLimit fixedWindow(int limit, Duration window) {
        return new RateLimit() {
            private long windowStart = System.nanoTime();
            private int used;
            private int asked;
            private int peak;

            @Override
            public synchronized Optional<Duration> tryAcquire() {
                roll();
                asked++;
                peak = Math.max(peak, asked);
                if (used >= limit) {
                    return Optional.of(Duration.ofNanos(window.toNanos() - (System.nanoTime() - windowStart)));
                }
                used++;
                return Optional.empty();
            }

            @Override
            public synchronized long remaining() {
                roll();
                return limit - used;
            }

            @Override
            public long limit() {
                return limit;
            }

            @Override
            public synchronized long peak() {
                return peak;
            }

            @Override
            public Duration window() {
                return window;
            }

            @Override
            public synchronized Duration resetIn() {
                roll();
                return Duration.ofNanos(window.toNanos() - (System.nanoTime() - windowStart));
            }

            private void roll() {
                long now = System.nanoTime();
                if (now - windowStart >= window.toNanos()) {
                    windowStart = now;
                    used = 0;
                    asked = 0;
                }
            }
        };
    }
}
