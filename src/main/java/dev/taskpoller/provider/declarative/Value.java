package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.jayway.jsonpath.JsonPath;

/**
 * A mapped value: a JSONPath read on the reply ({@code $.expires_at}) or, for text that is not one, that text as a
 * constant ({@code application/zip}). {@code type} keeps a value only when it has that JSON type, so a provider that
 * sends {@code "3"} where a count belongs gives null, never a wrong type in the event.
 */
record Value(JsonPath path, String constant, Type type) {

    enum Type {
        ANY, TEXT, INTEGER, NUMBER, BOOLEAN;

        boolean accepts(JsonNode node) {
            return switch (this) {
                case ANY -> true;
                case TEXT -> node.isValueNode();
                case INTEGER -> node.isIntegralNumber();
                case NUMBER -> node.isNumber();
                case BOOLEAN -> node.isBoolean();
            };
        }
    }

    static Value of(String source, Type type) {
        return source.startsWith("$") ? new Value(JsonPaths.compile(source), null, type) : new Value(null, source, type);
    }

    JsonNode read(JsonNode document) {
        JsonNode node = path == null ? TextNode.valueOf(constant) : JsonPaths.read(path, document);
        if (node == null || !type.accepts(node)) {
            return null;
        }
        return type == Type.TEXT && !node.isTextual() ? TextNode.valueOf(node.asText()) : node;
    }

    String text(JsonNode document) {
        JsonNode node = read(document);
        return node == null ? null : node.asText();
    }
}
