package dev.taskpoller.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Running counts per provider, for progress lines, the demo's summary and later for metrics. */
public class ProviderStats {

    /** The counts of one provider; times are epoch millis, 0 until something happened. */
    public static final class Counts {
        public final LongAdder accepted = new LongAdder();
        public final LongAdder completed = new LongAdder();
        public final LongAdder failed = new LongAdder();
        public final LongAdder rejected = new LongAdder();
        public final LongAdder polls = new LongAdder();
        private final AtomicLong firstAccepted = new AtomicLong();
        private final AtomicLong lastFinished = new AtomicLong();

        /** From the first accepted task to the last terminal event, in millis. */
        public long activeMillis() {
            long first = firstAccepted.get();
            long last = lastFinished.get();
            return first == 0 || last < first ? 0 : last - first;
        }

        public long finished() {
            return completed.sum() + failed.sum();
        }
    }

    private static final String UNKNOWN = "(none)";
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    public Counts of(String provider) {
        return counts.computeIfAbsent(provider == null ? UNKNOWN : provider, name -> new Counts());
    }

    public void accepted(TaskRequest request) {
        Counts c = of(request.provider());
        c.accepted.increment();
        c.firstAccepted.compareAndSet(0, System.currentTimeMillis());
    }

    public void rejected(Rejection rejection) {
        of(rejection.provider()).rejected.increment();
    }

    public void polled(String provider) {
        of(provider).polls.increment();
    }

    public void finished(TerminalEvent event) {
        Counts c = of(event.provider());
        ("completed".equals(event.outcome()) ? c.completed : c.failed).increment();
        c.lastFinished.accumulateAndGet(System.currentTimeMillis(), Math::max);
    }

    public Map<String, Counts> snapshot() {
        return new TreeMap<>(counts);
    }
}
