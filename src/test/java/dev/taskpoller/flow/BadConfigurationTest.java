package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration that cannot work, as a user meets it: the service, started in a child JVM, stops at once with an
 * exit code other than 0 and says what is wrong, and no embedded broker keeps the process alive.
 */
class BadConfigurationTest {

    /** Generous: a refused configuration ends the process within a few seconds. */
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void badValuesFromTheFileTheEnvironmentAndTheCommandLineStopTheServiceBeforeTheBrokerWithEveryProblemNamed() throws Exception {
        write(dir.resolve("config/application.properties"),
                "taskpoller.poll.interval = five",
                "taskpoller.provider.scan-documents.base-url = not a url");
        try (ChildJvm jvm = new ChildJvm(dir)) {
            Process service = jvm.launch("service", Map.of(
                    "TASKPOLLER_PROVIDER_CLOSIENT_BULK_QR_DEADLINE", "6hours",
                    "JAVA_TOOL_OPTIONS", "-Dtaskpoller.inbox.scan-ms=1s"));
            assertTrue(service.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "still running" + jvm.tail("service"));
            assertEquals(2, service.exitValue(), jvm.tail("service"));

            String output = Files.readString(jvm.log("service"));
            for (String problem : List.of(
                    "Invalid taskpoller configuration (4 problems):",
                    "taskpoller.poll.interval = 'five': expected a duration above zero such as 250ms, 5s, 2m, 6h or 1h30m",
                    "taskpoller.provider.scan-documents.base-url = 'not a url': expected an absolute http or https URL",
                    "taskpoller.provider.closient-bulk-qr.deadline = '6hours': expected a duration above zero such as"
                            + " 250ms, 5s, 2m, 6h or 1h30m (environment variable TASKPOLLER_PROVIDER_CLOSIENT_BULK_QR_DEADLINE)",
                    "taskpoller.inbox.scan-ms = '1s': expected a whole number of milliseconds, 1 or more")) {
                assertTrue(output.contains(problem), "'" + problem + "' in the output" + jvm.tail("service"));
            }
            assertFalse(Files.exists(dir.resolve("data/kafka")), "the embedded broker was never started");
            assertFalse(output.contains("Exception"), "a message, not a stack trace" + jvm.tail("service"));
        }
    }

    @Test
    void misspeltKeysInAConfigFileAndTheEnvironmentStopTheServiceNamingTheNearestKnownKeys() throws Exception {
        Path config = write(dir.resolve("taskpoller.properties"),
                "taskpoller.poll.intervall = 5s",
                "taskpoller.provider.scan-document.api-key = secret");
        try (ChildJvm jvm = new ChildJvm(dir)) {
            Process service = jvm.launch("service", Map.of("TASKPOLLER_POLL_MAX_ATEMPTS", "3"),
                    "--config", config.toString());
            assertTrue(service.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "still running" + jvm.tail("service"));
            assertEquals(2, service.exitValue(), jvm.tail("service"));

            String output = Files.readString(jvm.log("service"));
            for (String problem : List.of(
                    "taskpoller.poll.intervall is not a taskpoller setting: did you mean taskpoller.poll.interval?",
                    "taskpoller.provider.scan-document.api-key is not a taskpoller setting: did you mean"
                            + " taskpoller.provider.scan-documents.api-key?",
                    "environment variable TASKPOLLER_POLL_MAX_ATEMPTS is not a taskpoller setting: did you mean"
                            + " TASKPOLLER_POLL_MAX_ATTEMPTS (taskpoller.poll.max-attempts)?")) {
                assertTrue(output.contains(problem), "'" + problem + "' in the output" + jvm.tail("service"));
            }
            assertFalse(output.contains("secret"), "a value of an unknown key is not echoed");
        }
    }

    @Test
    void aFailureAfterTheEmbeddedBrokerStartedStopsTheBrokerAndEndsTheProcessWithAnError() throws Exception {
        // valid on its own, but one embedded broker cannot hold three replicas: topic creation fails after its start
        write(dir.resolve("config/application.properties"), "taskpoller.kafka.replication-factor = 3");
        try (ChildJvm jvm = new ChildJvm(dir)) {
            Process service = jvm.launch("service");
            assertTrue(service.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "still running" + jvm.tail("service"));
            assertEquals(1, service.exitValue(), jvm.tail("service"));

            String output = Files.readString(jvm.log("service"));
            assertTrue(output.contains("Embedded Kafka broker ready"), "the broker had started" + jvm.tail("service"));
            assertTrue(output.contains("taskpoller failed to start")
                    && output.contains("Could not create Kafka topic taskpoller.requests"), jvm.tail("service"));
        }
    }

    @Test
    void aBrokenProviderDefinitionStopsTheServiceNamingItsFileAndField() throws Exception {
        write(dir.resolve("config/application.properties"), "taskpoller.poll.interval = 5s");
        String closient = new String(getClass().getResourceAsStream("/taskpoller-defaults/providers/closient-bulk-qr.yaml")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        write(dir.resolve("config/providers/closient-bulk-qr.yaml"), closient.replace("state: running", "state: busy"));
        try (ChildJvm jvm = new ChildJvm(dir)) {
            Process service = jvm.launch("service", Map.of());
            assertTrue(service.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "still running" + jvm.tail("service"));
            assertEquals(2, service.exitValue(), jvm.tail("service"));

            String output = Files.readString(jvm.log("service"));
            String problem = "config/providers/closient-bulk-qr.yaml: spec.acceptors[1].state: 'busy': expected one of"
                    + " [running, completed, failed, retry]";
            assertTrue(output.contains(problem), "'" + problem + "' in the output" + jvm.tail("service"));
            assertFalse(Files.exists(dir.resolve("data/kafka")), "the embedded broker was never started");
        }
    }

    private static Path write(Path file, String... lines) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(lines));
        return file;
    }
}
