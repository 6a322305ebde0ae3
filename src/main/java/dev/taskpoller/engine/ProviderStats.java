package dev.taskpoller.engine;

import dev.taskpoller.observe.TaskpollerMeters;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.text.Excerpt;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Running counts per provider, for progress lines, the demo's summary, and the meters. */
public class ProviderStats {

    /** One line per finished task, at DEBUG: the name operators already filter on. */
    private static final Logger TASK_LOG = LoggerFactory.getLogger("dev.taskpoller.task");

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

    /** The input of a task already accepted was read again (and passed over): counted by kind of input. */
    public void readAgain(TaskRequest request) {
        String origin = request.origin() == null ? "" : request.origin();
        int colon = origin.indexOf(':');
        meters.readAgain(colon > 0 ? origin.substring(0, colon) : "other");
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

    /** A published batch's events; one DEBUG line per task (INFO has the periodic summary). */
    public void finished(List<TerminalEvent> events) {
        for (TerminalEvent event : events) {
            count(event);
            if (TASK_LOG.isDebugEnabled()) {
                TASK_LOG.debug("Task {} {}", Excerpt.forLog(event.key()), event.outcome());
            }
        }
    }

    private void count(TerminalEvent event) {
        Counts c = of(event.provider());
        ("completed".equals(event.outcome()) ? c.completed : c.failed).increment();
        c.lastFinished.accumulateAndGet(System.currentTimeMillis(), Math::max);
        meters.published(event.provider(), event.outcome(), event.reason(), event.providerFinishedAt());
    }

    public Map<String, Counts> snapshot() {
        return new TreeMap<>(counts);
    }
}
