package dev.taskpoller.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.kafka.KafkaTopics.TopicSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaBrokerTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBrokerTest.class);

    @TempDir
    Path tmp;

    private static EmbeddedKafkaBroker startTimed(Path dir) {
        long t0 = System.nanoTime();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir).start();
        LOG.info("broker start took {} ms", (System.nanoTime() - t0) / 1_000_000);
        return broker;
    }

    @AfterAll
    static void reportHeap() {
        LOG.info("peak heap (sum of heap pools' peaks) {} MB", Clients.peakHeapMb());
    }

    @Test
    void startsCreatesCompactedTopicAndRoundTripsARecord() throws Exception {
        Path dir = tmp.resolve("kafka");
        try (EmbeddedKafkaBroker broker = startTimed(dir)) {
            String bootstrap = broker.bootstrapServers();
            assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
            assertTrue(Files.exists(dir.resolve("meta.properties")), "directory formatted");

            List<String> problems = KafkaTopics.ensure(bootstrap,
                    List.of(TopicSpec.compacted("inflight", 3), TopicSpec.plain("events", 2)), Duration.ofSeconds(30));
            assertEquals(List.of(), problems);

            try (Admin admin = Clients.admin(bootstrap)) {
                ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "inflight");
                Config config = admin.describeConfigs(List.of(res)).all().get().get(res);
                assertEquals("compact", config.get("cleanup.policy").value());
                assertEquals("3600000", config.get("segment.ms").value());
                assertEquals(3, admin.describeTopics(List.of("inflight")).allTopicNames().get()
                        .get("inflight").partitions().size());
                ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, "events");
                assertEquals("delete", admin.describeConfigs(List.of(events)).all().get().get(events)
                        .get("cleanup.policy").value());
            }

            Clients.produce(bootstrap, "inflight", Map.of("task-1", "RUNNING"));
            List<ConsumerRecord<String, String>> got = Clients.consumeFromBeginning(bootstrap, "inflight", 1);
            assertEquals(1, got.size());
            assertEquals("task-1", got.get(0).key());
            assertEquals("RUNNING", got.get(0).value());
        }
    }

    @Test
    void recordsSurviveARestartOnTheSameDirectory() throws Exception {
        Path dir = tmp.resolve("kafka");
        Map<String, String> sent = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            sent.put("k" + i, "v" + i);
        }
        String clusterId;
        try (EmbeddedKafkaBroker broker = startTimed(dir)) {
            KafkaTopics.ensure(broker.bootstrapServers(), List.of(TopicSpec.plain("durable", 3)),
                    Duration.ofSeconds(30));
            Clients.produce(broker.bootstrapServers(), "durable", sent);
            clusterId = broker.clusterId();
            assertNotNull(clusterId);
        }

        // a new instance, new free ports, same directory: reused, not reformatted
        try (EmbeddedKafkaBroker broker = startTimed(dir)) {
            assertEquals(clusterId, broker.clusterId());
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                assertEquals(clusterId, admin.describeCluster().clusterId().get());
            }
            List<ConsumerRecord<String, String>> got =
                    Clients.consumeFromBeginning(broker.bootstrapServers(), "durable", sent.size());
            Map<String, String> received = got.stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
            assertEquals(sent, received);
        }
    }

    @Test
    void busyPortFailsWithAClearExceptionAndTheDirectoryStaysUsable() throws Exception {
        Path dir = tmp.resolve("kafka");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, taken.getLocalPort(), 0, 3,
                    Duration.ofSeconds(20), Map.of());
            IllegalStateException e = assertThrows(IllegalStateException.class, broker::start);
            assertTrue(e.getMessage().contains("did not start"), e.getMessage());
        }
        try (EmbeddedKafkaBroker broker = startTimed(dir)) {
            assertNotNull(broker.clusterId());
        }
    }
}
