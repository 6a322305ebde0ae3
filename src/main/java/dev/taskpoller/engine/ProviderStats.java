package dev.taskpoller.engine;

import dev.taskpoller.observe.TaskpollerMeters;
import dev.taskpoller.provider.PollOutcome;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Running counts per provider, for progress lines, the demo's summary, and the meters. */
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
    private final TaskpollerMeters meters;

    public ProviderStats() {
        this(TaskpollerMeters.unregistered());
    }

    public ProviderStats(TaskpollerMeters meters) {
        this.meters = meters;
    }

    public Counts of(String provider) {
        return counts.computeIfAbsent(provider == null ? UNKNOWN : provider, name -> new Counts());
    }

    public void accepted(TaskRequest request) {
        Counts c = of(request.provider());
        c.accepted.increment();
        c.firstAccepted.compareAndSet(0, System.currentTimeMillis());
        meters.accepted(request.provider());
    }

    public void rejected(Rejection rejection) {
        of(rejection.provider()).rejected.increment();
        meters.rejected(rejection.provider(), rejection.reason());
    }

    /** A status call's outcomes, one per task asked about. */
    public void called(String provider, Collection<PollOutcome> outcomes) {
        meters.statusCall(provider, outcomes);
    }

    public void polled(String provider) {
        of(provider).polls.increment();
    }

    public void finished(TerminalEvent event) {
        Counts c = of(event.provider());
        ("completed".equals(event.outcome()) ? c.completed : c.failed).increment();
        c.lastFinished.accumulateAndGet(System.currentTimeMillis(), Math::max);
        meters.published(event);
    }

    public Map<String, Counts> snapshot() {
        return new TreeMap<>(counts);
    }
}
