package dev.taskpoller.engine;

import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.provider.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable half of the in-flight set: a compacted topic keyed {@code <provider>/<taskId>}. An accepted task is
 * written here before its input is acknowledged; its tombstone is written only after its terminal event. Each
 * instance follows the partitions its consumer group assigns it, rebuilding their tasks from the beginning on every
 * assignment, so a restarted or second instance takes over what another left unfinished.
 *
 * <p>Its {@link #open()} and {@link #close()} belong to the context (see TaskpollerRoutes), not to the routes that
 * call {@link #accept} and {@link #release}: stopping one route must not stop the table every route relies on.
 */
public class InFlightLog {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightLog.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(5);

    private final String brokers;
    private final String topic;
    private final String groupId;
    private final Duration sessionTimeout;
    private final InFlightTasks tasks;
    private final RecordLimit limit;
    private final Optional<String> staticMember;
    private KafkaProducer<String, String> producer;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread follower;
    private volatile boolean running;
    /** Partitions being rebuilt: their tasks are held back until the partition is read to its end. */
    private final Map<TopicPartition, Long> rebuildingUpTo = new HashMap<>();
    private final Map<TopicPartition, Map<String, InFlightValue>> rebuilding = new HashMap<>();
    private volatile Set<Integer> owned = Set.of();
    /** For health checks: whether the follower has its partitions (a first assignment), and those still rebuilding. */
    private volatile boolean assigned;
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
     * Writes an accepted task durably (acks=all). Within a slice of input ({@link InFlightWrites}) it returns at once,
     * and the slice waits for all of its writes at its end ({@link #awaitWrites}); alone, it returns once the broker
     * has it. A task whose record can never be written throws Kafka's {@link RecordTooLargeException} at once,
     * before anything is sent.
     */
    public void accept(@Body TaskRequest request, @ExchangeProperty(InFlightWrites.PROPERTY) InFlightWrites slice) {
        String value = Json.write(request);
        limit.check(topic, request.key(), value);
        Future<RecordMetadata> ack;
        try {
            // a write that fails gives the task's claim back: the same input read again must be written again
            ack = producer.send(new ProducerRecord<>(topic, request.key(), value), (written, failure) -> {
                if (failure != null) {
                    tasks.unclaim(request);
                }
            });
        } catch (RuntimeException e) {
            tasks.unclaim(request);
            throw e;
        }
        if (slice == null) {
            await(request.key(), ack);
        } else {
            slice.add(request, ack);
        }
    }

    /**
     * Waits until every write of the slice is acknowledged, so that its input can be. A task the broker refuses as
     * too large (its limit is lower than ours) is as permanent as ours: it comes back as a rejection. Any other
     * failure throws, and the slice is read again (what was written is then passed over as the same input).
     */
    public List<Rejection> awaitWrites(@ExchangeProperty(InFlightWrites.PROPERTY) InFlightWrites slice) {
        List<Rejection> refused = new ArrayList<>();
        RuntimeException failed = null;
        for (InFlightWrites.Write write : slice.taken()) {
            try {
                await(write.request().key(), write.ack());
            } catch (RecordTooLargeException tooLarge) {
                refused.add(Rejection.cannotBeRecorded(write.request(), tooLarge));
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
        return refused;
    }

    /** A new, empty slice of in-flight writes ({@link InFlightWrites#PROPERTY}). */
    public InFlightWrites newSlice() {
        return new InFlightWrites();
    }

    /** Hands each rebuilt task whose event was decided before a crash or a move to {@code republisher}. */
    public void republishWith(Consumer<TerminalEvent> republisher) {
        this.republisher = republisher;
    }

    /**
     * Records a task's terminal event (acks=all) before it is published: from then on a restart, here or on another
     * instance, publishes this very event instead of polling the provider again.
     */
    public void decide(TerminalEvent event) {
        send(event.key(), InFlightValue.decidedRecord(event.task().request(), event.outcome(), event.json()));
    }

    /** Writes the tombstone of a task whose terminal event is published, and stops tracking that copy of it. */
    public void release(TerminalEvent event) {
        send(event.key(), null);
        tasks.forget(event.task());
    }

    private void send(String key, String value) {
        await(key, producer.send(new ProducerRecord<>(topic, key, value)));
    }

    private void await(String key, Future<RecordMetadata> ack) {
        try {
            ack.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + key + " to " + topic, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                // the broker's own limit is lower than ours: as permanent as ours
                throw tooLarge;
            }
            throw new IllegalStateException("cannot write " + key + " to " + topic + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot write " + key + " to " + topic + ": " + e.getMessage(), e);
        }
    }

    public synchronized void open() {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // accepted tasks are sent without waiting for each (a slice of input at a time): a short linger and larger
        // batches let Kafka send them together; a write alone (a tombstone) waits for its own acknowledgement anyway
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(limit.maxBytes()));
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "taskpoller-inflight-writer");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
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
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Follows the topic until closed; a consumer that fails is replaced after a pause, never left dead. */
    private void follow() {
        while (running) {
            try (KafkaConsumer<String, String> current = newConsumer()) {
                consumer = current;
                current.subscribe(Set.of(topic), new Rebalance(current));
                while (running) {
                    for (ConsumerRecord<String, String> record : current.poll(Duration.ofMillis(200))) {
                        apply(record);
                    }
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
                assigned = false;
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
        Map<String, InFlightValue> pending = rebuilding.get(partition);
        if (record.value() == null) {
            if (pending != null) {
                pending.remove(record.key());
            } else {
                tasks.forget(record.key());
            }
            return;
        }
        InFlightValue value = read(record);
        if (value == null) {
            return;
        }
        if (pending != null) {
            pending.put(record.key(), value);
        } else if (value.decided() == null) {
            tasks.track(value.request(), record.partition());
        }
        // a decided record read live is this instance's own, written just before it publishes that event
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
                rebuildingUpTo.remove(partition);
                int decided = 0;
                for (InFlightValue value : found.values()) {
                    if (value.decided() == null) {
                        tasks.track(value.request(), partition.partition(), true);
                    } else if (republish(value, partition.partition())) {
                        decided++;
                    }
                }
                LOG.info("Rebuilt {} in-flight task(s) of partition {}, {} of them with an event decided before and"
                        + " published again as it was", found.size(), partition, decided);
                noteRebuilding();
            }
        }
    }

    private boolean republish(InFlightValue value, int partition) {
        return tasks.trackDecided(value.request(), partition)
                .map(task -> {
                    republisher.accept(new TerminalEvent(task.key(), value.request().provider(), value.decided().outcome(),
                            value.decided().event(), task));
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
            consumer.seekToBeginning(partitions);
            consumer.endOffsets(partitions).forEach((partition, end) -> {
                rebuildingUpTo.put(partition, end);
                rebuilding.put(partition, new LinkedHashMap<>());
            });
            owned = changed(partitions, true);
            noteRebuilding();
            LOG.info("In-flight partitions assigned: {}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                rebuildingUpTo.remove(partition);
                rebuilding.remove(partition);
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
