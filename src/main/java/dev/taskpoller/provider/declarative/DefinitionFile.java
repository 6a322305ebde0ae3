package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskpoller.provider.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A provider definition as its file says it, bound by Jackson; the fields are the JSON Schema's
 * (config/provider-definition.schema.json), which has already checked their shape (apiVersion, kind, a parameter's
 * format and the like are the schema's alone, so they are not bound). A field left out is null.
 */
record DefinitionFile(Metadata metadata, Spec spec) {

    /**
     * A field given as one value or a list of them ({@code message: done} or {@code message: [a, b]}) is a list; an
     * unknown field is the schema's to name, so it is not the binding's to refuse.
     */
    private static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @throws IllegalArgumentException when the tree cannot be bound (a shape the schema has already named) */
    static DefinitionFile bind(JsonNode tree) {
        return MAPPER.convertValue(tree, DefinitionFile.class);
    }

    record Metadata(String name) {
    }

    record Spec(Parameters definition, StatusCallSpec statusCall, List<String> errorMessage, List<String> notJson,
                List<Rule> acceptors, Result result, PushSpec push, Map<String, String> simulator, String adapter) {
    }

    record Parameters(List<String> required, Map<String, Property> properties) {
    }

    record Property(String title, String description, String type, @JsonProperty("default") JsonNode fallback,
                    String pattern, JsonNode example) {
    }

    record StatusCallSpec(String method, String path, Map<String, String> headers, Auth auth, String body, Batch batch) {
    }

    record Auth(String header, String scheme) {
    }

    record Batch(Integer maxSize, String body, String items, String itemId, String count, List<String> noItems,
                 Missing missing, List<String> incomplete) {
    }

    record Missing(String reason, List<String> message) {
    }

    record Rule(List<String> status, List<Condition> match, String state, String reason, List<String> message,
                Result result, String unwrap) {
    }

    record Condition(String path, @JsonProperty("equals") List<String> values, Boolean missing, Boolean not,
                     String matches, String type, Boolean every) {
    }

    record Result(Files files, Map<String, Extra> extras, List<String> finishedAt) {
    }

    record Files(String each, List<String> url, List<String> name, List<String> contentType, List<String> size,
                 List<String> width, List<String> height, List<String> expiresAt) {
    }

    record PushSpec(String verify, List<Condition> ends, String task, String taskId) {
    }

    /**
     * An extra, in one of its forms: a JSONPath or a list of them ({@code path}), {@code {path, type, default}},
     * {@code {object: {<name>: <extra>}}}, or {@code {holds: [conditions]}}.
     */
    record Extra(List<String> path, String type, JsonNode fallback, Map<String, Extra> object, List<Condition> holds) {

        private record Form(List<String> path, String type, @JsonProperty("default") JsonNode fallback,
                            Map<String, Extra> object, List<Condition> holds) {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Extra of(JsonNode node) {
            if (!node.isObject()) {
                List<String> paths = new ArrayList<>();
                (node.isArray() ? node : List.of(node)).forEach(each -> paths.add(each.asText()));
                return new Extra(paths, null, null, null, null);
            }
            Form form = MAPPER.convertValue(node, Form.class);
            return new Extra(form.path(), form.type(), form.fallback(), form.object(), form.holds());
        }
    }
}
