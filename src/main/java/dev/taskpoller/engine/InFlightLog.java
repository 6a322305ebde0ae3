package dev.taskpoller.engine;

import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.provider.Json;
import dev.taskpoller.text.Excerpt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable half of the in-flight set: a compacted topic keyed {@code <provider>/<taskId>}. An accepted task is
 * written here before its input is acknowledged (submit.yaml); its end (an ended record, {@link FinishedTasks}) is
 * written only after its terminal event (publish.yaml), in a Kafka transaction ({@link EventTransactions}), and its
 * tombstone later. Each instance follows
 * the partitions its consumer group assigns it, rebuilding their tasks from the beginning on every assignment, so a
 * restarted or second instance takes over what another left unfinished.
 *
 * <p>The follower reads committed records only (a tombstone of an aborted transaction never ended a task), and its
 * group membership is what fences a zombie: every publishing transaction carries the follower's
 * {@link #fence() group metadata} and offsets for the partitions it ends tasks of, so the group coordinator refuses
 * the commit of an instance whose membership has moved on (KIP-447, as Kafka Streams' exactly_once_v2). A new owner
 * of a partition first waits until no transaction of a former owner is open on it (an offset fetch that requires
 * stable offsets), then rebuilds it.
 *
 * <p>Its {@link #open()} and {@link #close()} belong to the context (see TaskpollerRoutes), not to the routes that
 * use it: stopping one route must not stop the table every route relies on. The follower is a Kafka client of its own
 * because camel-kafka gives a route no callback when partitions are revoked or assigned, and each assignment must be
 * rebuilt from the beginning of the compacted topic, each revocation dropped.
 */
public class InFlightLog {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightLog.class);
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(5);
    /**
     * How long a new owner waits for a former owner's open transaction: past the transaction timeout the broker aborts
     * it; beyond this the follower starts again (and waits again).
     */
    private static final Duration STABLE_OFFSETS_WAIT = Duration.ofSeconds(90);

    private final String brokers;
    private final String topic;
    private final String groupId;
    private final Duration sessionTimeout;
    private final InFlightTasks tasks;
    private final RecordLimit limit;
    private final Optional<String> staticMember;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread follower;
    private volatile boolean running;
    /** Partitions being rebuilt: their tasks are held back until the partition is read to its end. */
    private final Map<TopicPartition, Long> rebuildingUpTo = new HashMap<>();
    private final Map<TopicPartition, Map<String, InFlightValue>> rebuilding = new HashMap<>();
    /** The control records of the partitions being rebuilt, acted on once their tasks are rebuilt. */
    private final Map<TopicPartition, Map<String, InFlightControl>> rebuildingControls = new HashMap<>();
    /** The topic's partition count, as the follower found it: where a task's control record goes. */
    private volatile int partitions;
    private volatile TaskControls controls;
    private volatile Set<Integer> owned = Set.of();
    /** For health checks: whether the follower has its partitions (a first assignment), and those still rebuilding. */
    private volatile boolean assigned;
    /** The follower's membership and positions, as of its last poll: what a publishing transaction is fenced by. */
    private volatile ConsumerGroupMetadata membership;
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private volatile Set<Integer> stillRebuilding = Set.of();
    /** Where a rebuilt task whose event was already decided goes: to be published as it is, not polled again. */
    private volatile Consumer<TerminalEvent> republisher = event -> { };

    /** @param staticMember the follower's {@code group.instance.id}, when it is the only member there can be */
    public InFlightLog(String brokers, String topic, String groupId, Duration sessionTimeout, InFlightTasks tasks,
                       RecordLimit limit, Optional<String> staticMember) {
        this.staticMember = staticMember;
        this.brokers = brokers;
        this.limit = limit;
        this.topic = topic;
        this.groupId = groupId;
        this.sessionTimeout = sessionTimeout;
        this.tasks = tasks;
    }

    /** The in-flight partitions this instance polls the tasks of (for health and tests). */
    public Set<Integer> ownedPartitions() {
        return owned;
    }

    /** Whether the follower has been given its partitions (maybe none) and rebuilt every one of them. */
    public boolean rebuilt() {
        return assigned && stillRebuilding.isEmpty();
    }

    /** The in-flight partitions still being read to their end before their tasks are polled. */
    public Set<Integer> rebuildingPartitions() {
        return stillRebuilding;
    }

    /** Whether the thread that follows the in-flight topic is running. */
    public boolean following() {
        Thread current = follower;
        return running && current != null && current.isAlive();
    }

    /**
     * Stages the in-flight record of an accepted task in its slice of input; the slice's records are written
     * together before the input is acknowledged: by direct:taskpoller-await-writes (acks=all), or for a poll of the
     * requests topic in one transaction with its offsets ({@link IntakeTransactions}). A task whose record can never be
     * written throws Kafka's {@link RecordTooLargeException} at once, before anything is staged.
     */
    public void stage(@Body TaskRequest request, @ExchangeProperty(InFlightWrites.PROPERTY) InFlightWrites slice,
                      Exchange exchange) {
        if (slice == null) {
            throw new IllegalStateException("a task is accepted within a slice of input: set the exchange property "
                    + InFlightWrites.PROPERTY + " (taskpollerInFlightLog.newSlice) and end the slice with"
                    + " direct:taskpoller-await-writes");
        }
        String value = Json.write(request);
        limit.check(topic, request.key(), value);
        Exchange record = new DefaultExchange(exchange.getContext());
        record.getIn().setHeader(KafkaConstants.KEY, request.key());
        record.getIn().setBody(value);
        slice.add(request, record);
    }

    /**
     * After a slice's writes failed, what became of each. camel-kafka completes the {@code to:} once every record's
     * callback has come, marks each record that failed on its own exchange, and the slice's exchange with the last
     * of those failures: then a record without a failure is written. A task whose record the broker refused as too
     * large (its limit is lower than ours) is as permanent as ours, and comes back as a rejection. When the failure is
     * none of the records' own (the send itself failed, some records may not have been sent), none counts as written.
     * Every task not written gives its claim back, so that the same input read again is written again; when any
     * failed other than as too large, this throws and the slice is read again (what was written is then passed over
     * as the same input).
     */
    public List<Rejection> refused(@ExchangeProperty(InFlightWrites.PROPERTY) InFlightWrites slice,
                                   @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        List<InFlightWrites.Write> writes = slice.all();
        boolean recordsOwnFailure = writes.stream().anyMatch(write -> write.record().getException() == failure);
        List<Rejection> refused = new ArrayList<>();
        int notWritten = 0;
        for (InFlightWrites.Write write : writes) {
            Exception cause = write.record().getException();
            if (recordsOwnFailure && cause == null) {
                continue;
            }
            tasks.unclaim(write.request());
            if (cause instanceof RecordTooLargeException tooLarge) {
                refused.add(Rejection.cannotBeRecorded(write.request(), tooLarge));
            } else {
                notWritten++;
            }
        }
        if (notWritten > 0) {
            throw new IllegalStateException("cannot write " + notWritten + " task(s) to " + topic + ": "
                    + failure.getMessage(), failure);
        }
        return refused;
    }

    /** A new, empty slice of in-flight writes ({@link InFlightWrites#PROPERTY}). */
    public InFlightWrites newSlice() {
        return new InFlightWrites();
    }

    /** What acts on the control records read from this instance's partitions. */
    public void controlWith(TaskControls controls) {
        this.controls = controls;
    }

    /** A cancel of this task, for its owner to act on (control.yaml). */
    public InFlightControl cancel(@Body TaskRequest request) {
        return new InFlightControl(InFlightControl.CANCEL, request, null);
    }

    /** The key of the control record of the task of this key. */
    public String controlKey(String taskKey) {
        return InFlightControl.keyOf(taskKey);
    }

    /**
     * The partition of a task's key, as Kafka's producer picks it: a task's control record goes there, under a key of
     * its own, so that the instance that polls the task reads it.
     */
    public int partitionOf(String taskKey) {
        int count = partitions;
        if (count == 0) {
            throw new IllegalStateException("the in-flight follower has not read the partitions of " + topic + " yet");
        }
        return Utils.toPositive(Utils.murmur2(taskKey.getBytes(StandardCharsets.UTF_8))) % count;
    }

    /** Hands each rebuilt task whose event was decided before a crash or a move to {@code republisher}. */
    public void republishWith(Consumer<TerminalEvent> republisher) {
        this.republisher = republisher;
    }

    /**
     * What a publishing transaction that ends tasks of these in-flight partitions is fenced by: the follower's group
     * membership as of its last poll, and an offset for each partition (its position: the follower never reads its
     * committed offsets, every assignment rebuilds from the beginning). Taken before the transaction's tasks are
     * checked as still owned, so that a partition lost after it makes the commit fail rather than pass.
     */
    public Fence fence() {
        ConsumerGroupMetadata current = membership;
        if (current == null) {
            throw new IllegalStateException("the in-flight follower has not joined its group " + groupId + " yet");
        }
        if (current.generationId() < 0 || current.memberId().isEmpty()) {
            // the group coordinator checks no membership for a transactional offset commit without one: a commit
            // fenced by it would pass even for partitions another instance owns now
            throw new IllegalStateException("the in-flight follower is rejoining its group " + groupId
                    + " (it lost its membership); publishing waits for it");
        }
        return new Fence(topic, current, Map.copyOf(positions));
    }

    /** A group membership and the follower's positions, for {@code sendOffsetsToTransaction}. */
    public record Fence(String topic, ConsumerGroupMetadata membership, Map<Integer, Long> positions) {

        public Map<TopicPartition, OffsetAndMetadata> offsets(Set<Integer> partitions) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (int partition : partitions) {
                offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(positions.getOrDefault(partition, 0L)));
            }
            return offsets;
        }
    }

    /** Stops tracking a task whose rejection and end were committed in its event's place (publish.yaml). */
    public void forget(TerminalEvent event) {
        tasks.forget(event.task());
    }

    public synchronized void open() {
        running = true;
        follower = new Thread(this::follow, "taskpoller-inflight-follower");
        follower.setDaemon(true);
        follower.start();
    }

    public synchronized void close() throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (follower != null) {
            follower.join(15_000);
        }
    }

    /** Follows the topic until closed; a consumer that fails is replaced after a pause, never left dead. */
    private void follow() {
        while (running) {
            try (KafkaConsumer<String, String> current = newConsumer()) {
                consumer = current;
                partitions = current.partitionsFor(topic).size();
                current.subscribe(Set.of(topic), new Rebalance(current));
                while (running) {
                    for (ConsumerRecord<String, String> record : current.poll(Duration.ofMillis(200))) {
                        apply(record);
                        positions.put(record.partition(), record.offset() + 1);
                    }
                    // after the poll: a membership that moved on has dropped its lost partitions' tasks by then
                    membership = current.groupMetadata();
                    finishRebuilds(current);
                }
            } catch (WakeupException stopping) {
                // close() woke the consumer up
            } catch (RuntimeException e) {
                LOG.error("The in-flight follower failed; it starts again in {} and rebuilds its partitions", RESTART_BACKOFF, e);
                pause();
            } finally {
                rebuildingUpTo.clear();
                rebuilding.clear();
                rebuildingControls.clear();
                assigned = false;
                membership = null;
                positions.clear();
                noteRebuilding();
            }
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Positions are never committed: every assignment rebuilds from the beginning of the compacted topic.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // a tombstone (or anything else) of a publishing transaction that was aborted never happened
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // how long the partitions of a crashed instance wait before another instance (or its restart) takes them
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
        // survivors learn of a rebalance at their next heartbeat: Kafka's 3 s default would add up to 3 s to a takeover
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(1, sessionTimeout.toMillis() / 10)));
        // an instance joining or leaving moves only the partitions that change owner, not all of them
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "taskpoller-inflight-follower");
        staticMember.ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private void apply(ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (InFlightControl.isControlKey(record.key())) {
            applyControl(record, partition);
            return;
        }
        Map<String, InFlightValue> pending = rebuilding.get(partition);
        FinishedTasks finished = tasks.finished();
        if (record.value() == null) {
            finished.forget(record.key());
            ended(record.key(), pending);
            return;
        }
        if (pending == null && (record.headers().lastHeader(InFlightValue.PUBLISHED_HEADER) != null
                || record.headers().lastHeader(InFlightValue.ENDED_HEADER) != null)) {
            // a published or ended record read live is this instance's own: its commit did what reading it would
            // (EventTransactions), nothing to parse
            return;
        }
        InFlightValue value = read(record);
        if (value == null) {
            return;
        }
        if (value.ended() != null) {
            // its input read again is passed over while the end is remembered, then the end's tombstone follows
            finished.ended(record.key(), value.request().origin(), record.partition(), value.ended());
            ended(record.key(), pending);
            return;
        }
        if (value.decided() == null && finished.readAgain(record.key(), value.request())) {
            // its input read again after it ended (by another instance, or before this one's rebuild had read the
            // end): not polled again, and its end is written again
            return;
        }
        // an ended task submitted again from another input is a new request
        finished.forget(record.key());
        if (pending != null && readAgainAfterItsEvent(pending.get(record.key()), value)) {
            // its input read again (before this rebuild had read the task) after its event was published: that event
            // stays the task's, its outbox line and end follow the rebuild
            return;
        }
        if (pending != null) {
            pending.put(record.key(), value);
        } else if (value.decided() == null) {
            tasks.track(value.request(), record.partition());
        }
    }

    private static boolean readAgainAfterItsEvent(InFlightValue before, InFlightValue value) {
        return before != null && before.decided() != null && value.decided() == null
                && value.request().origin() != null && value.request().origin().equals(before.request().origin());
    }

    /** The task of this key ended (its tombstone or its ended record was read): it is not in flight. */
    private void ended(String key, Map<String, InFlightValue> pending) {
        if (pending != null) {
            pending.remove(key);
        } else {
            tasks.forget(key);
        }
    }

    /** A control record read live is acted on at once; one read while its partition is rebuilt, once its tasks are. */
    private void applyControl(ConsumerRecord<String, String> record, TopicPartition partition) {
        Map<String, InFlightControl> pending = rebuildingControls.get(partition);
        if (record.value() == null) {
            if (pending != null) {
                pending.remove(record.key());
            }
            return;
        }
        InFlightControl control;
        try {
            control = InFlightControl.read(record.value());
        } catch (Exception e) {
            LOG.error("Unreadable in-flight control record {} at {}-{}@{} is ignored: {}", Excerpt.forLog(record.key()),
                    record.topic(), record.partition(), record.offset(), Excerpt.forLog(e.getMessage()));
            return;
        }
        if (pending != null) {
            pending.put(record.key(), control);
        } else {
            controls.apply(control);
        }
    }

    /**
     * The control records of a partition just rebuilt, once its tasks are: applied to a task in flight; a task whose
     * event was decided before keeps that event (its control record goes once it is published again).
     */
    private void applyRebuiltControls(Map<String, InFlightValue> found, Map<String, InFlightControl> pending) {
        for (InFlightControl control : pending.values()) {
            InFlightValue value = found.get(control.taskKey());
            if (value == null || value.decided() == null) {
                controls.apply(control);
            } else {
                controls.applyToDecided(control, TerminalEvent.reasonIn(value.decided().event()));
            }
        }
    }

    /** The task of a record, or null (logged) when it cannot be read: an unreadable value is no tombstone. */
    private InFlightValue read(ConsumerRecord<String, String> record) {
        try {
            InFlightValue value = InFlightValue.read(record.value());
            TaskRequest request = value.request();
            if (request.provider() == null || request.taskId() == null) {
                throw new IllegalArgumentException("no provider or task id");
            }
            return request.acceptedAt() != null ? value : new InFlightValue(new TaskRequest(request.provider(),
                    request.taskId(), request.correlationId(), request.metadata(), Instant.ofEpochMilli(record.timestamp()),
                    request.origin()), value.decided());
        } catch (Exception e) {
            LOG.error("Unreadable in-flight record {} at {}-{}@{} is ignored: {}", Excerpt.forLog(record.key()), record.topic(),
                    record.partition(), record.offset(), Excerpt.forLog(e.getMessage()));
            return null;
        }
    }

    private void finishRebuilds(KafkaConsumer<String, String> current) {
        for (TopicPartition partition : new HashSet<>(rebuildingUpTo.keySet())) {
            if (current.position(partition) >= rebuildingUpTo.get(partition)) {
                Map<String, InFlightValue> found = rebuilding.remove(partition);
                Map<String, InFlightControl> controls = rebuildingControls.remove(partition);
                rebuildingUpTo.remove(partition);
                int decided = 0;
                for (InFlightValue value : found.values()) {
                    if (value.decided() == null) {
                        tasks.track(value.request(), partition.partition(), true);
                    } else if (republish(value, partition.partition())) {
                        decided++;
                    }
                }
                applyRebuiltControls(found, controls);
                LOG.info("Rebuilt {} in-flight task(s) of partition {}, {} of them with an event published (or decided)"
                        + " before, whose outbox line and end are written now", found.size(), partition, decided);
                noteRebuilding();
            }
        }
    }

    private boolean republish(InFlightValue value, int partition) {
        return tasks.trackDecided(value.request(), partition)
                .map(task -> {
                    republisher.accept(new TerminalEvent(task.key(), value.request().provider(), value.decided().outcome(),
                            value.decided().event(), task, value.decided().published()));
                    return true;
                })
                .orElse(false);
    }

    private void pause() {
        try {
            Thread.sleep(RESTART_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, String> consumer;

        Rebalance(KafkaConsumer<String, String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            if (partitions.isEmpty()) {
                return;
            }
            // a former owner's publishing transaction still open on these partitions (it passed its fence just before
            // it lost them) is committed or aborted first: its tombstones are then read by the rebuild, or never were
            consumer.committed(Set.copyOf(partitions), STABLE_OFFSETS_WAIT);
            consumer.seekToBeginning(partitions);
            // read_committed: the end of what is committed (the last stable offset)
            consumer.endOffsets(partitions).forEach((partition, end) -> {
                rebuildingUpTo.put(partition, end);
                rebuilding.put(partition, new LinkedHashMap<>());
                rebuildingControls.put(partition, new LinkedHashMap<>());
            });
            owned = changed(partitions, true);
            noteRebuilding();
            LOG.info("In-flight partitions assigned: {}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                positions.remove(partition.partition());
                rebuildingUpTo.remove(partition);
                rebuilding.remove(partition);
                rebuildingControls.remove(partition);
                tasks.dropPartition(partition.partition());
            }
            owned = changed(partitions, false);
            noteRebuilding();
            if (!partitions.isEmpty()) {
                LOG.info("In-flight partitions revoked: {}", partitions);
            }
        }
    }

    private void noteRebuilding() {
        stillRebuilding = rebuildingUpTo.keySet().stream().map(TopicPartition::partition).collect(Collectors.toUnmodifiableSet());
    }

    private Set<Integer> changed(Collection<TopicPartition> partitions, boolean assigned) {
        Set<Integer> now = new HashSet<>(owned);
        partitions.forEach(partition -> {
            if (assigned) {
                now.add(partition.partition());
            } else {
                now.remove(partition.partition());
            }
        });
        return Set.copyOf(now);
    }
}
