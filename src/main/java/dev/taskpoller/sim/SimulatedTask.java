package dev.taskpoller.sim;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A task a simulator knows: it answers {@code queuedPolls} polls as queued, then {@code runningPolls} as running,
 * then its terminal state for ever (unless it is {@link Ending#NEVER}, a task that stays queued).
 */
public final class SimulatedTask {

    public enum Ending { COMPLETED, FAILED, NEVER }

    public enum Phase { QUEUED, RUNNING, COMPLETED, FAILED }

    /** Told of each poll as it is answered, on the simulator's request thread (the benchmark times polls with it). */
    public interface PollObserver {
        void polled(SimulatedTask task, Phase phase);
    }

    private final String id;
    private final int queuedPolls;
    private final int runningPolls;
    private final Ending ending;
    private final String failureMessage;
    private final long createdAtMillis = System.currentTimeMillis();
    private final AtomicInteger polls = new AtomicInteger();
    /** When the first poll answered its terminal phase (epoch ms), 0 until then: a provider's "updated at". */
    private final AtomicLong endedAtMillis = new AtomicLong();
    private volatile PollObserver observer;

    public SimulatedTask(String id, int queuedPolls, int runningPolls, Ending ending, String failureMessage) {
        this.id = id;
        this.queuedPolls = queuedPolls;
        this.runningPolls = runningPolls;
        this.ending = ending;
        this.failureMessage = failureMessage;
    }

    /** A task whose {@code polls}-th poll (and every later one) answers completed: queued first, then running. */
    public static SimulatedTask completing(String id, int polls) {
        return new SimulatedTask(id, queuedPolls(polls), runningPolls(polls), Ending.COMPLETED, null);
    }

    /** A task whose {@code polls}-th poll answers failed with this message. */
    public static SimulatedTask failing(String id, int polls, String message) {
        return new SimulatedTask(id, queuedPolls(polls), runningPolls(polls), Ending.FAILED, message);
    }

    private static int queuedPolls(int polls) {
        return polls >= 2 ? 1 : 0;
    }

    private static int runningPolls(int polls) {
        return Math.max(0, polls - 1 - queuedPolls(polls));
    }

    public static SimulatedTask neverEnding(String id) {
        return new SimulatedTask(id, 1, 0, Ending.NEVER, null);
    }

    /** Counts one poll and tells the phase the task is in for it. */
    public Phase poll() {
        Phase phase = phaseAt(polls.incrementAndGet());
        if (phase == Phase.COMPLETED || phase == Phase.FAILED) {
            endedAtMillis.compareAndSet(0, System.currentTimeMillis());
        }
        PollObserver watching = observer;
        if (watching != null) {
            watching.polled(this, phase);
        }
        return phase;
    }

    public SimulatedTask observedBy(PollObserver pollObserver) {
        this.observer = pollObserver;
        return this;
    }

    /** The phase at the latest poll, without counting one (for webhooks and batch renderers). */
    public Phase phase() {
        return phaseAt(Math.max(1, polls.get()));
    }

    private Phase phaseAt(int poll) {
        if (ending == Ending.NEVER || poll <= queuedPolls) {
            return Phase.QUEUED;
        }
        if (poll <= queuedPolls + runningPolls) {
            return Phase.RUNNING;
        }
        return ending == Ending.COMPLETED ? Phase.COMPLETED : Phase.FAILED;
    }

    public String id() {
        return id;
    }

    /** When the task reached its terminal phase (its first poll that answered it), or null before. */
    public Instant endedAt() {
        long at = endedAtMillis.get();
        return at == 0 ? null : Instant.ofEpochMilli(at);
    }

    public int polls() {
        return polls.get();
    }

    public String failureMessage() {
        return failureMessage == null ? "simulated failure" : failureMessage;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }
}
