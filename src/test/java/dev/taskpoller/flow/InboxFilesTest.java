package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.InboxFolders;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/** Inbox files are read line by line, each line exactly once, whatever their size, timing or name. */
class InboxFilesTest extends TaskpollerTestSupport {

    @Test
    void aFileWithHugeLinesRejectsEachOfThemOnceAndProcessesTheLinesAfterThem() throws Exception {
        String first = completingTask("scan-documents");
        String second = completingTask("closient-bulk-qr");
        String third = completingTask("scan-documents");
        String hugeMetadata = "{\"provider\":\"scan-documents\",\"taskId\":\"" + newTaskId("scan-documents")
                + "\",\"metadata\":{\"blob\":\"" + "m".repeat(1_100_000) + "\"}}";
        String hugeCorrelationId = "{\"provider\":\"scan-documents\",\"taskId\":\"" + newTaskId("scan-documents")
                + "\",\"correlationId\":\"" + "c".repeat(10_000_000) + "\"}";
        String hugeProvider = "{\"provider\":\"" + "p".repeat(2_000_000) + "\",\"taskId\":\"task_abc\"}";

        drop("mixed.jsonl", String.join("\n", request("scan-documents", first, null), hugeMetadata,
                request("closient-bulk-qr", second, null), hugeCorrelationId, hugeProvider,
                request("scan-documents", third, null), "{not json") + "\n");

        List<Path> done = InboxFolders.awaitMoved(inbox(), ".done", "mixed.jsonl", 1);
        List<JsonNode> completed = outbox("completed", 3);
        List<JsonNode> rejected = outbox("rejected", 4);
        assertEquals(List.of(first, second, third).stream().sorted().toList(),
                completed.stream().map(e -> e.get("subject").asText()).sorted().toList(), "each valid line once");
        assertEquals(Map.of(2, "too_large", 4, "too_large", 5, "too_large", 7, "malformed_input"), reasonsByLine(rejected));
        JsonNode tenMegabytes = rejected.stream().filter(r -> r.get("origin").asText().endsWith(":4")).findFirst().orElseThrow();
        assertTrue(tenMegabytes.get("message").asText().contains(hugeCorrelationId.length() + " bytes")
                && tenMegabytes.get("message").asText().contains("65536"), tenMegabytes.get("message").asText());
        assertTrue(tenMegabytes.get("input").asText().startsWith("{\"provider\":\"scan-documents\""));
        rejected.forEach(r -> assertTrue(r.get("input").asText().length() <= Rejection.MAX_INPUT));
        assertEquals(1, done.size());
        assertFalse(Files.exists(inbox().resolve("mixed.jsonl")));
        assertEquals(4, events("rejected", 4).size(), "each rejection once on the topic too");
    }

    @Test
    void aLineThatIsNotUtf8IsRejectedAloneWhileAByteOrderMarkAndCrLfLineEndsAreNoPartOfTheLines() throws Exception {
        String before = completingTask("scan-documents");
        String after = completingTask("scan-documents");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        content.write((request("scan-documents", before, null) + "\r\n{\"provider\":\"scan-documents\",\"taskId\":\"task_")
                .getBytes(StandardCharsets.UTF_8));
        content.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        content.write(("\"}\r\n" + request("scan-documents", after, null) + "\r\n").getBytes(StandardCharsets.UTF_8));
        dropBytes("latin.jsonl", content.toByteArray());

        InboxFolders.awaitMoved(inbox(), ".done", "latin.jsonl", 1);
        assertEquals(List.of(after, before).stream().sorted().toList(),
                outbox("completed", 2).stream().map(e -> e.get("subject").asText()).sorted().toList());
        List<JsonNode> rejected = outbox("rejected", 1);
        assertEquals(Map.of(2, "malformed_input"), reasonsByLine(rejected));
        assertTrue(rejected.get(0).get("message").asText().contains("UTF-8"), rejected.get(0).toString());
    }

