package dev.taskpoller.provider;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.taskpoller.text.Unicode;
import java.util.Optional;

/** The one shared Jackson mapper, and the few tolerant reads every adapter needs. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            // named, not found on the class path: the JSON is the same whatever Jackson modules a host application has
            .registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            // a provider's numbers are carried as they were written (1720497708.318, not 1.720497708318E9)
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private Json() {
    }

    /** The body as a JSON tree, or empty when it is not JSON at all. */
    public static Optional<JsonNode> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(MAPPER.readTree(body));
        } catch (Exception notJson) {
            return Optional.empty();
        }
    }

    /** The text as it is written between the quotes of a JSON string, for templates that put it inside one. */
    public static String inString(String text) {
        String quoted = write(text);
        return quoted.substring(1, quoted.length() - 1);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The value as JSON text that is always valid Unicode (see {@link Unicode#wellFormed}), so it can be written as UTF-8. */
    public static String write(Object value) {
        try {
            return Unicode.wellFormed(MAPPER.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Whether every text and field name in this tree is valid Unicode (no unpaired surrogate). */
    public static boolean isWellFormed(JsonNode node) {
        if (node.isTextual()) {
            return Unicode.firstUnpairedSurrogate(node.textValue()) < 0;
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (Unicode.firstUnpairedSurrogate(field.getKey()) >= 0 || !isWellFormed(field.getValue())) {
                return false;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (!isWellFormed(element)) {
                    return false;
                }
            }
        }
        return true;
    }


    /** A text field, or null when missing, null or not text. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    /** A whole number that fits an int, or null when missing, null or not such a number. */
    public static Integer integer(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToInt() ? value.intValue() : null;
    }

    /** A whole number that fits a long, or null when missing, null or not such a number. */
    public static Long longNumber(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : null;
    }
}
