package dev.taskpoller.engine;

/**
 * An in-flight task's polling state, kept in memory only: after a restart it is rebuilt from the in-flight topic
 * with its original acceptance time, so deadlines survive and the attempt count starts again. Kept small (a
 * million of them fit in a 1 GB heap): no provider answer is held between polls, the event takes the last one.
 */
public final class TrackedTask {

    private final TaskRequest request;
    /** Asked for at every tick and every reschedule: made once (a UUID's key is its lower-case form). */
    private final String key;
    private final int partition;
    private int attempts;
    private int answers;
    /** Both guarded by the lock of its provider's {@link DueQueue}. */
    private long nextPollAt;
    private boolean queued;

    TrackedTask(TaskRequest request, int partition) {
        this.request = request;
        this.key = request.key();
        this.partition = partition;
    }

    public TaskRequest request() {
        return request;
    }

    public String key() {
        return key;
    }

    public String taskId() {
        return request.taskId();
    }

    int partition() {
        return partition;
    }

    public synchronized int attempts() {
        return attempts;
    }

    synchronized int countAttempt() {
        return ++attempts;
    }

    /** Counts a poll the provider answered about this task; calls the provider failed are no answers. */
    synchronized int countAnswer() {
        return ++answers;
    }

    long nextPollAt() {
        return nextPollAt;
    }

    void nextPollAt(long at) {
        this.nextPollAt = at;
    }

    /** Whether the task sits in its provider's queue. */
    boolean queued() {
        return queued;
    }

    void queued(boolean queued) {
        this.queued = queued;
    }
}
