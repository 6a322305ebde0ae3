package dev.taskpoller.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, combined broker + controller) running inside this JVM, built from Kafka's own server
 * classes ({@link KafkaRaftServer}), not from the test kit, so it needs nothing beyond {@code kafka_2.13} at runtime.
 *
 * <p>The data directory is formatted once (when it has no {@code meta.properties}) and reused afterwards, so records
 * and committed offsets survive a restart of the process. The cluster id is written at format time and therefore
 * stable for the directory.
 *
 * <p>The quorum is <em>static</em> ({@code controller.quorum.voters}): KRaft then keeps no controller endpoint in its
 * log, so the controller port may change between runs. A dynamic quorum ({@code controller.quorum.bootstrap.servers},
 * {@code --standalone}) would pin the first controller port into the metadata snapshot.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path dataDir;
    private final int requestedBrokerPort;
    private final int requestedControllerPort;
    private final int numPartitions;
    private final Duration startTimeout;
    private final Map<String, String> overrides;

    private KafkaRaftServer server;
    private int brokerPort;

    /** Broker and controller on free ports, 3 partitions per topic by default, 60 s to start. */
    public EmbeddedKafkaBroker(Path dataDir) {
        this(dataDir, 0, 0, 3, Duration.ofSeconds(60), Map.of());
    }

    /**
     * @param brokerPort     client port; 0 picks a free one at {@link #start()}
     * @param controllerPort KRaft controller port; 0 picks a free one at {@link #start()}
     * @param numPartitions  broker default for topics created without a partition count
     * @param startTimeout   bound on {@link #start()}
     * @param overrides      extra broker settings, applied last
     */
    public EmbeddedKafkaBroker(Path dataDir, int brokerPort, int controllerPort, int numPartitions,
            Duration startTimeout, Map<String, String> overrides) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.requestedBrokerPort = brokerPort;
        this.requestedControllerPort = controllerPort;
        this.numPartitions = numPartitions;
        this.startTimeout = startTimeout;
        this.overrides = Map.copyOf(overrides);
    }

    /** Formats the directory if new, starts the server and blocks until it answers an admin request. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("Embedded Kafka broker already started");
        }
        long t0 = System.nanoTime();
        formatIfNew();
        // Free ports are picked before the server binds them (see startOnce), so another process may take one in
        // between: a bind failure then gets a new attempt (at most 3, each fails within a second).
        boolean pickedPorts = requestedBrokerPort <= 0 || requestedControllerPort <= 0;
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce(t0);
                break;
            } catch (RuntimeException e) {
                close();
                if (!(pickedPorts && attempt < 3 && causedByBind(e))) {
                    throw new IllegalStateException("Embedded Kafka broker did not start on " + HOST + ":" + brokerPort
                            + " within " + startTimeout.toMillis() + " ms (data: " + dataDir + "): " + e, e);
                }
                LOG.debug("Port taken while starting the embedded Kafka broker, retrying with other ports", e);
            }
        }
        LOG.info("Embedded Kafka broker ready on {} (data: {})", bootstrapServers(), dataDir);
        LOG.debug("Embedded Kafka broker started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return this;
    }

    private void startOnce(long t0) {
        // Ports must be known before the config is built: controller.quorum.voters has to name the controller's
        // real port, and the broker must advertise its real port, so port 0 cannot be handed to Kafka itself.
        brokerPort = requestedBrokerPort > 0 ? requestedBrokerPort : freePort();
        int controllerPort = requestedControllerPort;
        while (controllerPort <= 0 || controllerPort == brokerPort) {
            // a broker port chosen by the caller is free until the broker binds it: the system may offer it again
            controllerPort = freePort();
        }
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(brokerProps(controllerPort), false), Time.SYSTEM);
        server = s;
        // Blocks until the controller has a leader and the broker is unfenced, or server.max.startup.time.ms.
        s.startup();
        awaitReady(startTimeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** "127.0.0.1:port" of the running broker. */
    public synchronized String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("Embedded Kafka broker not started");
        }
        return HOST + ":" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Cluster id recorded in the directory's meta.properties (null before the first start). */
    public String clusterId() {
        Path meta = dataDir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("cluster.id");
    }

    /** Shuts down (controlled shutdown, logs flushed) and waits for all server threads to stop. */
    @Override
    public synchronized void close() {
        KafkaRaftServer s = server;
        server = null;
        if (s != null) {
            s.shutdown();
            s.awaitShutdown();
        }
    }

    private Map<String, String> brokerProps(int controllerPort) {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static quorum of one voter: must be this node's id and its CONTROLLER listener address.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                + controllerPort);
        // The controller listener must not be advertised; clients only see the broker listener.
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        // One directory holds both the partition logs and the __cluster_metadata log.
        p.put("log.dirs", dataDir.toString());
        p.put("metadata.log.dir", dataDir.toString());

        // One node: every internal topic has exactly one replica.
        p.put("num.partitions", String.valueOf(numPartitions));
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5"); // default 50: 50 directories for nothing
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0"); // consumers join at once instead of after 3 s
        // after a kill -9, the controller waits for the dead incarnation's broker session to expire before the new
        // one may register: 9 s by default, nearly all of a restart's time; one node has no one else to wait for
        p.put("broker.session.timeout.ms", "2000");
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("auto.create.topics.enable", "false"); // topics come from KafkaTopics with their settings

        // Compacted topics must really be compacted; the default 128 MB dedupe buffer is too much for an embedded node.
        p.put("log.cleaner.enable", "true");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        p.put("log.retention.check.interval.ms", "60000");

        // Small thread pools: one local client, not a production cluster.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "4");
        p.put("num.replica.fetchers", "1");
        p.put("num.recovery.threads.per.data.dir", "1");
        // Bound the blocking part of startup() so a broken start fails instead of hanging.
        p.put("server.max.startup.time.ms", String.valueOf(Math.max(1, startTimeout.toMillis())));

        p.putAll(overrides);
        return p;
    }

    /** Writes meta.properties and the bootstrap metadata on first use; an already formatted directory is kept. */
    private void formatIfNew() {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream())) // it prints to stdout otherwise
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dataDir.toString()))
                    .setMetadataLogDirectory(dataDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    // no initial controllers => kraft.version 0, matching the static controller.quorum.voters
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka data directory " + dataDir + ": " + e, e);
        }
        LOG.debug("Formatted Kafka data directory {} (cluster id {})", dataDir, clusterId());
    }

    /** Repeats describeCluster until it names at least one broker, so a caller's first request does not race. */
    private void awaitReady(long remainingMs) {
        long deadline = System.currentTimeMillis() + Math.max(remainingMs, 1000);
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + brokerPort,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        Exception last = null;
        try (Admin admin = Admin.create(conf)) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
                } catch (Exception e) {
                    last = e;
                }
                sleep(100);
            }
        }
        throw new IllegalStateException("describeCluster did not succeed in time", last);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }
}
