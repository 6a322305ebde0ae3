package dev.taskpoller.bench;

import dev.taskpoller.TaskpollerApplication;
import dev.taskpoller.sim.ProviderSimulator;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * taskpoller as a user runs it: the application's main on its runtime class path (what the packaged jar ships), with
 * a configuration file of its own, its embedded broker on a fixed port and its data under one folder. Only
 * configuration keys are set, so the harness runs the same on any version of the engine.
 */
final class TaskpollerProcess {

    static final String REQUESTS = "taskpoller.requests";
    static final String INFLIGHT = "taskpoller.inflight";
    static final String COMPLETED = "taskpoller.completed";
    static final int PARTITIONS = 3;

    final Path dir;
    final Path config;
    final int brokerPort;

    /** The settings of this run on top of the harness's fixed ones (see {@link #write}). */
    TaskpollerProcess(Path dir, ProviderSimulator sim, Map<String, String> settings) throws IOException {
        this.dir = dir;
        this.brokerPort = freePort();
        this.config = dir.resolve("taskpoller.properties");
        Files.createDirectories(dir);
        write(sim, settings);
    }

    private void write(ProviderSimulator sim, Map<String, String> settings) throws IOException {
        Map<String, String> p = new TreeMap<>();
        p.put("taskpoller.kafka.brokers", "");
        p.put("taskpoller.kafka.embedded.data-dir", dir.resolve("kafka").toString());
        p.put("taskpoller.kafka.embedded.port", String.valueOf(brokerPort));
        p.put("taskpoller.kafka.partitions", String.valueOf(PARTITIONS));
        p.put("taskpoller.inbox", dir.resolve("inbox").toString());
        p.put("taskpoller.inbox.scan-ms", "100");
        p.put("taskpoller.inbox.settle-ms", "100");
        p.put("taskpoller.outbox", dir.resolve("outbox").toString());
        p.put("taskpoller.poll.backoff-multiplier", "1");
        p.put("taskpoller.poll.max-concurrent", String.valueOf(Compare.MAX_CONCURRENT));
        p.put("taskpoller.poll.rate-limit", "1000000/1s");
        p.put("taskpoller.poll.error-backoff", "50ms");
        p.put("taskpoller.poll.max-error-backoff", "1s");
        p.put("taskpoller.poll.max-attempts", "1000000000");
        p.put("taskpoller.poll.deadline", "24h");
        p.put("taskpoller.log.summary-interval", "5s");
        p.putAll(sim.endpointProperties());
        p.putAll(settings);
        Properties properties = new Properties();
        properties.putAll(p);
        try (Writer out = Files.newBufferedWriter(config)) {
            properties.store(out, "written by the benchmark harness (dev.taskpoller.bench.Compare)");
        }
    }

    /** Starts the application and returns once Camel says it started (or fails with the log's tail). */
    JvmProcess start(String name, String heap) throws IOException, InterruptedException {
        String classPath = Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator
                + Files.readString(Path.of("target", "runtime.classpath")).strip();
        JvmProcess process = JvmProcess.start(name, dir, List.of("-Xmx" + heap), classPath,
                TaskpollerApplication.class.getName(), List.of("--config", config.toString()));
        long until = System.nanoTime() + 180_000_000_000L;
        while (!process.logContains(" started in ")) {
            if (!process.isAlive() || System.nanoTime() > until) {
                process.close();
                throw new IllegalStateException(name + " did not start; see " + process.log());
            }
            Thread.sleep(100);
        }
        return process;
    }

    String bootstrap() {
        return "127.0.0.1:" + brokerPort;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
