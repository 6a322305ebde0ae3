package dev.taskpoller.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The inbox files being read and how far each got, so that a file read again (its exchange failed half-way, or the
 * process was killed) goes on from the first line not yet done instead of from the top. Kept in memory and in
 * {@code <inbox>/.progress/<arrival id>}, written once a slice of lines is done (its in-flight writes acknowledged):
 * a crash repeats at most the slice being read, whose tasks are then passed over as the same input read again, never
 * lines whose tasks may have finished since (read again, such a task would be polled again, and a provider whose
 * answer has changed by then would give it a second, different event).
 */
final class InboxProgress {

    private record Entry(InboxArrival arrival, int linesDone) {
    }

    /** Keyed by {@link InboxArrival#identity()}: a new file dropped under the same name is a new entry. */
    private final Map<String, Entry> files = new ConcurrentHashMap<>();
    private final Path folder;

    /** @param folder where the progress of each file being read is kept (a dot folder: the inbox scan skips it) */
    InboxProgress(Path folder) {
        this.folder = folder;
    }

    /** The arrival of this file when it is being read already, else the new one {@code arrive} makes. */
    InboxArrival arrival(String identity, Supplier<InboxArrival> arrive) {
        return files.computeIfAbsent(identity, key -> {
            InboxArrival arrival = arrive.get();
            return new Entry(arrival, stored(arrival));
        }).arrival();
    }

    /** The number of the last line processed; every line before it is processed too (they go in order). */
    int linesDone(InboxArrival arrival) {
        Entry entry = files.get(arrival.identity());
        return entry != null && entry.arrival().equals(arrival) ? entry.linesDone() : 0;
    }

    void done(InboxArrival arrival, int line) {
        files.computeIfPresent(arrival.identity(), (key, entry) -> entry.arrival().equals(arrival)
                ? new Entry(arrival, Math.max(entry.linesDone(), line)) : entry);
        store(arrival, linesDone(arrival));
    }

    /** The file is moving out of the inbox: nothing to remember any more. */
    void forget(InboxArrival arrival) {
        files.remove(arrival.identity());
        try {
            Files.deleteIfExists(fileOf(arrival));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the progress of " + arrival.relativePath(), e);
        }
    }

    private int stored(InboxArrival arrival) {
        try {
            String[] kept = Files.readString(fileOf(arrival), StandardCharsets.UTF_8).split("\n", 2);
            // the same arrival id for another path is another file (ids are per path): start from its top
            return kept.length == 2 && kept[1].equals(arrival.relativePath()) ? Integer.parseInt(kept[0]) : 0;
        } catch (IOException | NumberFormatException noneOrUnreadable) {
            return 0;
        }
    }

    private void store(InboxArrival arrival, int linesDone) {
        try {
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, ".", ".tmp");
            Files.writeString(temp, linesDone + "\n" + arrival.relativePath(), StandardCharsets.UTF_8);
            Files.move(temp, fileOf(arrival), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the progress of " + arrival.relativePath(), e);
        }
    }

    private Path fileOf(InboxArrival arrival) {
        return folder.resolve(arrival.id());
    }
}
