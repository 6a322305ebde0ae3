package dev.taskpoller.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxSlicesTest {

    @TempDir
    Path inbox;

    @Test
    void theSlicesOfAFileSayTheyHaveEndedAsOftenAsTheyAreAskedAfterTheEnd() throws Exception {
        Path file = Files.createDirectories(inbox.resolve("scan-documents")).resolve("blank.txt");
        Files.writeString(file, "\n  \n\n");
        InboxFileReader reader = new InboxFileReader(null, inbox, 1024, 0, 2);
        try (CamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            InboxArrival arrival = reader.arrival(file.toFile(), "scan-documents/blank.txt");
            Iterator<List<InboxLine>> slices = reader.slices(arrival, exchange);

            assertTrue(slices.hasNext(), "the last look at the end is promised");
            assertTrue(slices.next().isEmpty(), "a file of blank lines has no line to submit");
            assertFalse(slices.hasNext(), "the end, after the last look");
            // Camel's split asks once more when its last slice completed on another thread: by then the file is closed
            assertFalse(slices.hasNext(), "still the end, without reading the closed file");
        }
    }
}
