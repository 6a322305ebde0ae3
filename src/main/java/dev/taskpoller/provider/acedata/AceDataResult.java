package dev.taskpoller.provider.acedata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.ResultFile;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The normalised result of a successful QR-art task: its one image, plus the seed and creation time as extras. */
final class AceDataResult {

    private AceDataResult() {
    }

    /** Empty when the successful response has no image URL: a success without its image is not a result. */
    static Optional<ObjectNode> of(JsonNode task, JsonNode response) {
        String url = Json.text(response, "image_url");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String name = ResultFile.lastPathSegment(url, url); // a URL that is not a URI: its own last segment
        String type = name != null && name.toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : null;
        ResultFile image = new ResultFile(url, name, type, null,
                Json.integer(response, "image_width"), Json.integer(response, "image_height"), null);
        ObjectNode result = ResultFile.resultWith(List.of(image));
        JsonNode seed = response.get("seed");
        if (seed != null && !seed.isNull()) {
            result.set("seed", seed);
        }
        // created_at is epoch seconds with a fraction; an instant reads the same whatever the provider.
        JsonNode createdAt = task.get("created_at");
        if (createdAt != null && createdAt.isNumber()) {
            result.put("taskCreatedAt", Instant.ofEpochMilli(Math.round(createdAt.doubleValue() * 1000)).toString());
        }
        return Optional.of(result);
    }
}
