package dev.taskpoller.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the application's topics at start-up with their settings (auto-creation is off on the embedded broker and
 * should be off on real clusters, where it would create topics with the wrong cleanup policy).
 */
public final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {
    }

    /**
     * A topic to ensure.
     *
     * @param partitions        partition count; -1 for the broker's num.partitions
     * @param replicationFactor replicas; -1 for the broker's default.replication.factor
     * @param configs           topic-level configs set at creation
     */
    public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

        public TopicSpec {
            configs = Map.copyOf(configs);
        }

        /** Delete-policy topic with the broker's retention, replication factor 1. */
        public static TopicSpec plain(String name, int partitions) {
            return new TopicSpec(name, partitions, (short) 1, Map.of());
        }

        /**
         * Compacted topic (latest value per key kept forever), replication factor 1. The defaults (7-day segments,
         * dirty ratio 0.5) would leave a low-traffic topic uncompacted for a week; segments roll hourly here, so the
         * cleaner gets closed segments to work on, and tombstones are kept a day so a restarting reader still sees
         * them.
         */
        public static TopicSpec compacted(String name, int partitions) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            c.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1");
            c.put(TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()));
            c.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(1).toMillis()));
            return new TopicSpec(name, partitions, (short) 1, c);
        }

        public TopicSpec withReplicationFactor(short rf) {
            return new TopicSpec(name, partitions, rf, configs);
        }

        boolean mustBeCompacted() {
            String policy = configs.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            return policy != null && policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
        }

        NewTopic toNewTopic() {
            // Optional.empty() asks the broker for its default, which is how -1 is expressed in the admin API.
            Optional<Integer> p = partitions > 0 ? Optional.of(partitions) : Optional.empty();
            Optional<Short> rf = replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty();
            return new NewTopic(name, p, rf).configs(configs);
        }
    }

    /**
     * Creates the missing topics; existing ones are left as they are. Returns the problems found on existing topics
     * (each also logged as a WARN), e.g. a topic that must be compacted but is not; empty when all is well.
     *
     * @throws IllegalStateException when the cluster cannot be reached or a creation fails within {@code timeout}
     */
    public static List<String> ensure(String bootstrapServers, List<TopicSpec> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> conf = new HashMap<>();
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // The admin client refuses a default.api.timeout.ms below request.timeout.ms (30 s): lower both.
        int timeoutMs = (int) Math.max(1, timeout.toMillis());
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "taskpoller-topics");
        try (Admin admin = Admin.create(conf)) {
            Map<String, KafkaFuture<Void>> created = admin.createTopics(
                    topics.stream().map(TopicSpec::toNewTopic).toList()).values();
            List<TopicSpec> existing = new ArrayList<>();
            for (TopicSpec t : topics) {
                try {
                    await(created.get(t.name()), deadline);
                    LOG.info("Created Kafka topic {} (partitions {}, configs {})", t.name(),
                            t.partitions() > 0 ? t.partitions() : "broker default", t.configs());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create Kafka topic " + t.name() + ": "
                                + e.getCause(), e.getCause());
                    }
                    existing.add(t);
                }
            }
            return checkExisting(admin, existing, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ensuring Kafka topics", e);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("Kafka topics not ensured within " + timeout.toMillis() + " ms on "
                    + bootstrapServers + ": " + e, e);
        }
    }

    /** Reports, without altering anything, existing topics whose cleanup policy is weaker than required. */
    private static List<String> checkExisting(Admin admin, List<TopicSpec> existing, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicSpec> compacted = existing.stream().filter(TopicSpec::mustBeCompacted).toList();
        List<String> problems = new ArrayList<>();
        if (compacted.isEmpty()) {
            return problems;
        }
        List<ConfigResource> resources = compacted.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all(), deadline);
        for (ConfigResource r : resources) {
            ConfigEntry policy = configs.get(r).get(TopicConfig.CLEANUP_POLICY_CONFIG);
            String value = policy == null ? "" : policy.value();
            if (!Arrays.asList(value.split(",")).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                String problem = "Kafka topic '" + r.name() + "' exists with cleanup.policy=" + value
                        + " but must be compacted: set cleanup.policy=compact on it (kafka-configs --alter"
                        + " --entity-type topics --entity-name " + r.name() + " --add-config cleanup.policy=compact)";
                LOG.warn("{}", problem);
                problems.add(problem);
            }
        }
        return problems;
    }

    private static <T> T await(KafkaFuture<T> f, long deadlineNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
