package dev.taskpoller.engine;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator's view of the work, one line at a time: what happened since the previous line, the totals since
 * start, and the tasks in flight per provider. Per-task lines are DEBUG; this line is what INFO shows.
 */
public class ActivitySummary {

    /** The counters a line reports; in flight per provider is a map, the rest are totals since start. */
    private record Totals(long accepted, long completed, long failed, long rejected, Map<String, Long> inFlight) {

        static Totals of(ProviderStats stats, InFlightTasks tasks) {
            long accepted = 0;
            long completed = 0;
            long failed = 0;
            long rejected = 0;
            for (ProviderStats.Counts c : stats.snapshot().values()) {
                accepted += c.accepted.sum();
                completed += c.completed.sum();
                failed += c.failed.sum();
                rejected += c.rejected.sum();
            }
            return new Totals(accepted, completed, failed, rejected, tasks.sizeByProvider());
        }

        String counts() {
            return accepted + " accepted, " + completed + " completed, " + failed + " failed, " + rejected + " rejected";
        }

        Totals minus(Totals earlier) {
            return new Totals(accepted - earlier.accepted, completed - earlier.completed, failed - earlier.failed,
                    rejected - earlier.rejected, inFlight);
        }
    }

    private final ProviderStats stats;
    private final InFlightTasks tasks;
    private Totals last = new Totals(0, 0, 0, 0, Map.of());
    private long lastAt = System.currentTimeMillis();

    public ActivitySummary(ProviderStats stats, InFlightTasks tasks) {
        this.stats = stats;
        this.tasks = tasks;
    }

    /** The summary line since the previous one, or null when nothing changed (an idle service logs nothing). */
    public synchronized String sinceLastLine() {
        Totals now = Totals.of(stats, tasks);
        if (now.equals(last)) {
            return null;
        }
        long at = System.currentTimeMillis();
        String line = "Last " + readable(Duration.ofMillis(at - lastAt)) + ": " + now.minus(last).counts()
                + ". Since start: " + now.counts() + ". In flight: " + inFlight(now.inFlight) + ".";
        last = now;
        lastAt = at;
        return line;
    }

    private static String inFlight(Map<String, Long> byProvider) {
        long total = byProvider.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return "0";
        }
        return total + " (" + byProvider.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    /** 45s, 2m30s, 1h5m: a line's window as an operator reads it. */
    private static String readable(Duration window) {
        long seconds = Math.max(1, Math.round(window.toMillis() / 1000.0));
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
        }
        return seconds / 3600 + "h" + (seconds % 3600 / 60 == 0 ? "" : seconds % 3600 / 60 + "m");
    }
}
