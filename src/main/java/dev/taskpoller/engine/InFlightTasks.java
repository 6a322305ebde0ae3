package dev.taskpoller.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks this instance is polling, and when each is due. Waiting costs one queue entry, never a thread, so
 * thousands of tasks can wait at once. It is also the idempotent repository of the submit route: a task already
 * in flight (or just accepted and not yet read back from the in-flight topic) is a duplicate. It has no lifecycle
 * of its own (start and stop do nothing), so stopping a route that uses it never empties it.
 */
public class InFlightTasks implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightTasks.class);
    /** How long an accepted key counts as in flight before this instance reads it back (it may not own its partition). */
    private static final long RESERVATION_MILLIS = 60_000;

    private final Providers providers;
    private final Map<String, TrackedTask> tracked = new ConcurrentHashMap<>();
    private final Map<String, Long> reserved = new ConcurrentHashMap<>();
    private final Map<String, PriorityQueue<TrackedTask>> queues = new ConcurrentHashMap<>();
    /** Unknown providers already warned of; bounded, since anyone who can write the in-flight topic names them. */
    private final Set<String> unknownProviders = ConcurrentHashMap.newKeySet();
    private static final int MAX_UNKNOWN_PROVIDERS_WARNED = 100;

    public InFlightTasks(Providers providers) {
        this.providers = providers;
    }

    /** Starts polling an accepted task read from the in-flight topic; a task already tracked keeps its state. */
    public void track(TaskRequest request, int partition) {
        reserved.remove(request.key());
        if (!providers.knows(request.provider())) {
            warnOnceOfUnknownProvider(request);
            return;
        }
        long firstPoll = System.currentTimeMillis() + providers.settings(request.provider()).policy().initialDelay().toMillis();
        TrackedTask task = new TrackedTask(request, partition);
        if (tracked.putIfAbsent(request.key(), task) == null) {
            pollAgainAt(task, firstPoll);
        } else {
            LOG.debug("Task {} is already in flight; the repeated submission is merged into it", Excerpt.forLog(request.key()));
        }
    }

    /**
     * Takes over a task whose terminal event was decided (and maybe published) before a crash or a move: it is
     * never polled again. Returns it when it is new here, for its decided event to be published again; empty when
     * this instance already has it (and so is publishing it) or does not know its provider.
     */
    public Optional<TrackedTask> trackDecided(TaskRequest request, int partition) {
        reserved.remove(request.key());
        if (!providers.knows(request.provider())) {
            warnOnceOfUnknownProvider(request);
            return Optional.empty();
        }
        TrackedTask task = new TrackedTask(request, partition);
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

    /** Takes the tasks of a provider that are due now, in status calls of at most its batch size. */
    public List<PollBatch> due(String provider) {
        ProviderSettings settings = providers.settings(provider);
        long now = System.currentTimeMillis();
        // A batch provider also takes tasks due soon, so that tasks accepted a little apart share calls.
        long horizon = settings.batchSize() > 1 ? now + settings.batchWindow().toMillis() : now;
        List<TrackedTask> due = new ArrayList<>();
        PriorityQueue<TrackedTask> queue = queue(provider);
        synchronized (queue) {
            while (!queue.isEmpty() && queue.peek().nextPollAt() <= horizon) {
                TrackedTask task = queue.poll();
                task.queued(false);
                if (tracked.get(task.key()) == task) {
                    due.add(task);
                }
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
        if (tracked.get(task.key()) != task) {
            return;
        }
        PriorityQueue<TrackedTask> queue = queue(task.request().provider());
        synchronized (queue) {
            if (!task.queued()) {
                task.nextPollAt(at);
                task.queued(true);
                queue.add(task);
            }
        }
    }

    /** Stops tracking this task (whose terminal event is published); a newer copy of it, rebuilt meanwhile, stays. */
    public void forget(TrackedTask task) {
        tracked.remove(task.key(), task);
    }

    /** Stops tracking the task of this key, whatever copy it is (its tombstone was read). */
    public void forget(String key) {
        tracked.remove(key);
    }

    /** Drops the tasks of a partition this instance no longer owns: its new owner rebuilds them. */
    public void dropPartition(int partition) {
        tracked.values().removeIf(task -> task.partition() == partition);
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
                .collect(Collectors.groupingBy(task -> task.request().provider(), TreeMap::new, Collectors.counting()));
    }

    private PriorityQueue<TrackedTask> queue(String provider) {
        return queues.computeIfAbsent(provider, name -> new PriorityQueue<>(Comparator.comparingLong(TrackedTask::nextPollAt)));
    }

    // --- IdempotentRepository: the duplicate check of the submit route ---

    @Override
    public boolean add(String key) {
        if (contains(key)) {
            return false;
        }
        return reserved.putIfAbsent(key, System.currentTimeMillis()) == null;
    }

    @Override
    public boolean contains(String key) {
        if (tracked.containsKey(key)) {
            return true;
        }
        Long at = reserved.get(key);
        if (at != null && System.currentTimeMillis() - at > RESERVATION_MILLIS) {
            reserved.remove(key, at);
            return false;
        }
        return at != null;
    }

    @Override
    public boolean remove(String key) {
        return reserved.remove(key) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        reserved.clear();
    }

    @Override
    public void start() {
        // the context does not own this table: the in-flight log fills it and its own service stops that
    }

    @Override
    public void stop() {
        // stopping the submit route must not empty the table the polling loops read
    }
}
