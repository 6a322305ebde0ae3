package dev.taskpoller.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The tasks that ended lately on this instance's in-flight partitions, so that their input read again (a file read
 * again after a crash, a poll of the requests topic delivered again) is passed over instead of being accepted and
 * polled anew. A task's end in the in-flight topic is an <em>ended</em> record (its request, its input's origin, when
 * it ended) rather than a tombstone; it is remembered here for {@code taskpoller.ingest.finished-ttl}, at most
 * {@code taskpoller.ingest.finished-max} of them (the oldest go first), and then its tombstone follows in a publishing
 * transaction. Only the same input is passed over: the same task submitted again from another input is a new request.
 *
 * <p>Input read again may still reach the in-flight topic (read by another instance, or before a restart's rebuild
 * had read the task's end): its owner then finds the task here, does not poll it, and writes its end again
 * ({@link #readAgain}), so that the topic says it ended.
 */
public class FinishedTasks {

    /** A task's end as remembered: its key, its input, its in-flight partition and when it ended. */
    public record Finished(String key, String origin, int partition, Instant endedAt) {
    }

    /** A task whose input was read again after it ended: its end is written again (the same ended record). */
    public record EndAgain(TaskRequest request, int partition, Instant endedAt) {
    }

    /** What a publishing transaction does for these tasks: tombstones for ends forgotten, ends written again. */
    public record Chores(List<Finished> tombstones, List<EndAgain> endsAgain) {
    }

    /** The most chores one transaction takes: a restart may find a hundred thousand ends to forget. */
    static final int MOST_CHORES = 1_000;

    private final Duration ttl;
    private final int most;
    private final Map<String, Finished> byKey = new ConcurrentHashMap<>();
    /** In the order they ended (as far as rebuilds read them in that order); entries since replaced are skipped. */
    private final Deque<Finished> inOrder = new ArrayDeque<>();
    private final Queue<EndAgain> endsAgain = new ConcurrentLinkedQueue<>();

    public FinishedTasks(Duration ttl, int most) {
        this.ttl = ttl;
        this.most = most;
    }

    /** Remembers a task's end (written by this instance, or read from its partition); the same end twice is once. */
    public synchronized void ended(String key, String origin, int partition, Instant endedAt) {
        Finished finished = new Finished(key, origin, partition, endedAt);
        if (finished.equals(byKey.get(key))) {
            return;
        }
        byKey.put(key, finished);
        inOrder.addLast(finished);
    }

    /** Whether this is the input of a task that ended lately: then it is passed over. */
    public boolean sameInput(String key, String origin) {
        return isInputOf(byKey.get(key), origin);
    }

    private static boolean isInputOf(Finished finished, String origin) {
        return finished != null && origin != null && origin.equals(finished.origin());
    }

    /** The task of this key is no longer ended (its tombstone was read, or it was submitted again from another input). */
    public void forget(String key) {
        byKey.remove(key);
    }

    /**
     * Whether this accepted record (of the task of {@code key}) is the input of a task that ended lately, read again
     * and written to the in-flight topic anyway: then the task's end is written again, and true.
     */
    public boolean readAgain(String key, TaskRequest request) {
        Finished finished = byKey.get(key);
        if (!isInputOf(finished, request.origin())) {
            return false;
        }
        endsAgain.add(new EndAgain(request, finished.partition(), finished.endedAt()));
        return true;
    }

    /** Forgets the ends of a partition this instance no longer owns: its new owner reads them. */
    public void dropPartition(int partition) {
        byKey.values().removeIf(finished -> finished.partition() == partition);
        endsAgain.removeIf(again -> again.partition() == partition);
    }

    /**
     * What the next transaction does, for the partitions still owned: the tombstones of the ends past their time or
     * beyond the most remembered (they stay remembered until {@link #done}), and the ends to write again (given back
     * by {@link #notDone} if it fails).
     */
    public synchronized Chores chores(Instant now, Set<Integer> owned) {
        dropForgottenHeads();
        List<Finished> tombstones = new ArrayList<>();
        for (Finished finished : inOrder) {
            if (tombstones.size() >= MOST_CHORES || !dueForTombstone(finished, tombstones.size(), now)) {
                break;
            }
            if (current(finished) && owned.contains(finished.partition())) {
                tombstones.add(finished);
            }
        }
        List<EndAgain> again = new ArrayList<>();
        for (EndAgain end; again.size() < MOST_CHORES && (end = endsAgain.poll()) != null; ) {
            if (owned.contains(end.partition())) {
                again.add(end);
            }
        }
        return new Chores(List.copyOf(tombstones), List.copyOf(again));
    }

    /** Whether a transaction has chores to do now (see {@link #chores}). */
    public synchronized boolean hasChores(Instant now) {
        dropForgottenHeads();
        return !endsAgain.isEmpty() || !inOrder.isEmpty() && dueForTombstone(inOrder.peekFirst(), 0, now);
    }

    /** Past its time, or among the oldest beyond the most remembered (once {@code taken} before it are tombstoned). */
    private boolean dueForTombstone(Finished finished, int taken, Instant now) {
        return taken < byKey.size() - most || finished.endedAt().isBefore(now.minus(ttl));
    }

    /** The transaction that carried these chores committed: the tombstoned ends are forgotten. */
    public synchronized void done(Chores chores) {
        chores.tombstones().forEach(finished -> byKey.remove(finished.key(), finished));
        dropForgottenHeads();
    }

    /** The transaction that carried these chores did not commit: its ends to write again wait for the next one. */
    public void notDone(Chores chores) {
        endsAgain.addAll(chores.endsAgain());
    }

    /** How many task ends are remembered (a gauge). */
    public int size() {
        return byKey.size();
    }

    /** The ends at the head of the order that were replaced or forgotten since. */
    private void dropForgottenHeads() {
        while (!inOrder.isEmpty() && !current(inOrder.peekFirst())) {
            inOrder.pollFirst();
        }
    }

    private boolean current(Finished finished) {
        return byKey.get(finished.key()) == finished;
    }
}
