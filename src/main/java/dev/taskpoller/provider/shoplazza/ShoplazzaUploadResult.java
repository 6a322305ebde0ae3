package dev.taskpoller.provider.shoplazza;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.ResultFile;
import dev.taskpoller.provider.TaskError;
import java.util.ArrayList;
import java.util.List;

/**
 * What a finished ({@code status} 0) upload task means. Shoplazza has one "done" status for every ending, so the
 * lists decide (the docs are silent; this is our decision):
 * <ul>
 *   <li>any file in {@code success_list}: {@code COMPLETED}, even when others failed. The uploaded files are usable,
 *       and failing the task would hide them; {@code partialFailure} is then true and {@code failureList} says which.</li>
 *   <li>nothing succeeded but {@code failure_list} has files: {@code FAILED} ({@code provider_failed},
 *       "all N files failed to upload"), still carrying both lists as its result.</li>
 *   <li>both lists empty and {@code total} 0: {@code COMPLETED} with no files (an empty upload did all it had to).</li>
 *   <li>both lists empty while {@code total} is not 0 (or missing): files are unaccounted for, so it is a retryable
 *       {@code bad_response}, never a silent success.</li>
 * </ul>
 * A file's {@code url} is its {@code upload_link} (the CDN copy); the docs' own example leaves it empty, and then
 * {@code url} is null rather than an invented link. {@code name} is the store-relative {@code file_uri}.
 */
final class ShoplazzaUploadResult {

    private ShoplazzaUploadResult() {
    }

    static PollOutcome of(JsonNode task, ProviderReply reply) {
        JsonNode successes = listOrEmpty(task, "success_list");
        JsonNode failures = listOrEmpty(task, "failure_list");
        JsonNode origins = listOrEmpty(task, "origin_list");
        if (successes == null || failures == null || origins == null) {
            return HttpReplies.badResponse(reply, "Shoplazza task lists are not arrays");
        }
        List<ResultFile> files = new ArrayList<>();
        for (JsonNode item : successes) {
            if (!item.isObject()) {
                return HttpReplies.badResponse(reply, "Shoplazza success_list item is not an object");
            }
            String link = Json.text(item, "upload_link");
            files.add(new ResultFile(link == null || link.isBlank() ? null : link, Json.text(item, "file_uri"),
                    null, null, null, null, null));
        }
        ObjectNode result = ResultFile.resultWith(files);
        result.set("successList", successes);
        result.set("failureList", failures);
        result.set("originList", origins);
        result.set("total", task.path("total").isMissingNode() ? NullNode.getInstance() : task.get("total"));
        result.set("finished", task.path("finished").isMissingNode() ? NullNode.getInstance() : task.get("finished"));
        result.put("partialFailure", !successes.isEmpty() && !failures.isEmpty());

        if (!successes.isEmpty()) {
            return PollOutcome.completed(result, reply.body());
        }
        if (!failures.isEmpty()) {
            String message = "all " + failures.size() + " files failed to upload";
            return PollOutcome.failed(new TaskError(TaskError.PROVIDER_FAILED, message, null), result, reply.body());
        }
        JsonNode total = task.get("total");
        if (total != null && total.isIntegralNumber() && total.asLong() == 0) {
            return PollOutcome.completed(result, reply.body());
        }
        return HttpReplies.badResponse(reply, "Shoplazza task finished with " + (total == null ? "no total" : "total " + total)
                + " but no file in success_list or failure_list");
    }

    /** The array (copied), an empty array when missing or null, or null when it is something else. */
    private static ArrayNode listOrEmpty(JsonNode task, String field) {
        JsonNode value = task.get(field);
        if (value == null || value.isNull()) {
            return Json.MAPPER.createArrayNode();
        }
        return value.isArray() ? (ArrayNode) value.deepCopy() : null;
    }
}
