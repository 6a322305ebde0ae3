package dev.taskpoller.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.kafka.KafkaTopics.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaTopicsTest {

    @TempDir
    static Path tmp;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaBroker(tmp.resolve("kafka")).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void ensureTwiceIsIdempotent() throws Exception {
        List<TopicSpec> topics = List.of(TopicSpec.compacted("state", 3), TopicSpec.plain("out", 1));
        assertEquals(List.of(), KafkaTopics.ensure(broker.bootstrapServers(), topics, Duration.ofSeconds(30)));
        assertEquals(List.of(), KafkaTopics.ensure(broker.bootstrapServers(), topics, Duration.ofSeconds(30)));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertTrue(admin.listTopics().names().get().containsAll(List.of("state", "out")));
        }
    }

    @Test
    void existingTopicThatShouldBeCompactedIsReportedNotAltered() {
        String bootstrap = broker.bootstrapServers();
        KafkaTopics.ensure(bootstrap, List.of(TopicSpec.plain("wrongly-plain", 1)), Duration.ofSeconds(30));

        List<String> problems = KafkaTopics.ensure(bootstrap,
                List.of(TopicSpec.compacted("wrongly-plain", 1)), Duration.ofSeconds(30));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("wrongly-plain") && problems.get(0).contains("cleanup.policy=compact"),
                problems.get(0));
        // reported, not fixed: a second run reports it again
        assertEquals(problems, KafkaTopics.ensure(bootstrap,
                List.of(TopicSpec.compacted("wrongly-plain", 1)), Duration.ofSeconds(30)));
    }

    @Test
    void brokerDefaultReplicationFactorIsAccepted() throws Exception {
        TopicSpec spec = TopicSpec.plain("rf-default", -1).withReplicationFactor((short) -1);
        assertEquals(List.of(), KafkaTopics.ensure(broker.bootstrapServers(), List.of(spec), Duration.ofSeconds(30)));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            // num.partitions default of the embedded broker
            assertEquals(3, admin.describeTopics(List.of("rf-default")).allTopicNames().get()
                    .get("rf-default").partitions().size());
        }
    }

    @Test
    void unreachableClusterFailsWithinTheTimeout() {
        long t0 = System.nanoTime();
        assertThrows(IllegalStateException.class, () -> KafkaTopics.ensure("127.0.0.1:1",
                List.of(TopicSpec.plain("x", 1)), Duration.ofSeconds(2)));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
    }
}
