package dev.taskpoller.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.TestKafka;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The library on the class path an embedder gets (no broker, Scala, ZooKeeper nor logging backend: the optional
 * dependencies of the pom, as bench/embedder-deps.sh checks them), in a child JVM running {@link PlainContextHost}.
 */
class LibraryWithoutOptionalJarsTest extends EmbeddingTestSupport {

    /**
     * The jars of the pom's optional dependencies (the broker and what it brings, the logging backend), as file names:
     * bench/embedder-deps.sh fails when one of them reaches an embedder.
     */
    private static final Pattern APP_ONLY = Pattern.compile(appOnlyJars());
    private static final Duration WAIT = Duration.ofSeconds(60);

    private ChildJvm child;

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void aPlainContextHostRunsTaskpollerOnAClassPathWithoutTheBrokerNorALoggingBackend() throws Exception {
        Properties properties = scenario.properties(dir);
        Path config = dir.resolve("host.properties");
        PlainContextHost.write(properties, config);
        String taskId = "task_" + scenario.run + "00000000";
        scenario.sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 2));
        child = new ChildJvm(dir);

        Process host = child.launchMain("host", libraryClassPath(), PlainContextHost.class.getName(), config.toString());
        child.await("the host to start", WAIT, Map.of("host", host),
                () -> Files.exists(child.log("host")) && read(child.log("host")).contains("host started"));
        TestKafka.send(properties.getProperty("host.topic.orders"), null, EmbeddingScenario.request(taskId));

        assertEquals(1, TestKafka.readAll(properties.getProperty("host.topic.done"), 1, WAIT).size(),
                "the task sent to the host's topic completed, and its event came back through the hook" + child.tail("host"));
        host.destroy();
        assertTrue(host.waitFor(30, TimeUnit.SECONDS), "the host stops on SIGTERM" + child.tail("host"));
        assertEquals(143, host.exitValue(), "a graceful stop" + child.tail("host"));
    }

    @Test
    void withoutBrokersConfiguredAndWithoutTheBrokerJarsTheStartFailsSayingWhatToSet() throws Exception {
        Properties properties = scenario.properties(dir);
        properties.put("taskpoller.kafka.brokers", "");
        Path config = dir.resolve("host.properties");
        PlainContextHost.write(properties, config);
        child = new ChildJvm(dir);

        Process host = child.launchMain("host", libraryClassPath(), PlainContextHost.class.getName(), config.toString());

        assertTrue(host.waitFor(60, TimeUnit.SECONDS), "the host ends" + child.tail("host"));
        assertEquals(1, host.exitValue(), child.tail("host"));
        String output = read(child.log("host"));
        assertTrue(output.contains("taskpoller.kafka.brokers is empty") && output.contains("set taskpoller.kafka.brokers")
                && output.contains("org.apache.kafka:kafka_2.13"), output);
        assertTrue(!output.contains("NoClassDefFoundError"), output);
    }

    /** taskpoller's classes, the host's (test classes), and the runtime dependencies less the optional ones. */
    private static String libraryClassPath() throws Exception {
        List<String> jars = ChildJvm.dependencies().stream()
                .filter(jar -> !APP_ONLY.matcher(Path.of(jar).getFileName().toString()).matches())
                .toList();
        assertTrue(jars.stream().noneMatch(jar -> jar.contains("kafka_2.13") || jar.contains("log4j-core")),
                "the broker and the logging backend are left out: " + jars);
        return String.join(File.pathSeparator, Stream.concat(Stream.of(Path.of("target", "classes").toAbsolutePath().toString(),
                Path.of("target", "test-classes").toAbsolutePath().toString()), jars.stream()).toList());
    }

    private static String appOnlyJars() {
        try {
            return Files.readString(Path.of("src", "test", "resources", "app-only-jars.regex")).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