    @Test
    void anEmptyFileMovesToDoneAtOnceAndDoesNotHoldUpAFileDroppedWithIt() throws Exception {
        drop("empty.jsonl", "");
        drop("beside-empty.jsonl", "{not json\n");

        // the read lock used to wait for an empty file to grow until it timed out (10 s), at every poll
        List<JsonNode> rejected = Outbox.await(dataDir.resolve("outbox/rejected"), 1, Duration.ofSeconds(8));
        InboxFolders.awaitMoved(inbox(), ".done", "empty.jsonl", 1);
        InboxFolders.awaitMoved(inbox(), ".done", "beside-empty.jsonl", 1);
        assertEquals(1, rejected.size());
        try (Stream<Path> left = Files.list(inbox())) {
            assertEquals(List.of(".done"), left.map(p -> p.getFileName().toString()).filter(name -> !name.equals(".progress"))
                    .toList(), "no file and no lock left");
        }
        try (Stream<Path> progress = Files.list(inbox().resolve(".progress"))) {
            assertEquals(List.of(), progress.toList(), "no progress kept for files that left the inbox");
        }
    }

    @Test
    void theSameNameDroppedAgainIsANewFileWhoseTasksStillInFlightAreDuplicates() throws Exception {
        String waiting = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(waiting, 1));
        String finished = completingTask("closient-bulk-qr");
        context.getRouteController().stopRoute("taskpoller-poll-scan-documents");
        String content = request("scan-documents", waiting, "w") + "\n" + request("closient-bulk-qr", finished, "f") + "\n";

        drop("twice.jsonl", content);
        InboxFolders.awaitMoved(inbox(), ".done", "twice.jsonl", 1);
        outbox("completed", 1);
        InFlightTasks inFlight = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
        await("the finished task to leave the in-flight table", () -> inFlight.get("closient-bulk-qr/" + finished) == null);
        drop("twice.jsonl", content);

