package dev.taskpoller.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The harness's own Kafka clients on a taskpoller's broker: requests in, in-flight offsets and events out. */
final class BenchKafka implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    /** Reads the events as a downstream consumer should: committed transactions only. */
    private final KafkaConsumer<String, String> committed;
    private double averageEventBytes;

    private final String bootstrap;

    BenchKafka(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        committed = new KafkaConsumer<>(c);
    }

    /** One request per task of the group, as a client of taskpoller sends them; returns once all are acknowledged. */
    void sendRequests(String topic, TaskGroup group) {
        for (int i = 0; i < group.size; i++) {
            producer.send(new ProducerRecord<>(topic, null,
                    "{\"provider\":\"" + group.provider + "\",\"taskId\":\"" + group.id(i) + "\"}"));
        }
        producer.flush();
    }

    /** The reference for accepting: the same records written by a plain producer to a topic nobody reads, per s. */
    double plainProducerRate(String topic, int partitions, TaskGroup group) throws Exception {
        createWarm(topic, partitions);
        long start = System.nanoTime();
        for (int i = 0; i < group.size; i++) {
            producer.send(new ProducerRecord<>(topic, "scan-documents/" + group.id(i),
                    "{\"provider\":\"scan-documents\",\"taskId\":\"" + group.id(i) + "\"}"));
        }
        producer.flush();
        return group.size / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The reference for publishing: {@code count} records of {@code valueBytes} each (an event's size) written by a
     * plain producer (acks=all, no transactions) to a topic nobody reads, per s.
     */
    double plainProducerRate(String topic, int partitions, int count, int valueBytes) throws Exception {
        createWarm(topic, partitions);
        String value = "x".repeat(Math.max(1, valueBytes));
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, "scan-documents/reference-" + i, value));
        }
        producer.flush();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** A new topic, its metadata fetched before the clock starts, as taskpoller's producer has it. */
    private void createWarm(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        producer.send(new ProducerRecord<>(topic, "warm-up", "{}")).get();
    }

    /** The mean value size of the events the last {@link #events} call read, bytes. */
    double averageEventBytes() {
        return averageEventBytes;
    }

    /** The number of records ever written to the topic (the sum of its partitions' end offsets). */
    long endOffsets(String topic) {
        List<TopicPartition> partitions = partitions(topic);
        return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
    }

    private List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /**
     * The group's events on this topic, read from the beginning (committed transactions only) until all are there or
     * the time is up: task index → the record's timestamp (its producer's CreateTime, ms).
     */
    Map<Integer, Long> events(String topic, TaskGroup group, Duration timeout) {
        Map<Integer, Long> events = new HashMap<>();
        long bytes = 0;
        List<TopicPartition> partitions = partitions(topic);
        committed.assign(partitions);
        committed.seekToBeginning(partitions);
        long until = System.nanoTime() + timeout.toNanos();
        String prefix = group.provider + "/" + group.idPrefix();
        while (events.size() < group.size && System.nanoTime() < until) {
            for (ConsumerRecord<String, String> record : committed.poll(Duration.ofMillis(200))) {
                if (record.key() != null && record.key().startsWith(prefix)
                        && events.putIfAbsent(TaskGroup.indexOf(record.key()), record.timestamp()) == null) {
                    bytes += record.serializedValueSize();
                }
            }
        }
        committed.unsubscribe();
        averageEventBytes = events.isEmpty() ? 0 : (double) bytes / events.size();
        return events;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
        committed.close(Duration.ofSeconds(5));
    }
}
