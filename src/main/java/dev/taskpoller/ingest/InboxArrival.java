package dev.taskpoller.ingest;

import java.nio.file.Path;

/**
 * One file as it arrived in the inbox. {@code id} tells this arrival apart from an earlier or later file of the same
 * name, and stays the same when the very same file is read again (after a failure, or after a restart).
 *
 * @param relativePath its path below the inbox, with {@code /} separators
 * @param identity     its path and the file system's key of the file (the inode): what a re-read has in common
 * @param doneName     where it moves once read, relative to the inbox: {@code .done/<dir>/<name>@<id>.<ext>}
 * @param errorName    where it moves when it cannot be read at all: {@code .error/<dir>/<name>@<id>.<ext>}
 */
public record InboxArrival(Path file, String relativePath, String identity, String id, String doneName, String errorName) {

    /** {@code file:<path>@<id>:<line>}: the origin of a line's task or rejection. */
    public String origin(int line) {
        return "file:" + relativePath + "@" + id + ":" + line;
    }
}
