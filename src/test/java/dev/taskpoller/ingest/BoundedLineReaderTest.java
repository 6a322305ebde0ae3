package dev.taskpoller.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedLineReaderTest {

    @Test
    void aLineLongerThanTheCapIsCountedToItsEndButOnlyItsStartIsKept() throws Exception {
        long tenMegabytes = 10L * 1024 * 1024;
        InputStream content = new SequenceInputStream(Collections.enumeration(List.of(
                bytes("{\""), new RepeatedByte('x', tenMegabytes), bytes("\"}\r\nnext\n"))));
        try (BoundedLineReader lines = new BoundedLineReader(content, 100)) {
            BoundedLineReader.RawLine huge = lines.next();
            assertEquals(tenMegabytes + 4, huge.size());
            assertTrue(huge.kept().length <= 101, "kept " + huge.kept().length + " bytes");
            assertEquals("{\"xxx", new String(huge.kept(), 0, 5, StandardCharsets.UTF_8));
            BoundedLineReader.RawLine next = lines.next();
            assertEquals(2, next.number());
            assertArrayEquals(bytes("next").readAllBytes(), next.kept());
            assertNull(lines.next());
        }
    }

    @Test
    void aByteOrderMarkAndCrLfAreNoPartOfALineAndTheLastLineNeedsNoLineBreak() throws Exception {
        byte[] content = ("\uFEFFfirst\r\n\r\nthird").getBytes(StandardCharsets.UTF_8);
        try (BoundedLineReader lines = new BoundedLineReader(new ByteArrayInputStream(content), 5)) {
            assertEquals("first", text(lines.next()));
            BoundedLineReader.RawLine blank = lines.next();
            assertEquals(2, blank.number());
            assertEquals(0, blank.size());
            BoundedLineReader.RawLine third = lines.next();
            assertEquals(3, third.number());
            assertEquals("third", text(third));
            assertNull(lines.next());
        }
    }

    @Test
    void aSourceNotAtRestIsReadOnSoThatALastLineStillBeingWrittenIsReadWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("growing.jsonl");
        Files.writeString(file, "first\n{\"par");
        AtomicInteger pauses = new AtomicInteger();
        BoundedLineReader.Source writerStillAtWork = new BoundedLineReader.Source() {
            @Override
            public boolean atRest() {
                return pauses.get() > 0;
            }

            @Override
            public void pause() throws IOException {
                pauses.incrementAndGet();
                Files.writeString(file, "tial\"}\nthird\n", StandardOpenOption.APPEND);
            }
        };
        try (BoundedLineReader lines = new BoundedLineReader(Files.newInputStream(file), writerStillAtWork, 100)) {
            assertEquals("first", text(lines.next()));
            assertEquals("{\"partial\"}", text(lines.next()));
            assertEquals("third", text(lines.next()));
            assertNull(lines.next());
        }
        assertEquals(1, pauses.get());
    }

    @Test
    void anEmptyStreamHasNoLines() throws Exception {
        try (BoundedLineReader lines = new BoundedLineReader(new ByteArrayInputStream(new byte[0]), 5)) {
            assertNull(lines.next());
        }
    }

    private static String text(BoundedLineReader.RawLine line) {
        assertEquals(line.size(), line.kept().length);
        return new String(line.kept(), StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code count} times the same byte, made as it is read: the test itself never holds the huge line. */
    private static final class RepeatedByte extends InputStream {
        private final int value;
        private long left;

        RepeatedByte(char value, long count) {
            this.value = value;
            this.left = count;
        }

        @Override
        public int read() {
            return left-- > 0 ? value : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            Arrays.fill(buffer, offset, offset + n, (byte) value);
            left -= n;
            return n;
        }
    }
}
