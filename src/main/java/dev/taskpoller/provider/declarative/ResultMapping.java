package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.JsonPath;
import dev.taskpoller.provider.ResultFile;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a completed (or failed) reply becomes the event's {@code result}: its {@code files}, read from the body or from
 * each element of an array in it ({@code each}), the provider's extras, each under its own name (null when the reply
 * does not have it), and when the provider says the task finished.
 */
record ResultMapping(Files files, Map<String, Value> extras, Value finishedAt) {

    /**
     * Each value is read on the element of {@code each}, every element a file; without {@code each}, on the whole
     * body, and there is a file only when it has a URL.
     */
    record Files(JsonPath each, Value url, Value name, Value contentType, Value size, Value width, Value height,
                 Value expiresAt) {

        List<ResultFile> read(JsonNode body) {
            List<JsonNode> elements = new ArrayList<>();
            if (each == null) {
                if (url.text(body) != null && !url.text(body).isBlank()) {
                    elements.add(body);
                }
            } else {
                JsonNode array = JsonPaths.read(each, body);
                if (array != null && array.isArray()) {
                    array.forEach(elements::add);
                }
            }
            List<ResultFile> files = new ArrayList<>();
            for (JsonNode element : elements) {
                String fileUrl = url.text(element);
                // a blank link is no link (Shoplazza's documented example leaves upload_link empty)
                fileUrl = fileUrl == null || fileUrl.isBlank() ? null : fileUrl;
                // without a mapped name, the file is named by its URL's last path segment (its signature left out)
                String fileName = name != null ? name.text(element)
                        : fileUrl == null ? null : ResultFile.lastPathSegment(fileUrl, null);
                files.add(new ResultFile(fileUrl, fileName, text(contentType, element), number(size, element),
                        integer(width, element), integer(height, element), text(expiresAt, element)));
            }
            return files;
        }

        private static String text(Value value, JsonNode element) {
            return value == null ? null : value.text(element);
        }

        private static Long number(Value value, JsonNode element) {
            JsonNode node = value == null ? null : value.read(element);
            return node != null && node.canConvertToLong() ? node.longValue() : null;
        }

        private static Integer integer(Value value, JsonNode element) {
            JsonNode node = value == null ? null : value.read(element);
            return node != null && node.canConvertToInt() ? node.intValue() : null;
        }
    }

    static final ResultMapping NONE = new ResultMapping(null, Map.of(), null);

    ObjectNode read(JsonNode body) {
        ObjectNode result = ResultFile.resultWith(files == null ? List.of() : files.read(body));
        extras.forEach((name, value) -> result.set(name, value.read(body)));
        return result;
    }

    /** When the provider says the task finished, or null when it does not say or says something unreadable. */
    Instant finishedAt(JsonNode body) {
        String text = finishedAt == null ? null : finishedAt.text(body);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
