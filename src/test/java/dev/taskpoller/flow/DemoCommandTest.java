package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.support.AcmeTranscode;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.Outbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, {@code taskpoller demo}, as a user runs it: in a fresh folder, to the end. */
class DemoCommandTest {

    @TempDir
    Path dir;

    /**
     * One run for both (each run is half a minute): the README's command in a fresh folder holding the seed
     * definitions, where a user has only dropped a fifth provider's files (its definition and configuration block).
     */
    @Test
    void theDemoFinishesEveryTaskOfEveryProviderIncludingOneAddedByItsFilesAloneAndLeavesTheEventsInTheOutbox()
            throws Exception {
        Files.createDirectories(dir.resolve("config/providers"));
        // the seed definitions, as a clone has them beside the jar (their providers have simulators of their own)
        try (var seeds = Files.list(Path.of("config/providers"))) {
            for (Path seed : seeds.toList()) {
                Files.copy(seed, dir.resolve("config/providers").resolve(seed.getFileName()));
            }
        }
        Files.writeString(dir.resolve("config/providers/acme-transcode.yaml"), AcmeTranscode.read("providers/acme-transcode.yaml"));
        Files.writeString(dir.resolve("config/application.properties"), AcmeTranscode.read("acme-transcode.properties"));
        try (ChildJvm jvm = new ChildJvm(dir)) {
            Process demo = jvm.launch("demo", "demo");
            assertTrue(demo.waitFor(170, TimeUnit.SECONDS), "the demo did not finish" + jvm.tail("demo"));
            assertEquals(0, demo.exitValue(), "the demo failed" + jvm.tail("demo"));

            List<String> output = Files.readAllLines(jvm.log("demo"));
            assertTrue(output.stream().anyMatch(line -> line.matches("provider\\s+accepted\\s+completed\\s+failed\\s+rejected\\s+polls\\s+time")),
                    "the summary table" + jvm.tail("demo"));
            for (String builtIn : List.of("acedata-qrart", "closient-bulk-qr", "scan-documents", "shoplazza-upload")) {
                assertTrue(output.stream().anyMatch(line -> line.matches(builtIn + "\\s+8\\s+6\\s+2\\s+\\d+\\s+\\d+\\s+\\S+")),
                        builtIn + "'s row: 8 accepted, 6 completed, 2 failed" + jvm.tail("demo"));
            }
            assertTrue(output.stream().anyMatch(line -> line.matches("acme-transcode\\s+8\\s+6\\s+2\\s+0\\s+\\d+\\s+\\S+")),
                    "acme-transcode's row, fed without an edit to the demo: 8 accepted, 6 completed, 2 failed" + jvm.tail("demo"));
            assertTrue(output.stream().anyMatch(line -> line.matches("total\\s+40\\s+30\\s+10\\s+4\\s+\\d+\\s*")),
                    "the built-in providers' 32 tasks, acme-transcode's 8, and 4 rejected inputs" + jvm.tail("demo"));
            assertTrue(output.stream().anyMatch(line -> line.startsWith("[") && line.contains("in flight")), "progress lines");
            assertTrue(output.stream().noneMatch(line -> line.startsWith("demo: ") && line.contains("left out")),
                    "a seed provider's definition beside the jar leaves nothing out" + jvm.tail("demo"));
            assertEquals(30, Outbox.events(dir.resolve("data/outbox/completed")).size());
            assertEquals(10, Outbox.events(dir.resolve("data/outbox/failed")).size());
            assertEquals(4, Outbox.events(dir.resolve("data/outbox/rejected")).size());
        }
    }
}
