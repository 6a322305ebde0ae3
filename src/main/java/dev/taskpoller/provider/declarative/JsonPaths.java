package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.taskpoller.provider.Json;

/** JSONPath (the Jayway engine camel-jsonpath uses) read straight on taskpoller's Jackson trees. */
final class JsonPaths {

    private static final Configuration ON_JACKSON = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
            .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
            // a path that leads nowhere is a missing value, not an error: the rules decide what missing means
            .options(Option.SUPPRESS_EXCEPTIONS)
            .build();

    private JsonPaths() {
    }

    /** @throws IllegalArgumentException naming what is wrong with the expression */
    static JsonPath compile(String expression) {
        if (expression == null || !expression.startsWith("$")) {
            throw new IllegalArgumentException("'" + expression + "' is not a JSONPath (it starts with $)");
        }
        try {
            return JsonPath.compile(expression);
        } catch (RuntimeException invalid) {
            throw new IllegalArgumentException("'" + expression + "' is not a valid JSONPath: " + invalid.getMessage());
        }
    }

    /** The value the path leads to as JSON, or null when it leads nowhere or to null. */
    static JsonNode read(JsonPath path, JsonNode document) {
        if (document == null) {
            return null;
        }
        Object value = path.read(document, ON_JACKSON);
        JsonNode node = value instanceof JsonNode json ? json : Json.MAPPER.valueToTree(value);
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /** The value as text when it is a single value (text, number, boolean), else null. */
    static String text(JsonPath path, JsonNode document) {
        JsonNode value = read(path, document);
        return value != null && value.isValueNode() ? value.asText() : null;
    }
}
