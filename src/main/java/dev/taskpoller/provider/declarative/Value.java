package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.jayway.jsonpath.JsonPath;
import dev.taskpoller.provider.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A mapped value: JSONPaths read on the reply in order, the first that leads to a value of the wanted type winning
 * ({@code [$.url, $.download_url]}), or, for text that is not a JSONPath, that text as a constant
 * ({@code application/zip}); or an object of such values. {@code type} keeps a value only when it has that JSON type,
 * so a provider that sends {@code "3"} where a count belongs gives null, never a wrong type in the event.
 */
interface Value {

    JsonNode read(JsonNode document);

    default String text(JsonNode document) {
        JsonNode node = read(document);
        return node == null ? null : node.asText();
    }

    /** {@code EPOCH_SECONDS} ({@code epoch-seconds}): a number of seconds since 1970, fraction and all, as an instant. */
    enum Type {
        ANY, TEXT, INTEGER, NUMBER, BOOLEAN, EPOCH_SECONDS;

        boolean accepts(JsonNode node) {
            return switch (this) {
                case ANY -> true;
                case TEXT -> node.isValueNode();
                case INTEGER -> node.isIntegralNumber();
                case NUMBER, EPOCH_SECONDS -> node.isNumber();
                case BOOLEAN -> node.isBoolean();
            };
        }

        /** The value as the event carries it: an instant in ISO-8601 (to the millisecond) for epoch seconds. */
        JsonNode convert(JsonNode node) {
            return switch (this) {
                case TEXT -> node.isTextual() ? node : TextNode.valueOf(node.asText());
                case EPOCH_SECONDS -> TextNode.valueOf(Instant.ofEpochMilli(Math.round(node.doubleValue() * 1000)).toString());
                default -> node;
            };
        }
    }

    /** @throws IllegalArgumentException when a source that starts with $ is not a JSONPath */
    static Value of(List<String> sources, Type type) {
        if (sources.size() == 1 && !sources.get(0).startsWith("$")) {
            TextNode constant = TextNode.valueOf(sources.get(0));
            return document -> constant;
        }
        List<JsonPath> paths = sources.stream().map(JsonPaths::compile).toList();
        return document -> {
            for (JsonPath path : paths) {
                JsonNode node = JsonPaths.read(path, document);
                if (node != null && type.accepts(node)) {
                    return type.convert(node);
                }
            }
            return null;
        };
    }

    /** An object of values. */
    static Value object(Map<String, Value> fields) {
        return document -> {
            ObjectNode object = Json.object();
            fields.forEach((name, value) -> object.set(name, value.read(document)));
            return object;
        };
    }
}
