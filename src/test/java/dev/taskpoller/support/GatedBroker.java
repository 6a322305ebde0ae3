package dev.taskpoller.support;

import dev.taskpoller.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A broker of a test's own behind a {@link KafkaRequestGate}: it advertises the gate's port, so every client (and
 * the broker itself, for its transaction markers) connects through the gate, whatever address it was given first.
 * Its own, so that the shared test broker is never held.
 */
public final class GatedBroker implements AutoCloseable {

    private final KafkaRequestGate gate;
    private final EmbeddedKafkaBroker broker;

    private GatedBroker(KafkaRequestGate gate, EmbeddedKafkaBroker broker) {
        this.gate = gate;
        this.broker = broker;
    }

    /** A broker with its data in {@code dataDir}, three partitions a topic, behind a gate for these APIs. */
    public static GatedBroker start(Path dataDir, Short... heldApiKeys) throws IOException {
        int brokerPort = BrokerProcess.freePort();
        KafkaRequestGate gate = new KafkaRequestGate(brokerPort, heldApiKeys);
        try {
            return new GatedBroker(gate, new EmbeddedKafkaBroker(dataDir, brokerPort, 0, 3, Duration.ofSeconds(60),
                    Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + gate.port())).start());
        } catch (RuntimeException e) {
            gate.close();
            throw e;
        }
    }

    public KafkaRequestGate gate() {
        return gate;
    }

    /** The broker's own address: the test's clients bootstrap there (and are then sent through the gate too). */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The gate's address, for the application under test. */
    public String gatedServers() {
        return "127.0.0.1:" + gate.port();
    }

    /** A request per task (task id → provider) to {@code taskpoller.requests}, each acknowledged (acks=all). */
    public void sendRequests(Map<String, String> providerOf) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> e : providerOf.entrySet()) {
                producer.send(new ProducerRecord<>("taskpoller.requests",
                        "{\"provider\":\"" + e.getValue() + "\",\"taskId\":\"" + e.getKey() + "\"}")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The broker before the gate: it reaches itself through the gate until it is down. */
    @Override
    public void close() {
        broker.close();
        gate.close();
    }
}
