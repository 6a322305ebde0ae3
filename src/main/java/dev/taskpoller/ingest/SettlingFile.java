package dev.taskpoller.ingest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * An inbox file as a source of lines. It is at its end when no byte is left and it has not changed since it was
 * opened (the read lock waited for it to settle before), or, when it has, once it stays unchanged for the settle
 * time: a file written to while it is being read is read on instead of being moved away with its last lines still
 * to come. Changes are compared with each other, never the file's time with this clock, which may differ (a network
 * file system).
 */
final class SettlingFile implements BoundedLineReader.Source {

    private final Path file;
    private final long settleMillis;
    private String seen;
    private boolean changed;
    private long changedAt;

    SettlingFile(Path file, long settleMillis) {
        this.file = file;
        this.settleMillis = settleMillis;
        this.seen = state();
    }

    @Override
    public boolean atRest() {
        String now = state();
        if (!Objects.equals(now, seen)) {
            seen = now;
            changed = true;
            changedAt = System.nanoTime();
            return false;
        }
        return !changed || System.nanoTime() - changedAt >= settleMillis * 1_000_000;
    }

    /** Size and modification time; a file gone (moved, deleted) stays as it was last seen. */
    private String state() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime();
        } catch (IOException gone) {
            return seen;
        }
    }

    @Override
    public void pause() throws IOException {
        try {
            Thread.sleep(Math.max(1, Math.min(settleMillis, 50)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while waiting for " + file + " to be complete");
        }
    }
}
