package dev.taskpoller.support;

import dev.taskpoller.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka broker in a process of its own (the test class path's {@link EmbeddedKafkaBroker}), on fixed
 * ports and a fixed data directory, so that a test can kill it and start it again as the same broker: what an
 * application pointed at external brokers sees when its broker crashes and comes back. Its output goes to
 * {@code <data dir>.log}.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final String READY = "broker ready";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private Process process;

    public BrokerProcess(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** A free port on loopback, to start a broker on again and again. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and returns once it answers clients. */
    public synchronized BrokerProcess start() throws IOException, InterruptedException {
        Path log = log();
        Files.deleteIfExists(log);
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName(),
                dataDir.toString(), String.valueOf(port), String.valueOf(controllerPort)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        long until = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(READY))) {
            if (!process.isAlive() || System.nanoTime() > until) {
                throw new IllegalStateException("the broker did not start: " + tail());
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** SIGKILL: the broker is gone at once, nothing flushed, no controlled shutdown. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not die");
        }
    }

    public Path log() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return "\n--- last lines of the broker's log ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The broker process itself: data directory, client port, controller port. */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), 3, START_TIMEOUT, Map.of()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        System.out.println(READY + " on " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
