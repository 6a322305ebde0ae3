package dev.taskpoller.provider.scandocuments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.ResultFile;
import dev.taskpoller.provider.TaskError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reads one Scan Documents task object into an outcome. */
final class ScanDocumentsTask {

    private ScanDocumentsTask() {
    }

    static PollOutcome outcome(JsonNode task, ProviderReply reply) {
        String status = Json.text(task, "status");
        if (status == null) {
            return HttpReplies.badResponse(reply, "task without a status");
        }
        JsonNode result = task.path("result");
        return switch (status) {
            case "pending", "processing" -> PollOutcome.running(reply.body());
            case "completed" -> completed(task, result, reply).finishedAt(updatedAt(task));
            case "failed" -> failed(result, reply).finishedAt(updatedAt(task));
            default -> HttpReplies.badResponse(reply, "unknown task status " + status);
        };
    }

    /**
     * File-producing operations answer {@code generated_files}, {@code extract-text} answers {@code format} and
     * {@code content}; a completed task with neither is a shape we do not know.
     */
    private static PollOutcome completed(JsonNode task, JsonNode result, ProviderReply reply) {
        JsonNode generated = result.get("generated_files");
        ObjectNode normalised;
        if (generated != null && generated.isArray()) {
            normalised = ResultFile.resultWith(files(generated));
            normalised.set("generatedFiles", generated);
        } else if (result.hasNonNull("content")) {
            normalised = ResultFile.resultWith(List.of());
            normalised.putObject("text")
                    .put("format", Json.text(result, "format"))
                    .put("content", Json.text(result, "content"));
        } else {
            return HttpReplies.badResponse(reply, "completed task without generated_files or content");
        }
        normalised.put("operation", Json.text(task, "operation"));
        return PollOutcome.completed(normalised, reply.body());
    }

    /** A finished task's {@code updated_at} is when it finished; null when missing or unreadable. */
    private static Instant updatedAt(JsonNode task) {
        String text = Json.text(task, "updated_at");
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static List<ResultFile> files(JsonNode generated) {
        List<ResultFile> files = new ArrayList<>();
        for (JsonNode file : generated) {
            JsonNode properties = file.path("properties");
            // No download URL is documented (files are fetched by id); take one only if the provider sends it.
            String url = Json.text(file, "url") != null ? Json.text(file, "url") : Json.text(file, "download_url");
            files.add(new ResultFile(url, Json.text(file, "name"), Json.text(file, "type"),
                    Json.longNumber(properties, "size"), Json.integer(properties, "width"),
                    Json.integer(properties, "height"), null));
        }
        return files;
    }

    private static PollOutcome failed(JsonNode result, ProviderReply reply) {
        String error = Json.text(result, "error");
        JsonNode details = result.get("details");
        boolean hasDetails = details != null && !details.isNull();
        String message = (error == null ? "task failed" : error) + (hasDetails ? " " + Json.write(details) : "");
        ObjectNode normalised = null;
        if (hasDetails) {
            normalised = ResultFile.resultWith(List.of());
            normalised.set("details", details);
        }
        return PollOutcome.failed(new TaskError(TaskError.PROVIDER_FAILED, message, null), normalised, reply.body());
    }
}
