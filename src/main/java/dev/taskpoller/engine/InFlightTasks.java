package dev.taskpoller.engine;

import dev.taskpoller.observe.TaskpollerMeters;
import dev.taskpoller.text.Excerpt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks this instance is polling, and when each is due. Waiting costs one queue entry, never a thread, so
 * a million tasks can wait at once. It is also the duplicate check of the submit route ({@link #claim}): a task
 * already in flight (or just accepted and not yet read back from the in-flight topic) is a duplicate, unless it is
 * the same input read again. It has no lifecycle of its own, so stopping a route that uses it never empties it.
 */
public class InFlightTasks {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightTasks.class);
    /** How long an accepted key counts as in flight before this instance reads it back (it may not own its partition). */
    private static final long RESERVATION_MILLIS = 60_000;
    /**
     * The most tasks one take hands out: a restart makes every rebuilt task due within one interval, and they go
     * out in slices of this many rather than as one list of them all.
     */
    static final int MAX_TASKS_PER_TAKE = 1_000;
    /** How long a provider's dispatch waits for a task to come due before it looks again (and so how long stopping it takes). */
    static final long IDLE_WAIT_MILLIS = 200;

    /** What the submit route does with a task: write it, ignore it (the same input read again), or reject it. */
    public enum Claim { NEW, SAME_INPUT, DUPLICATE }

    private record Reservation(String origin, long at) {
    }

    private final Providers providers;
    private final Map<String, TrackedTask> tracked = new ConcurrentHashMap<>();
    private final Map<String, Reservation> reserved = new ConcurrentHashMap<>();
    private final Map<String, DueQueue> queues = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** The event decided for each copy of a task being published (identity keys): a cancel and a poll may race. */
    private final Map<TrackedTask, TerminalEvent> decisions = new ConcurrentHashMap<>();
    /** Unknown providers already warned of; bounded, since anyone who can write the in-flight topic names them. */
    private final Set<String> unknownProviders = ConcurrentHashMap.newKeySet();
    private static final int MAX_UNKNOWN_PROVIDERS_WARNED = 100;

    private final TaskpollerMeters meters;
    private final FinishedTasks finished;

    /** For tests: the ends of tasks remembered for 10 minutes, at most 100,000 of them. */
    public InFlightTasks(Providers providers) {
        this(providers, TaskpollerMeters.unregistered(), new FinishedTasks(Duration.ofMinutes(10), 100_000));
    }

    /**
     * @param meters   where the lateness of each dispatch is recorded
     * @param finished the tasks that ended lately, whose input read again is passed over
     */
    public InFlightTasks(Providers providers, TaskpollerMeters meters, FinishedTasks finished) {
        this.providers = providers;
        this.meters = meters;
        this.finished = finished;
    }

    /** The tasks that ended lately here. */
    public FinishedTasks finished() {
        return finished;
    }

    /** Starts polling a task just accepted and read back from the in-flight topic; a task already tracked keeps its state. */
    public void track(TaskRequest request, int partition) {
        track(request, partition, false);
    }

    /**
     * Starts polling a task read from the in-flight topic. A task rebuilt after a restart or a partition move is
     * first polled at a random moment within its interval, so that a hundred thousand rebuilt tasks do not all come
     * due at once; a task just accepted after its provider's initial delay, also when the rebuild of its partition
     * is what reads it back (this instance accepted it in the first moments after a start: it is still reserved).
     */
    public void track(TaskRequest request, int partition, boolean rebuilt) {
        boolean spread = rebuilt && !reserved.containsKey(request.key());
        takeOver(request, partition).ifPresentOrElse(task -> {
            PollPolicy policy = task.policy(providers.settings(task.provider()).policy());
            long first = System.currentTimeMillis() + (spread
                    ? ThreadLocalRandom.current().nextLong(Math.max(1, policy.interval().toMillis()))
                    : policy.initialDelay().toMillis());
            // a request's own deadline may come before that: it is polled once at its deadline, as at the provider's
            pollAgainAt(task, Math.min(first, task.deadline(policy).toEpochMilli()));
        }, () -> LOG.debug("Task {} is not taken over: already in flight here (a repeated submission is merged into it)"
                + " or of a provider this instance does not poll", Excerpt.forLog(request.key())));
    }

    /**
     * Takes over a task whose terminal event was decided (and maybe published) before a crash or a move: it is
     * never polled again. Returns it when it is new here, for its decided event to be published again; empty when
     * this instance already has it (and so is publishing it) or does not know its provider.
     */
    public Optional<TrackedTask> trackDecided(TaskRequest request, int partition) {
        return takeOver(request, partition);
    }

    /** The task, now tracked here; empty when it already was, or its provider is unknown here (warned once). */
    private Optional<TrackedTask> takeOver(TaskRequest request, int partition) {
        reserved.remove(request.key());
        if (!providers.knows(request.provider())) {
            warnOnceOfUnknownProvider(request);
            return Optional.empty();
        }
        TrackedTask task = new TrackedTask(providers.canonical(request), partition);
        return tracked.putIfAbsent(request.key(), task) == null ? Optional.of(task) : Optional.empty();
    }

    /** Whether this copy of a task is no longer tracked here: finished, or its partition moved to another instance. */
    public boolean lost(TrackedTask task) {
        return tracked.get(task.key()) != task;
    }

    /** One line per provider, not one per task: a disabled provider may have thousands of tasks in flight. */
    private void warnOnceOfUnknownProvider(TaskRequest request) {
        String provider = Excerpt.forLog(request.provider());
        if (unknownProviders.size() < MAX_UNKNOWN_PROVIDERS_WARNED && unknownProviders.add(provider)) {
            LOG.warn("In-flight tasks of {} (such as {}) name a provider this instance does not know or has disabled;"
                    + " they stay in flight untouched", provider, Excerpt.forLog(request.key()));
        } else {
            LOG.debug("In-flight task {} names a provider this instance does not know; it stays in flight untouched",
                    Excerpt.forLog(request.key()));
        }
    }

    /**
     * Takes the tasks of a provider as they come due, in status calls of at most its batch size: waits for the
     * first one (at most {@link #IDLE_WAIT_MILLIS}, then empty), and hands it out with every task due by then.
     */
    public List<PollBatch> due(String provider) throws InterruptedException {
        ProviderSettings settings = providers.settings(provider);
        // A batch provider also takes tasks due soon, so that tasks accepted a little apart share calls.
        long window = settings.batchSize() > 1 ? settings.batchWindow().toMillis() : 0;
        List<TrackedTask> due = new ArrayList<>();
        List<TrackedTask> taken = queue(provider).takeDue(window, MAX_TASKS_PER_TAKE, IDLE_WAIT_MILLIS);
        long now = System.currentTimeMillis();
        for (TrackedTask task : taken) {
            if (tracked.get(task.key()) == task && !decisions.containsKey(task)) {
                due.add(task);
                meters.dispatched(provider, now - task.nextPollAt());
            }
        }
        List<PollBatch> batches = new ArrayList<>();
        for (int from = 0; from < due.size(); from += settings.batchSize()) {
            batches.add(new PollBatch(provider, List.copyOf(due.subList(from, Math.min(due.size(), from + settings.batchSize())))));
        }
        return batches;
    }

    /**
     * Puts a polled task back in line to be polled at {@code at} (epoch millis). A task already in line keeps its
     * place: it is never queued twice, and its time never changes while it sits in the queue.
     */
    public void pollAgainAt(TrackedTask task, long at) {
        if (tracked.get(task.key()) != task || decisions.containsKey(task)) {
            return;
        }
        queue(task.provider()).add(task, at);
    }

    /** Puts the tasks a status call left unfinished back in line, each at its time ({@link #pollAgainAt}). */
    public void pollAgain(List<PollResult.NextPoll> polls) {
        polls.forEach(poll -> pollAgainAt(poll.task(), poll.at()));
    }

    /** Stops tracking this task (whose terminal event is published); a newer copy of it, rebuilt meanwhile, stays. */
    public void forget(TrackedTask task) {
        tracked.remove(task.key(), task);
        decisions.remove(task);
    }

    /** Stops tracking the task of this key, whatever copy it is (its tombstone was read). */
    public void forget(String key) {
        TrackedTask task = tracked.remove(key);
        if (task != null) {
            decisions.remove(task);
        }
    }

    /** Drops the tasks of a partition this instance no longer owns: its new owner rebuilds them. */
    public void dropPartition(int partition) {
        tracked.values().removeIf(task -> task.partition() == partition);
        decisions.keySet().removeIf(task -> task.partition() == partition);
        finished.dropPartition(partition);
    }

    /**
     * Makes this event its task's one event here, unless another was decided first (a cancel and the poll that
     * finished the task at the same moment) or the task is no longer tracked here: then true, and the event is
     * dropped. A task decided is never polled again.
     */
    public boolean superseded(TerminalEvent event) {
        return lost(event.task()) || decisions.computeIfAbsent(event.task(), task -> event) != event;
    }

    public TrackedTask get(String key) {
        return tracked.get(key);
    }

    public int size() {
        return tracked.size();
    }

    /** How many tasks each provider has in flight here; providers with none are left out. */
    public Map<String, Long> sizeByProvider() {
        return tracked.values().stream()
                .collect(Collectors.groupingBy(TrackedTask::provider, TreeMap::new, Collectors.counting()));
    }

    private DueQueue queue(String provider) {
        return queues.computeIfAbsent(provider, name -> {
            DueQueue queue = new DueQueue();
            if (stopping) {
                queue.release();
            }
            return queue;
        });
    }

    /**
     * The context is stopping: every provider's dispatch stops waiting for due tasks and takes none, so that its
     * route has no exchange left in flight when the routes are shut down. The tasks stay in line.
     */
    public void stopDispatching() {
        stopping = true;
        queues.values().forEach(DueQueue::release);
    }

    /** The context is starting (again): the dispatch takes due tasks. */
    public void resumeDispatching() {
        stopping = false;
        queues.values().forEach(DueQueue::resume);
    }

    // --- the duplicate check of the submit route ---

    /**
     * Whether this task is new here (then it is reserved until it is read back from the in-flight topic, or its
     * write fails), the same input read again (a file read again after a failure or a crash, a request redelivered:
     * also once its task has ended, for a while, {@link FinishedTasks}), or a duplicate of a task in flight from
     * another input.
     */
    public Claim claim(TaskRequest request) {
        String key = request.key();
        TrackedTask inFlight = tracked.get(key);
        if (inFlight != null) {
            return request.origin().equals(inFlight.origin()) ? Claim.SAME_INPUT : Claim.DUPLICATE;
        }
        if (finished.sameInput(key, request.origin())) {
            return Claim.SAME_INPUT;
        }
        long now = System.currentTimeMillis();
        Reservation mine = new Reservation(request.origin(), now);
        Reservation held = reserved.compute(key, (k, current) ->
                current == null || now - current.at() > RESERVATION_MILLIS ? mine : current);
        if (held == mine) {
            return tracked.containsKey(key) ? claimReadBackMeanwhile(request) : Claim.NEW;
        }
        return request.origin().equals(held.origin()) ? Claim.SAME_INPUT : Claim.DUPLICATE;
    }

    /** The task was read back between the two looks: it is in flight, so it is no new task. */
    private Claim claimReadBackMeanwhile(TaskRequest request) {
        reserved.remove(request.key());
        return claim(request);
    }

    /** Gives up the reservation of a task whose write failed: the same input read again must be written again. */
    public void unclaim(TaskRequest request) {
        reserved.computeIfPresent(request.key(), (key, held) -> held.origin().equals(request.origin()) ? null : held);
    }
}
