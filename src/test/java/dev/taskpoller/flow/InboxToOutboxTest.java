package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.InboxFolders;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InboxToOutboxTest extends TaskpollerTestSupport {

    @Test
    void aFileWithBadLinesRejectsThemProcessesTheGoodOnesAndMovesToDone() throws Exception {
        String good1 = newTaskId("scan-documents");
        String good2 = newTaskId("closient-bulk-qr");
        sims.scanDocuments.addTask(SimulatedTask.completing(good1, 2));
        sims.closient.addTask(SimulatedTask.failing(good2, 2, "template missing"));

        drop("batch.jsonl", String.join("\n",
                request("scan-documents", good1, "a"),
                "{not json",
                "",
                request("closient-bulk-qr", "not-a-uuid", null),
                request("closient-bulk-qr", good2, "b")) + "\n");
        List<JsonNode> completed = outbox("completed", 1);
        List<JsonNode> failed = outbox("failed", 1);
        List<JsonNode> rejected = outbox("rejected", 2);
        assertEquals(1, completed.size());
        assertEquals(1, failed.size());
        assertEquals(2, rejected.size());
        assertEquals(good1, completed.get(0).get("subject").asText());
        assertEquals("a", completed.get(0).get("data").get("correlationId").asText());
        assertEquals(good2, failed.get(0).get("subject").asText());
        assertEquals("provider_failed", failed.get(0).get("data").get("error").get("reason").asText());
        assertEquals(Set.of("malformed_input@file:batch.jsonl@*:2", "invalid_task_id@file:batch.jsonl@*:4"),
                rejected.stream().map(r -> r.get("reason").asText() + "@" + r.get("origin").asText().replaceAll("@[0-9a-f]+:", "@*:"))
                        .collect(Collectors.toSet()));
        assertEquals("{not json", rejected.stream().filter(r -> r.get("reason").asText().equals("malformed_input"))
                .findFirst().orElseThrow().get("input").asText());
        InboxFolders.awaitMoved(dataDir.resolve("inbox"), ".done", "batch.jsonl", 1);
        assertFalse(Files.exists(dataDir.resolve("inbox/batch.jsonl")));
        assertEquals(2, events("rejected", 2).size(), "rejections are on the topic too");
    }

    @Test
    void aCsvFileAndATxtFileInAProviderFolderAreRead() throws Exception {
        String fromCsv = newTaskId("shoplazza-upload");
        String fromTxt = newTaskId("acedata-qrart");
        sims.shoplazza.addTask(SimulatedTask.completing(fromCsv, 1));
        sims.aceData.addTask(SimulatedTask.completing(fromTxt, 1));

        drop("upload.csv", "provider,taskId,correlationId\nshoplazza-upload," + fromCsv + ",csv-1\n");
        drop("acedata-qrart/ids.txt", "# one id a line\n" + fromTxt + "\n");

        List<JsonNode> completed = outbox("completed", 2);
        assertEquals(Set.of(fromCsv, fromTxt), completed.stream().map(e -> e.get("subject").asText()).collect(Collectors.toSet()));
        assertEquals("csv-1", completed.stream().filter(e -> e.get("subject").asText().equals(fromCsv))
                .findFirst().orElseThrow().get("data").get("correlationId").asText());
        InboxFolders.awaitMoved(dataDir.resolve("inbox"), ".done", "upload.csv", 1);
        InboxFolders.awaitMoved(dataDir.resolve("inbox"), ".done", "acedata-qrart/ids.txt", 1);
    }

    @Test
    void theSameFileReadAgainWhileItsTasksAreInFlightIsNoDuplicate() throws Exception {
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 1));
        context.getRouteController().stopRoute("taskpoller-poll-scan-documents");
        String content = request("scan-documents", taskId, "again") + "\n";

        drop("again.jsonl", content);
        Path done = InboxFolders.awaitMoved(dataDir.resolve("inbox"), ".done", "again.jsonl", 1).get(0);
        // as after a crash between accepting its lines and moving the file: the very same file (same inode, same
        // modification time) is read again
        Files.createLink(dataDir.resolve("inbox/again.jsonl"), done);
        awaitGone(dataDir.resolve("inbox/again.jsonl"));
        context.getRouteController().startRoute("taskpoller-poll-scan-documents");

        assertEquals(1, outbox("completed", 1).size());
        assertEquals(0, records("rejected", 0).size(), "the re-read is not reported as a duplicate");
        assertEquals(1, sims.scanDocuments.pollsOf(taskId));
    }

    @Test
    void anUnreadableFileMovesToErrorWithItsReason() throws Exception {
        drop("misplaced.txt", newTaskId("acedata-qrart") + "\n");

        Path moved = InboxFolders.awaitMoved(dataDir.resolve("inbox"), ".error", "misplaced.txt", 1).get(0);
        Path reason = moved.resolveSibling(moved.getFileName() + ".reason");
        awaitFile(reason);
        assertTrue(Files.readString(reason).contains("inbox/<provider>/"), Files.readString(reason));
    }

    private List<JsonNode> outbox(String stream, int atLeast) throws InterruptedException {
        return Outbox.await(dataDir.resolve("outbox").resolve(stream), atLeast, WAIT);
    }

    private static void awaitGone(Path file) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(file) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertFalse(Files.exists(file), file + " should have been read and moved");
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(file), file + " should exist");
    }
}
