package dev.taskpoller.sim.scandocuments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Renders a simulated task as Scan Documents' documented task object. */
final class ScanDocumentsTasks {

    static final String IMAGE_NAME = "Example Image";
    static final long IMAGE_SIZE = 48213;
    static final int IMAGE_WIDTH = 800;
    static final int IMAGE_HEIGHT = 600;

    /** The result of an {@code extract-text} task. */
    record Text(String format, String content) {
    }

    private ScanDocumentsTasks() {
    }

    /** {@code text} is null for the default {@code apply-effect} task. */
    static ObjectNode render(SimulatedTask task, SimulatedTask.Phase phase, Text text) {
        String id = task.id();
        String createdAt = Instant.ofEpochMilli(task.createdAtMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode object = Json.object().put("id", id).put("operation", text == null ? "apply-effect" : "extract-text");
        ObjectNode parameters = object.putObject("parameters").put("input", inputFileOf(id));
        if (text == null) {
            parameters.put("name", IMAGE_NAME).put("effect", "grayscale");
        } else {
            parameters.put("format", text.format());
        }
        object.put("status", status(phase));
        ObjectNode result = object.putObject("result");
        if (phase == SimulatedTask.Phase.COMPLETED && text != null) {
            result.put("format", text.format()).put("content", text.content());
        } else if (phase == SimulatedTask.Phase.COMPLETED) {
            ObjectNode file = result.putArray("generated_files").addObject()
                    .put("id", generatedFileOf(id))
                    .put("name", IMAGE_NAME)
                    .put("type", "image/png");
            file.putObject("properties").put("size", IMAGE_SIZE).put("width", IMAGE_WIDTH).put("height", IMAGE_HEIGHT);
            file.put("task_id", id).put("created_at", createdAt);
        } else if (phase == SimulatedTask.Phase.FAILED) {
            result.put("error", task.failureMessage());
            result.putObject("details").put("input", inputFileOf(id)).put("stage", object.get("operation").asText());
        }
        object.putNull("callback_url");
        object.put("created_at", createdAt);
        // in whole seconds, as the docs show it; a task that ended keeps the instant it ended
        Instant ended = task.endedAt();
        object.put("updated_at", phase == SimulatedTask.Phase.QUEUED ? createdAt
                : (ended != null ? ended : Instant.now()).truncatedTo(ChronoUnit.SECONDS).toString());
        return object;
    }

    private static String status(SimulatedTask.Phase phase) {
        return switch (phase) {
            case QUEUED -> "pending";
            case RUNNING -> "processing";
            case COMPLETED -> "completed";
            case FAILED -> "failed";
        };
    }

    /** The file ids share the task id's suffix, as in the documented example. */
    static String generatedFileOf(String taskId) {
        return "file_" + taskId.substring("task_".length());
    }

    static String inputFileOf(String taskId) {
        return "file_" + new StringBuilder(taskId.substring("task_".length())).reverse();
    }
}
