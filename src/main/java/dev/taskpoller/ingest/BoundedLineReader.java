package dev.taskpoller.ingest;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ({@code \n} or {@code \r\n}) holding at most {@code maxBytes} of any one line: a
 * longer line is counted to its end, but only its start is kept. A byte-order mark at the very start is skipped.
 * The stream is read as it is consumed, and its end is its end only once the source is at rest: bytes a writer
 * appends meanwhile (a file still being written) are read too, and a last line is not cut short while it grows.
 */
final class BoundedLineReader implements Closeable {

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /**
     * One line, without its line break.
     *
     * @param size its length in bytes
     * @param kept all of it when {@code size <= maxBytes}, else its first {@code maxBytes} bytes or so
     */
    record RawLine(int number, long size, byte[] kept) {
    }

    /** Whether the source has stopped growing, asked when no byte is left to read; else the reader waits and reads on. */
    interface Source {
        boolean atRest();

        /** Waits a little before reading on. */
        void pause() throws IOException;
    }

    private static final Source FIXED = new Source() {
        @Override
        public boolean atRest() {
            return true;
        }

        @Override
        public void pause() {
        }
    };

    private final PushbackInputStream in;
    private final Source source;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private int number;
    private boolean started;

    BoundedLineReader(InputStream in, int maxBytes) {
        this(in, FIXED, maxBytes);
    }

    BoundedLineReader(InputStream in, Source source, int maxBytes) {
        this.in = new PushbackInputStream(in, BYTE_ORDER_MARK.length);
        this.source = source;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at the end of the stream. */
    RawLine next() throws IOException {
        if (!started) {
            skipByteOrderMark();
            started = true;
        }
        // one more byte than the cap, so that a line of exactly maxBytes followed by \r\n is still whole
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long size = 0;
        byte last = 0;
        while (true) {
            if (position == limit && !fill()) {
                if (size == 0) {
                    return null;
                }
                break;
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            int room = maxBytes + 1 - kept.size();
            if (room > 0) {
                kept.write(buffer, start, Math.min(room, length));
            }
            if (length > 0) {
                last = buffer[position - 1];
            }
            size += length;
            if (position < limit) {
                position++;
                break;
            }
        }
        number++;
        byte[] bytes = kept.toByteArray();
        if (last == '\r') {
            size--;
            if (bytes.length > size) {
                bytes = Arrays.copyOf(bytes, (int) size);
            }
        }
        return new RawLine(number, size, bytes);
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        while (read < 0 && !source.atRest()) {
            source.pause();
            read = in.read(buffer);
        }
        position = 0;
        limit = Math.max(read, 0);
        return read > 0;
    }

    private void skipByteOrderMark() throws IOException {
        byte[] start = in.readNBytes(BYTE_ORDER_MARK.length);
        if (!Arrays.equals(start, BYTE_ORDER_MARK)) {
            in.unread(start);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
