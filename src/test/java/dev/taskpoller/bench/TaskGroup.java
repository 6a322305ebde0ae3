package dev.taskpoller.bench;

import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.sim.SimulatedTask.Phase;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The tasks of one benchmark run in the simulator, and what the simulator saw of them: when each was answered (so
 * each poll's lateness against its schedule, the previous answer plus the interval), when it first answered its
 * terminal status, when it was made to finish (its release) and its first poll after a mark (a restart). Times are
 * wall-clock microseconds, so that another JVM's event times can be set against them. A batch call's tasks count as
 * one poll each.
 */
final class TaskGroup implements SimulatedTask.PollObserver {

    private static final int INDEX_DIGITS = 12;
    static final String SCAN_DOCUMENTS = "scan-documents";
    static final String ACEDATA = "acedata-qrart";

    final String provider;
    final String tag;
    final int size;
    private final long intervalMicros;
    private final AtomicLongArray lastAnswer;
    private final AtomicLongArray terminalAt;
    private final AtomicLongArray releasedAt;
    private final AtomicLongArray firstPollSinceMark;
    private final AtomicInteger polledOnce = new AtomicInteger();
    private final AtomicInteger terminal = new AtomicInteger();
    private final AtomicInteger polledSinceMark = new AtomicInteger();
    private final LongAdder polls = new LongAdder();
    final LatencyHistogram lateness = new LatencyHistogram();
    private volatile boolean measuringLateness;
    private volatile long markMicros = Long.MAX_VALUE;

    /** Scan Documents tasks; {@code tag}: 4 lower-case letters or digits, unique per run, so ids never repeat. */
    TaskGroup(String tag, int size, long intervalMillis) {
        this(SCAN_DOCUMENTS, tag, size, intervalMillis);
    }

    /** Tasks of {@link #SCAN_DOCUMENTS} or {@link #ACEDATA}, with ids of that provider's shape. */
    TaskGroup(String provider, String tag, int size, long intervalMillis) {
        if (!provider.equals(SCAN_DOCUMENTS) && !provider.equals(ACEDATA)) {
            throw new IllegalArgumentException("no task ids for provider " + provider);
        }
        if (!tag.matches("[a-z0-9]{4}")) {
            throw new IllegalArgumentException("tag must be 4 lower-case letters or digits: " + tag);
        }
        this.provider = provider;
        this.tag = tag;
        this.size = size;
        this.intervalMicros = intervalMillis * 1000;
        lastAnswer = new AtomicLongArray(size);
        terminalAt = new AtomicLongArray(size);
        releasedAt = new AtomicLongArray(size);
        firstPollSinceMark = new AtomicLongArray(size);
    }

    /**
     * A Scan Documents task id: {@code task_} + the tag + the index in 12 digits; an AceData one: a UUID whose first
     * group is the tag (as a number, in hex) and whose last is the index in 12 decimal digits.
     */
    String id(int index) {
        return idPrefix() + String.format("%0" + INDEX_DIGITS + "d", index);
    }

    /** What every id of the group starts with (all but the index). */
    String idPrefix() {
        return provider.equals(ACEDATA) ? String.format("%08x-0000-4000-8000-", Integer.parseInt(tag, 36))
                : "task_" + tag;
    }

    static int indexOf(String taskId) {
        return Integer.parseInt(taskId.substring(taskId.length() - INDEX_DIGITS));
    }

    /** Every task of the group, answering "pending" until {@link #release}. */
    TaskGroup addPending(ProviderSimulator sim) {
        for (int i = 0; i < size; i++) {
            sim.addTask(SimulatedTask.neverEnding(id(i)).observedBy(this));
        }
        return this;
    }

    /** From now on each task completes at its {@code polls}-th next poll (with 1: it has finished now). */
    void release(ProviderSimulator sim, int polls) throws InterruptedException {
        release(sim, polls, 0);
    }

    /**
     * As {@link #release(ProviderSimulator, int)}, one task after another evenly over {@code spreadMillis} (returns
     * when all are released): tasks finishing at a steady rate rather than all at once.
     */
    void release(ProviderSimulator sim, int polls, long spreadMillis) throws InterruptedException {
        long start = nowMicros();
        for (int i = 0; i < size; i++) {
            long wait = start + spreadMillis * 1000 * i / size - nowMicros();
            if (wait >= 1000) {
                Thread.sleep(wait / 1000);
            }
            releasedAt.set(i, nowMicros());
            sim.addTask(SimulatedTask.completing(id(i), polls).observedBy(this));
        }
    }

    void measureLateness(boolean on) {
        measuringLateness = on;
    }

    /** First polls from now on are recorded (see {@link #firstPollsSinceMarkMillis}). */
    void mark() {
        markMicros = nowMicros();
    }

    @Override
    public void polled(SimulatedTask task, Phase phase) {
        int index = indexOf(task.id());
        long now = nowMicros();
        polls.increment();
        long previous = lastAnswer.getAndSet(index, now);
        if (previous == 0) {
            polledOnce.incrementAndGet();
        } else if (measuringLateness) {
            lateness.record(now - previous - intervalMicros);
        }
        if (now >= markMicros && firstPollSinceMark.compareAndSet(index, 0, now)) {
            polledSinceMark.incrementAndGet();
        }
        if ((phase == Phase.COMPLETED || phase == Phase.FAILED) && terminalAt.compareAndSet(index, 0, now)) {
            terminal.incrementAndGet();
        }
    }

    int polledOnce() {
        return polledOnce.get();
    }

    /** Every poll of the group's tasks so far. */
    long polls() {
        return polls.sum();
    }

    int terminal() {
        return terminal.get();
    }

    int polledSinceMark() {
        return polledSinceMark.get();
    }

    /** When the simulator first answered this task's terminal status (µs), 0 if never. */
    long terminalAt(int index) {
        return terminalAt.get(index);
    }

    /** When this task was released (µs), 0 if never. */
    long releasedAt(int index) {
        return releasedAt.get(index);
    }

    /** The first poll of each task since the mark, in ms after {@code fromMicros}, sorted; unpolled ones left out. */
    long[] firstPollsSinceMarkMillis(long fromMicros) {
        long[] times = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            long at = firstPollSinceMark.get(i);
            if (at != 0) {
                times[n++] = (at - fromMicros) / 1000;
            }
        }
        long[] polled = Arrays.copyOf(times, n);
        Arrays.sort(polled);
        return polled;
    }

    static long nowMicros() {
        Instant now = Clock.systemUTC().instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
