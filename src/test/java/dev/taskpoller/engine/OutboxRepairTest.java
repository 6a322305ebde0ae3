package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxRepairTest {

    @TempDir
    Path outbox;

    @Test
    void aLineCutByACrashIsCutOffAndTheWholeLinesStay() throws Exception {
        Path completed = Files.createDirectories(outbox.resolve("completed")).resolve("completed-2026-12-07.jsonl");
        Path failed = Files.createDirectories(outbox.resolve("failed")).resolve("failed-2026-12-07.jsonl");
        String whole = "{\"id\":\"1\"}\n" + "{\"id\":\"2\",\"pad\":\"" + "x".repeat(70_000) + "\"}\n";
        // the cut line longer than the slice read from the end at a time
        Files.writeString(completed, whole + "{\"id\":\"3\",\"da" + "y".repeat(70_000), StandardCharsets.UTF_8);
        Files.writeString(failed, "{\"id\":\"4\"}\n", StandardCharsets.UTF_8);

        assertEquals(1, OutboxRepair.repair(outbox));

        assertEquals(whole, Files.readString(completed, StandardCharsets.UTF_8));
        assertEquals("{\"id\":\"4\"}\n", Files.readString(failed, StandardCharsets.UTF_8), "a file of whole lines is left as it is");
    }

    @Test
    void aFileWithNoWholeLineIsEmptiedAndAMissingOutboxIsNothingToRepair() throws Exception {
        Path completed = Files.createDirectories(outbox.resolve("completed")).resolve("completed-2026-12-07.jsonl");
        Files.writeString(completed, "{\"id\":", StandardCharsets.UTF_8);

        assertEquals(1, OutboxRepair.repair(outbox));
        assertEquals(0, Files.size(completed));
        assertEquals(0, OutboxRepair.repair(outbox.resolve("never-made")));
    }
}
