package dev.taskpoller.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettlingFileTest {

    @Test
    void aFileUnchangedSinceItWasOpenedIsAtRestAtOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("done.jsonl"), "line\n");
        assertTrue(new SettlingFile(file, 60_000).atRest());
    }

    @Test
    void aFileThatChangedIsAtRestOnlyOnceUnchangedForTheSettleTime(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("growing.jsonl"), "line\n");
        SettlingFile settling = new SettlingFile(file, 200);
        Files.writeString(file, "more, and longer\n", StandardOpenOption.APPEND);

        assertFalse(settling.atRest(), "it just changed");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!settling.atRest()) {
            assertTrue(System.nanoTime() < until, "never at rest");
            settling.pause();
        }
    }
}