        List<Path> done = InboxFolders.awaitMoved(inbox(), ".done", "twice.jsonl", 2);
        assertEquals(2, done.size(), "the first file is kept beside the second");
        for (Path file : done) {
            assertEquals(content, Files.readString(file));
        }
        List<JsonNode> rejected = outbox("rejected", 1);
        assertEquals(1, rejected.size());
        assertEquals("duplicate", rejected.get(0).get("reason").asText());
        String secondId = done.get(1).getFileName().toString().replaceAll("^twice@|\\.jsonl$", "");
        assertEquals("file:twice.jsonl@" + secondId + ":1", rejected.get(0).get("origin").asText());
        assertNotEquals(done.get(0).getFileName(), done.get(1).getFileName());
        assertEquals(List.of(finished, finished), outbox("completed", 2).stream().map(e -> e.get("subject").asText()).toList(),
                "the task that finished meanwhile is accepted and polled again");
    }

    @Test
    void aPartFileIsReadOnlyOnceItIsRenamedIntoTheInbox() throws Exception {
        String taskId = completingTask("scan-documents");
        String line = request("scan-documents", taskId, null) + "\n";
        Path part = inbox().resolve("late.jsonl.part");
        Files.createDirectories(inbox());
        // half a line, as a writer still at work leaves it
        Files.writeString(part, line.substring(0, 20));
        drop("marker.jsonl", "{not json\n");
        InboxFolders.awaitMoved(inbox(), ".done", "marker.jsonl", 1);

        assertTrue(Files.exists(part), "a scan passed the .part file by");
        Files.writeString(part, line.substring(20), StandardOpenOption.APPEND);
        Files.move(part, inbox().resolve("late.jsonl"));

        InboxFolders.awaitMoved(inbox(), ".done", "late.jsonl", 1);
        assertEquals(taskId, outbox("completed", 1).get(0).get("subject").asText());
        List<JsonNode> rejected = outbox("rejected", 1);
        assertEquals(1, rejected.size(), "only the marker's line: " + rejected);
        assertTrue(rejected.get(0).get("origin").asText().startsWith("file:marker.jsonl@"));
    }

    @Test
    void linesAppendedToAFileWhileItIsBeingReadAreReadToo() throws Exception {
        String early = completingTask("scan-documents");
        String late = completingTask("scan-documents");
        context.getRouteController().stopRoute("taskpoller-reject");

        drop("growing.jsonl", "{not json\n" + request("scan-documents", early, null) + "\n");
        // the first line's rejection waits for the reject route: the file is being read
        await("the first line to be submitted", () -> context.getInflightRepository().size("taskpoller-submission") > 0);
        Files.writeString(inbox().resolve("growing.jsonl"), request("scan-documents", late, null) + "\n[\"late\"]\n",
                StandardOpenOption.APPEND);
        context.getRouteController().startRoute("taskpoller-reject");

        Path done = InboxFolders.awaitMoved(inbox(), ".done", "growing.jsonl", 1).get(0);
        assertEquals(4, Files.readAllLines(done).size());
        assertEquals(List.of(early, late).stream().sorted().toList(),
                outbox("completed", 2).stream().map(e -> e.get("subject").asText()).sorted().toList());
        assertEquals(Map.of(1, "malformed_input", 4, "malformed_input"), reasonsByLine(outbox("rejected", 2)));
    }

    @Test
    void aFileThatFailsHalfWayGoesOnFromItsFirstLineNotDoneWithoutRepeatingOrSkippingAny() throws Exception {
        String second = completingTask("scan-documents");
        String fourth = completingTask("closient-bulk-qr");
        AtomicInteger attempts = new AtomicInteger();
        // the third line's rejection cannot be published twice (as when the broker is down), then it can
        AdviceWith.adviceWith(context, "taskpoller-reject", route -> route.weaveAddFirst().process(exchange -> {
            if (exchange.getMessage().getBody() instanceof Rejection rejection && rejection.origin().endsWith(":3")
                    && attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("injected: the rejection cannot be published");
            }
        }));

        drop("halfway.jsonl", String.join("\n", "{not json", request("scan-documents", second, null), "[3]",
                request("closient-bulk-qr", fourth, null), "nope") + "\n");

        List<Path> done = InboxFolders.awaitMoved(inbox(), ".done", "halfway.jsonl", 1);
        List<JsonNode> rejected = outbox("rejected", 3);
        List<JsonNode> completed = outbox("completed", 2);
        assertEquals(3, attempts.get(), "the third line failed twice, then went through");
        assertEquals(3, rejected.size(), "no rejection published twice: " + rejected);
        assertEquals(Map.of(1, "malformed_input", 3, "malformed_input", 5, "malformed_input"), reasonsByLine(rejected));
        assertEquals(List.of(fourth, second).stream().sorted().toList(),
                completed.stream().map(e -> e.get("subject").asText()).sorted().toList());
        assertEquals(1, done.size());
        assertEquals(1, sims.scanDocuments.pollsOf(second), "the task before the failure was not accepted again");
    }

    private String completingTask(String provider) {
        String taskId = newTaskId(provider);
        sims.of(provider).addTask(SimulatedTask.completing(taskId, 1));
        return taskId;
    }

    private Path inbox() {
        return dataDir.resolve("inbox");
    }

    private List<JsonNode> outbox(String stream, int atLeast) throws InterruptedException {
        return Outbox.await(dataDir.resolve("outbox").resolve(stream), atLeast, WAIT);
    }

    private void dropBytes(String name, byte[] content) throws Exception {
        Files.createDirectories(inbox());
        Path temp = inbox().resolve("." + name + ".tmp");
        Files.write(temp, content);
        Files.move(temp, inbox().resolve(name));
    }

    /** Line number (from the origin) to reason; a line rejected twice fails the map's construction. */
    private static Map<Integer, String> reasonsByLine(List<JsonNode> rejected) {
        Map<Integer, String> reasons = new TreeMap<>();
        for (JsonNode rejection : rejected) {
            String origin = rejection.get("origin").asText();
            int line = Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
            String previous = reasons.put(line, rejection.get("reason").asText());
            assertEquals(null, previous, "line " + line + " rejected twice: " + rejected);
        }
        return reasons;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
