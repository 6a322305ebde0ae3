package dev.taskpoller.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds inbox files where taskpoller moved them: {@code .done/<dir>/<name>@<arrival id>.<ext>} (or {@code .error/}). */
public final class InboxFolders {

    private InboxFolders() {
    }

    /** The files {@code relativePath} became in {@code folder} (.done or .error), one per arrival, oldest first. */
    public static List<Path> moved(Path inbox, String folder, String relativePath) {
        Path target = inbox.resolve(folder).resolve(relativePath);
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Pattern pattern = Pattern.compile(Pattern.quote(name.substring(0, dot)) + "@[0-9a-f]+(-[0-9]+)?"
                + Pattern.quote(name.substring(dot)));
        if (!Files.isDirectory(target.getParent())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(target.getParent())) {
            return files.filter(file -> pattern.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(InboxFolders::lastModified))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 30 s) until {@code relativePath} has been moved to {@code folder} {@code count} times. */
    public static List<Path> awaitMoved(Path inbox, String folder, String relativePath, int count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Path> moved = moved(inbox, folder, relativePath);
        while (moved.size() < count && System.nanoTime() < until) {
            Thread.sleep(100);
            moved = moved(inbox, folder, relativePath);
        }
        if (moved.size() < count) {
            throw new AssertionError(relativePath + " should have been moved to " + folder + "/ " + count
                    + " time(s), found " + moved);
        }
        return moved;
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
