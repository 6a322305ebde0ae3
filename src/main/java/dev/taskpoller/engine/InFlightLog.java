package dev.taskpoller.engine;

import dev.taskpoller.provider.Json;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
 */
public class InFlightLog extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightLog.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String brokers;
    private final String topic;
    private final String groupId;
    private final Duration sessionTimeout;
    private final InFlightTasks tasks;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private Thread follower;
    private volatile boolean running;
    /** Partitions being rebuilt: their tasks are held back until the partition is read to its end. */
    private final Map<TopicPartition, Long> rebuildingUpTo = new HashMap<>();
    private final Map<TopicPartition, Map<String, TaskRequest>> rebuilding = new HashMap<>();
    private volatile Set<Integer> owned = Set.of();

    public InFlightLog(String brokers, String topic, String groupId, Duration sessionTimeout, InFlightTasks tasks) {
        this.brokers = brokers;
        this.topic = topic;
        this.groupId = groupId;
        this.sessionTimeout = sessionTimeout;
        this.tasks = tasks;
    }

    /** The in-flight partitions this instance polls the tasks of (for health and tests). */
    public Set<Integer> ownedPartitions() {
        return owned;
    }

    /** Writes an accepted task durably (acks=all) and returns once the broker has it. */
    public void accept(TaskRequest request) {
        send(request.key(), Json.write(request));
    }

    /** Writes the tombstone of a task whose terminal event is published, and stops tracking it. */
    public void release(String key) {
        send(key, null);
        tasks.forget(key);
    }

    private void send(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + key + " to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write " + key + " to " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void doStart() {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "taskpoller-inflight-writer");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Positions are never committed: every assignment rebuilds from the beginning of the compacted topic.
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // how long the partitions of a crashed instance wait before another instance (or its restart) takes them
        consumerProps.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "taskpoller-inflight-follower");
        consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());

        running = true;
        follower = new Thread(this::follow, "taskpoller-inflight-follower");
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (follower != null) {
            follower.join(10_000);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void follow() {
        try {
            consumer.subscribe(Set.of(topic), new Rebalance());
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                finishRebuilds();
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer up
        } catch (RuntimeException e) {
            LOG.error("The in-flight follower stopped: tasks of its partitions are no longer polled here", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Map<String, TaskRequest> pending = rebuilding.get(partition);
        TaskRequest request = record.value() == null ? null : read(record);
        if (pending != null) {
            if (request == null) {
                pending.remove(record.key());
            } else {
                pending.put(record.key(), request);
            }
        } else if (request == null) {
            tasks.forget(record.key());
        } else {
            tasks.track(request, record.partition());
        }
    }

    private TaskRequest read(ConsumerRecord<String, String> record) {
        try {
            return Json.MAPPER.readValue(record.value(), TaskRequest.class);
        } catch (Exception e) {
            LOG.error("Unreadable in-flight record {} at {}-{}@{}: skipped", record.key(), record.topic(), record.partition(), record.offset(), e);
            return null;
        }
    }

    private void finishRebuilds() {
        for (TopicPartition partition : new HashSet<>(rebuildingUpTo.keySet())) {
            if (consumer.position(partition) >= rebuildingUpTo.get(partition)) {
                Map<String, TaskRequest> found = rebuilding.remove(partition);
                rebuildingUpTo.remove(partition);
                found.values().forEach(request -> tasks.track(request, partition.partition()));
                LOG.info("Rebuilt {} in-flight task(s) of partition {}", found.size(), partition);
            }
        }
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

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            consumer.seekToBeginning(partitions);
            consumer.endOffsets(partitions).forEach((partition, end) -> {
                rebuildingUpTo.put(partition, end);
                rebuilding.put(partition, new LinkedHashMap<>());
            });
            owned = changed(partitions, true);
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
            if (!partitions.isEmpty()) {
                LOG.info("In-flight partitions revoked: {}", partitions);
            }
        }
    }
}
