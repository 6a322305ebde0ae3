package dev.taskpoller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * An in-flight task's polling state, kept in memory only: after a restart it is rebuilt from the in-flight topic
 * with its original acceptance time, so deadlines survive and the attempt count starts again.
 *
 * <p>Kept compact, since a million of them must fit in a 1 GB heap: the request's fields are held as they are
 * needed for polling (the task id only where it is not the end of the key, the acceptance time as a number, the
 * origin as a shared prefix and its number), its {@link TaskRequest} is made again when an event needs it, and no
 * provider answer is held between polls. A request's own options take one reference, null for the many without.
 */
public final class TrackedTask {

    private static final int MAX_ORIGIN_DIGITS = 18;

    /** Shared by every task of the same provider (see {@link Providers#canonical}). */
    private final String provider;
    /** Asked for at every dispatch and every reschedule: made once (a UUID's key is its lower-case form). */
    private final String key;
    /** The task id as sent, when it is not the end of {@link #key} (a UUID sent in upper case); else null. */
    private final String taskIdAsSent;
    private final String correlationId;
    private final JsonNode metadata;
    private final long acceptedAtMillis;
    /**
     * Where it came from, in little memory: an origin is a file or a partition followed by a line number or an
     * offset, so the part before the number is shared by every task of that file or partition (interned), and the
     * number is kept as one (-1: none, the prefix is the whole origin).
     */
    private final String originPrefix;
    private final long originNumber;
    private final int partition;
    /** The request's own deadline and poll interval; null when it has neither (most tasks). */
    private final Options options;
    private int attempts;
    private int answers;
    /** Both guarded by the lock of its provider's {@link DueQueue}. */
    private long nextPollAt;
    private boolean queued;

    TrackedTask(TaskRequest request, int partition) {
        this.provider = request.provider();
        this.key = request.key();
        // the key is <provider>/<task id>, the id in lower case when it is a UUID
        this.taskIdAsSent = key.endsWith(request.taskId()) ? null : request.taskId();
        this.correlationId = request.correlationId();
        this.metadata = request.metadata();
        this.acceptedAtMillis = request.acceptedAt().toEpochMilli();
        int numberStart = numberStart(request.origin());
        this.originPrefix = request.origin().substring(0, numberStart).intern();
        this.originNumber = numberStart == request.origin().length() ? -1
                : Long.parseLong(request.origin(), numberStart, request.origin().length(), 10);
        this.partition = partition;
        this.options = request.deadline() == null && request.pollInterval() == null ? null
                : new Options(request.deadline(), request.pollInterval());
    }

    private record Options(Instant deadline, Duration pollInterval) {
    }

    /** The request as accepted (made anew: for events and duplicate checks, not for every poll). */
    public TaskRequest request() {
        return new TaskRequest(provider, taskId(), correlationId, metadata, acceptedAt(), origin(),
                options == null ? null : options.deadline(), options == null ? null : options.pollInterval());
    }

    /** The provider's policy as this task's request adjusts it (its own poll interval). */
    PollPolicy policy(PollPolicy provider) {
        return options == null ? provider : provider.forRequest(options.pollInterval());
    }

    /** When this task is given up: its request's own deadline, else the provider's counted from acceptance. */
    Instant deadline(PollPolicy policy) {
        return policy.deadlineOf(acceptedAt(), options == null ? null : options.deadline());
    }

    public String key() {
        return key;
    }

    public String provider() {
        return provider;
    }

    public String taskId() {
        return taskIdAsSent != null ? taskIdAsSent : key.substring(provider.length() + 1);
    }

    public Instant acceptedAt() {
        return Instant.ofEpochMilli(acceptedAtMillis);
    }

    public String origin() {
        return originNumber < 0 ? originPrefix : originPrefix + originNumber;
    }

    /** Where the origin's closing number starts: its length when it has none that comes back as written ("007"). */
    private static int numberStart(String origin) {
        int start = origin.length();
        while (start > 0 && origin.length() - start < MAX_ORIGIN_DIGITS
                && origin.charAt(start - 1) >= '0' && origin.charAt(start - 1) <= '9') {
            start--;
        }
        boolean leadingZero = origin.length() - start > 1 && origin.charAt(start) == '0';
        return leadingZero ? origin.length() : start;
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
