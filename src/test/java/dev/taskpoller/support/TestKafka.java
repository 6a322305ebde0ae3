package dev.taskpoller.support;

import dev.taskpoller.kafka.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.stream.Collectors;
import dev.taskpoller.provider.Json;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** One real in-process KRaft broker for the whole test JVM, and plain Kafka clients to talk to it. */
public final class TestKafka {

    private static EmbeddedKafkaBroker broker;
    private static KafkaProducer<String, String> producer;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                broker = new EmbeddedKafkaBroker(Files.createTempDirectory("taskpoller-test-kafka")).start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test broker", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        }
        return broker.bootstrapServers();
    }

    /** Creates a topic of 3 partitions with its own configs, as an operator's cluster may have it, before taskpoller does. */
    public static void createTopic(String topic, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(configs))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("topic " + topic + " could not be created", e);
        }
    }

    public static synchronized void send(String topic, String key, String value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /** Sends every value (no key) and returns once the broker has them all. */
    public static synchronized void sendAll(String topic, List<String> values) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        values.forEach(value -> sent.add(producer().send(new ProducerRecord<>(topic, value))));
        for (Future<RecordMetadata> each : sent) {
            try {
                each.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot send to " + topic, e);
            }
        }
    }

    private static KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    /** Every record of a topic from the beginning, waiting until at least {@code atLeast} are there (or timeout). */
    public static List<ConsumerRecord<String, String>> readAll(String topic, int atLeast, Duration timeout) {
        return readAll(bootstrapServers(), topic, atLeast, timeout);
    }

    /** The same from another broker than this JVM's shared one. */
    public static List<ConsumerRecord<String, String>> readAll(String brokers, String topic, int atLeast, Duration timeout) {
        return readAll(brokers, topic, atLeast, timeout, "read_committed");
    }

    /**
     * Every record of a topic, those of aborted transactions too (read_uncommitted): what a consumer that is not set
     * up as the README says would see.
     */
    public static List<ConsumerRecord<String, String>> readAllUncommitted(String topic, int atLeast, Duration timeout) {
        return readAll(bootstrapServers(), topic, atLeast, timeout, "read_uncommitted");
    }

    /** The same from another broker than this JVM's shared one. */
    public static List<ConsumerRecord<String, String>> readAllUncommitted(String brokers, String topic, int atLeast,
                                                                          Duration timeout) {
        return readAll(brokers, topic, atLeast, timeout, "read_uncommitted");
    }

    /**
     * The keys of in-flight records whose tasks ended: their last record is the task's ended record (or a tombstone,
     * once the end has been remembered long enough).
     */
    public static Set<String> endedKeys(List<ConsumerRecord<String, String>> inFlightRecords) {
        Map<String, ConsumerRecord<String, String>> last = new HashMap<>();
        inFlightRecords.forEach(record -> last.put(record.key(), record));
        return last.values().stream()
                .filter(record -> record.value() == null
                        || Json.parse(record.value()).map(value -> value.has("ended")).orElse(false))
                .map(ConsumerRecord::key).collect(Collectors.toSet());
    }

    /** Records as a consumer of this isolation level reads them: read_committed, as the README says to read events. */
    private static List<ConsumerRecord<String, String>> readAll(String brokers, String topic, int atLeast, Duration timeout,
                                                                String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long until = System.nanoTime() + timeout.toNanos();
            while (true) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                boolean atEnd = partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
                if ((atEnd && records.size() >= atLeast) || System.nanoTime() > until) {
                    return records;
                }
            }
        }
    }
}
