package dev.taskpoller.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the half-written last line an outbox file may keep after a {@code kill -9}: Linux ends a large write early
 * when the process is killed during it. That line's task had not ended yet (its end commits only after the append
 * returned), so the rebuild writes the whole line again; cutting the half keeps every line of the file JSON.
 * Run as the instance starts, before it publishes: the outbox folder is this instance's own.
 */
public final class OutboxRepair {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRepair.class);
    private static final int TAIL = 64 * 1024;

    private OutboxRepair() {
    }

    /** Repairs the JSON Lines files of {@code outbox}'s completed/ and failed/ folders; returns how many it cut. */
    public static int repair(Path outbox) {
        int cut = 0;
        for (String stream : List.of("completed", "failed")) {
            Path folder = outbox.resolve(stream);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
                    if (cutHalfLine(file)) {
                        cut++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the outbox folder " + folder, e);
            }
        }
        return cut;
    }

    private static boolean cutHalfLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size == 0 || lastByte(channel, size) == '\n') {
                return false;
            }
            long keep = afterLastLineEnd(channel, size);
            channel.truncate(keep);
            LOG.warn("The outbox file {} ended in a line cut by a crash ({} bytes): cut off; its event is written"
                    + " again in full when its task's partition is rebuilt", file, size - keep);
            return true;
        }
    }

    private static byte lastByte(FileChannel channel, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, size - 1);
        return one.get(0);
    }

    /** Where the last complete line ends (0 when the file has none). */
    private static long afterLastLineEnd(FileChannel channel, long size) throws IOException {
        long end = size;
        ByteBuffer buffer = ByteBuffer.allocate(TAIL);
        while (end > 0) {
            long start = Math.max(0, end - TAIL);
            buffer.clear().limit((int) (end - start));
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
                // reads the whole slice
            }
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }
}
