package dev.taskpoller.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the JSON Lines files taskpoller writes under an outbox folder (completed/, failed/, rejected/). */
public final class Outbox {

    private Outbox() {
    }

    /** The events in {@code folder} once there are at least {@code atLeast}; fails after {@code wait}. */
    public static List<JsonNode> await(Path folder, int atLeast, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        List<JsonNode> events = events(folder);
        while (events.size() < atLeast && System.nanoTime() < until) {
            Thread.sleep(100);
            events = events(folder);
        }
        if (events.size() < atLeast) {
            throw new AssertionError("expected " + atLeast + " events in " + folder + ", found " + events);
        }
        return events;
    }

    /** Every complete line of every {@code .jsonl} file in {@code folder}, as JSON; empty while it does not exist. */
    public static List<JsonNode> events(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<JsonNode> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                // a line still being appended has no newline yet
                for (String line : content.substring(0, content.lastIndexOf('\n') + 1).split("\n")) {
                    if (!line.isBlank()) {
                        events.add(Json.parse(line).orElseThrow(() -> new AssertionError("not JSON in " + file + ": " + line)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
