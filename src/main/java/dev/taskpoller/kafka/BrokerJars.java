package dev.taskpoller.kafka;

import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.config.Settings;
import java.util.List;

/**
 * Whether {@link EmbeddedKafkaBroker} can run here. Its jars (kafka_2.13, kafka-metadata, Scala...) are optional
 * dependencies of the library: an embedder that names its brokers never loads a broker class, one that does not gets
 * this message instead of a NoClassDefFoundError from deep inside the start.
 */
public final class BrokerJars {

    private static final List<String> BROKER_CLASSES = List.of(
            "kafka.server.KafkaRaftServer", "org.apache.kafka.metadata.storage.Formatter");

    private BrokerJars() {
    }

    /** @throws InvalidConfigurationException when a class the embedded broker needs is not on the class path */
    public static void require() {
        for (String name : BROKER_CLASSES) {
            try {
                Class.forName(name, false, BrokerJars.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError missing) {
                throw new InvalidConfigurationException(List.of(Settings.KAFKA_BROKERS.name()
                        + " is empty, so taskpoller would start its embedded Kafka broker, but the broker is not on the"
                        + " class path (" + name + " is missing): set " + Settings.KAFKA_BROKERS.name()
                        + " to your Kafka brokers (host:port,...), or add org.apache.kafka:kafka_2.13 and"
                        + " org.apache.kafka:kafka-metadata (the version of your kafka-clients) to run the embedded broker"));
            }
        }
    }
}
