package dev.taskpoller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxProgressTest {

    @TempDir
    Path inbox;

    @Test
    void aFileReadAgainAfterAKillGoesOnFromItsLastSliceDone() {
        InboxArrival arrival = arrival("scan-documents/ids.txt", "a1b2c3");
        InboxProgress beforeTheKill = new InboxProgress(inbox.resolve(".progress"));
        beforeTheKill.arrival(arrival.identity(), () -> arrival);
        beforeTheKill.done(arrival, 500);
        beforeTheKill.done(arrival, 1000);

        InboxProgress afterTheRestart = new InboxProgress(inbox.resolve(".progress"));
        InboxArrival again = afterTheRestart.arrival(arrival.identity(), () -> arrival);

        assertEquals(1000, afterTheRestart.linesDone(again));
    }

    @Test
    void aFileThatLeftTheInboxLeavesNoProgressBehindAndAnotherPathWithTheSameIdStartsAtItsTop() throws Exception {
        InboxArrival arrival = arrival("scan-documents/ids.txt", "d4e5f6");
        InboxProgress progress = new InboxProgress(inbox.resolve(".progress"));
        progress.arrival(arrival.identity(), () -> arrival);
        progress.done(arrival, 500);
        InboxArrival other = arrival("acedata-qrart/ids.txt", "d4e5f6");
        InboxProgress restarted = new InboxProgress(inbox.resolve(".progress"));
        assertEquals(0, restarted.linesDone(restarted.arrival(other.identity(), () -> other)));

        progress.forget(arrival);

        try (var left = Files.list(inbox.resolve(".progress"))) {
            assertEquals(0, left.count());
        }
    }

    private InboxArrival arrival(String relativePath, String id) {
        return new InboxArrival(inbox.resolve(relativePath), relativePath, relativePath + "|inode", id,
                ".done/" + relativePath, ".error/" + relativePath);
    }
}
