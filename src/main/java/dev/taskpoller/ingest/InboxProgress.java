package dev.taskpoller.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The inbox files being read and how far each got, so that a file that failed half-way (its exchange rolled back,
 * the file left in the inbox) is read on from the first line not yet done instead of from the top. Kept in memory
 * only: after a crash a file is read from the top again (its in-flight tasks are then passed over as the same
 * input read again, its rejections are published again): a crash may repeat lines, never drop them.
 */
final class InboxProgress {

    private record Entry(InboxArrival arrival, int linesDone) {
    }

    /** Keyed by {@link InboxArrival#identity()}: a new file dropped under the same name is a new entry. */
    private final Map<String, Entry> files = new ConcurrentHashMap<>();

    /** The arrival of this file when it is being read already, else the new one {@code arrive} makes. */
    InboxArrival arrival(String identity, Supplier<InboxArrival> arrive) {
        return files.computeIfAbsent(identity, key -> new Entry(arrive.get(), 0)).arrival();
    }

    /** The number of the last line processed; every line before it is processed too (they go in order). */
    int linesDone(InboxArrival arrival) {
        Entry entry = files.get(arrival.identity());
        return entry != null && entry.arrival().equals(arrival) ? entry.linesDone() : 0;
    }

    void done(InboxArrival arrival, int line) {
        files.computeIfPresent(arrival.identity(), (key, entry) -> entry.arrival().equals(arrival)
                ? new Entry(arrival, Math.max(entry.linesDone(), line)) : entry);
    }

    /** The file is moving out of the inbox: nothing to remember any more. */
    void forget(InboxArrival arrival) {
        files.remove(arrival.identity());
    }
}
