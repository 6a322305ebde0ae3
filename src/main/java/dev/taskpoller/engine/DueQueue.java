package dev.taskpoller.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One provider's tasks in the order they come due, and the one thread that hands them out as they do: a delay
 * queue (as {@link java.util.concurrent.DelayQueue}) that can also hand out, in the same take, the tasks due within a
 * window after the first (so that a batch provider's calls fill up) and at most so many at once (so that a restart
 * that makes a hundred thousand tasks due together is handed out in bounded slices). Waiting costs one queue entry,
 * never a thread.
 */
final class DueQueue {

    private final PriorityQueue<TrackedTask> queue = new PriorityQueue<>(Comparator.comparingLong(TrackedTask::nextPollAt));
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a task goes to the head of the queue: the taker may have to wake up sooner. */
    private final Condition headChanged = lock.newCondition();
    /** While set, a take answers at once and empty: the dispatch is being stopped. */
    private volatile boolean released;

    /** Puts a task in line for {@code at} (epoch millis), unless it is in line already: then it keeps its place. */
    void add(TrackedTask task, long at) {
        lock.lock();
        try {
            if (!task.queued()) {
                task.nextPollAt(at);
                task.queued(true);
                queue.add(task);
                if (queue.peek() == task) {
                    headChanged.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code maxWaitMillis} for the first task to come due, then takes it with every task due within
     * {@code windowMillis} after now, at most {@code max} of them. Empty when none came due in time.
     */
    List<TrackedTask> takeDue(long windowMillis, int max, long maxWaitMillis) throws InterruptedException {
        long until = System.currentTimeMillis() + maxWaitMillis;
        lock.lockInterruptibly();
        try {
            while (true) {
                if (released) {
                    return List.of();
                }
                long now = System.currentTimeMillis();
                TrackedTask head = queue.peek();
                if (head != null && head.nextPollAt() <= now) {
                    return drain(now + windowMillis, max);
                }
                long wait = Math.min(until, head == null ? until : head.nextPollAt()) - now;
                if (now >= until) {
                    return List.of();
                }
                headChanged.await(Math.max(1, wait), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a waiting take at once, and every take after it, until {@link #resume()}: a dispatch route that holds an
     * exchange while it waits would otherwise hold a stopping context's in-flight check (Camel looks again a second
     * later).
     */
    void release() {
        lock.lock();
        try {
            released = true;
            headChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes wait for due tasks again (a context started after a stop). */
    void resume() {
        released = false;
    }

    private List<TrackedTask> drain(long horizon, int max) {
        List<TrackedTask> due = new ArrayList<>();
        while (due.size() < max && !queue.isEmpty() && queue.peek().nextPollAt() <= horizon) {
            TrackedTask task = queue.poll();
            task.queued(false);
            due.add(task);
        }
        return due;
    }
}
