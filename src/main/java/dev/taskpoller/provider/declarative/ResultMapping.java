package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.JsonPath;
import dev.taskpoller.provider.ResultFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a completed (or failed) reply becomes the event's {@code result}: its {@code files}, read from the body or from
 * each element of an array in it ({@code each}), and the provider's extras, each under its own name.
 */
record ResultMapping(Files files, Map<String, Value> extras) {

    /** Each value is read on the element of {@code each} (on the whole body without one); a file without a URL is left out. */
    record Files(JsonPath each, Value url, Value name, Value contentType, Value size, Value width, Value height,
                 Value expiresAt) {

        List<ResultFile> read(JsonNode body) {
            List<JsonNode> elements = new ArrayList<>();
            if (each == null) {
                elements.add(body);
            } else {
                JsonNode array = JsonPaths.read(each, body);
                if (array != null && array.isArray()) {
                    array.forEach(elements::add);
                }
            }
            List<ResultFile> files = new ArrayList<>();
            for (JsonNode element : elements) {
                String fileUrl = url.text(element);
                if (fileUrl == null || fileUrl.isBlank()) {
                    continue;
                }
                // without a mapped name, the file is named by its URL's last path segment (its signature left out)
                String fileName = name == null ? ResultFile.lastPathSegment(fileUrl, null) : name.text(element);
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

    ObjectNode read(JsonNode body) {
        ObjectNode result = ResultFile.resultWith(files == null ? List.of() : files.read(body));
        extras.forEach((name, value) -> result.set(name, value.read(body)));
        return result;
    }
}
