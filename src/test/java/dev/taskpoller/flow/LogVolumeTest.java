package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.engine.ProviderStats;
import dev.taskpoller.support.LogCapture;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Logs are for operators: a run's INFO lines do not grow with its number of tasks, and echoed input is cut short. */
class LogVolumeTest extends TaskpollerTestSupport {

    /** Start-up and rebalance lines and a summary or two may come; one line per task or per input may not. */
    private static final int FEW_LINES = 20;

    @Test
    void twoThousandTasksAndTwentyRejectedLinesWriteNoLinePerTaskAtInfo() throws Exception {
        assertNoLinePerTask(2_000);
    }

    /** The figure: 30 to 40 s here, so left out of the default run (see the README's Tests section). */
    @Test
    @Tag("large")
    void tenThousandTasksAndAHundredRejectedLinesWriteNoLinePerTaskAtInfo() throws Exception {
        assertNoLinePerTask(10_000);
    }

    private void assertNoLinePerTask(int tasks) throws Exception {
        // every well-formed id ends after one poll; one in five fails
        sims.scanDocuments.autoCreateTasks(1);
        List<String> ids = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            String id = KafkaToKafkaTest.newTaskId("scan-documents");
            ids.add(id);
            lines.add(id);
            if (i % 100 == 0) {
                lines.add("not-an-id-" + i);
            }
        }
        int rejected = tasks / 100;

        try (LogCapture log = LogCapture.open()) {
            drop("scan-documents/ids.txt", String.join("\n", lines) + "\n");
            awaitOutcomes(tasks, rejected);

            List<LogEvent> shown = log.atLeast(Level.INFO);
            assertTrue(shown.size() <= FEW_LINES, tasks + " tasks wrote " + shown.size() + " lines at INFO or above: "
                    + LogCapture.countByLevelAndLogger(shown));
            Set<String> echoed = Set.copyOf(ids);
            for (LogEvent event : shown) {
                String text = LogCapture.text(event);
                assertFalse(text.contains("ids.txt:") || text.contains("not-an-id-") || text.contains("task_")
                        && echoed.stream().anyMatch(text::contains), "a per-task line at " + event.getLevel() + ": " + text);
            }
        }
    }

    @Test
    void inputOfSixtyThousandCharactersIsCutShortInEveryLogLineEvenAtDebug() throws Exception {
        String hugeProvider = "p".repeat(60_000);
        Configurator.setLevel("dev.taskpoller", Level.DEBUG);
        try (LogCapture log = LogCapture.open()) {
            submit("{\"provider\":\"" + hugeProvider + "\",\"taskId\":\"task_0123456789abcdef\"}");
            drop("huge.jsonl", "{\"provider\":\"" + hugeProvider + "\",\"taskId\":\"task_0123456789abcdef\"}\n");
            awaitOutcomes(0, 2);

            List<LogEvent> rejections = log.all().stream()
                    .filter(event -> LogCapture.text(event).startsWith("Rejected ")).toList();
            assertEquals(2, rejections.size(), "one DEBUG line per rejected input: " + LogCapture.countByLevelAndLogger(log.all()));
            for (LogEvent event : log.all()) {
                String text = LogCapture.text(event);
                assertTrue(text.length() < 1_000, () -> event.getLoggerName() + " logged " + text.length() + " characters: "
                        + text.substring(0, 300) + "…");
            }
        } finally {
            Configurator.setLevel("dev.taskpoller", Level.INFO);
        }
    }

    /** Waits until this many tasks have their terminal event and this many inputs are rejected. */
    private void awaitOutcomes(int finished, int rejected) throws InterruptedException {
        ProviderStats stats = context.getRegistry().lookupByNameAndType("taskpollerStats", ProviderStats.class);
        long until = System.nanoTime() + WAIT.multipliedBy(3).toNanos();
        while (System.nanoTime() < until && (total(stats, ProviderStats.Counts::finished) < finished
                || total(stats, counts -> counts.rejected.sum()) < rejected)) {
            Thread.sleep(100);
        }
        assertEquals(finished, total(stats, ProviderStats.Counts::finished), "tasks finished");
        assertEquals(rejected, total(stats, counts -> counts.rejected.sum()), "inputs rejected: "
                + stats.snapshot().keySet().stream().map(name -> name.length() > 20 ? name.substring(0, 20) + "…" : name)
                .collect(Collectors.toList()));
    }

    private static long total(ProviderStats stats, java.util.function.ToLongFunction<ProviderStats.Counts> count) {
        return stats.snapshot().values().stream().mapToLong(count).sum();
    }
}
