package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.taskpoller.provider.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The shape of a provider definition: {@code config/provider-definition.schema.json}, the same JSON Schema an editor
 * checks a definition with as it is written. Each of its errors is told as {@code <field>: <what>}, the field in the
 * reader's own words ({@code spec.acceptors[0].state}), not as a JSON pointer and a validator's sentence.
 */
final class DefinitionSchema {

    /** Packaged from config/ (pom.xml), so that the jar checks definitions as the build does. */
    static final String RESOURCE = "taskpoller-defaults/provider-definition.schema.json";
    private static final Pattern COMBINATOR = Pattern.compile("^(.*/(anyOf|oneOf))/\\d+/");
    private static final Map<String, String> TYPES = Map.of("string", "a text", "integer", "a whole number",
            "number", "a number", "boolean", "true or false", "array", "a list", "object", "a mapping", "null", "nothing");

    private static final JsonNode TREE = tree();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(TREE);

    private DefinitionSchema() {
    }

    private static JsonNode tree() {
        try (InputStream in = DefinitionSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: the jar is incomplete");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(RESOURCE, unreadable);
        }
    }

    /** Every way the definition departs from the schema, each once, as {@code <field>: <what>}; empty when none. */
    static List<Problem> problems(JsonNode definition) {
        Set<Problem> problems = new LinkedHashSet<>();
        // the branches of an anyOf that each require one field: "expected one of path, object or holds", said once
        Map<String, List<Error>> alternatives = new LinkedHashMap<>();
        for (Error error : SCHEMA.validate(definition)) {
            Matcher combinator = COMBINATOR.matcher(error.getEvaluationPath().toString());
            if (combinator.find() && error.getKeyword().equals("required")) {
                alternatives.computeIfAbsent(error.getInstanceLocation() + " " + combinator.group(1), key -> new ArrayList<>())
                        .add(error);
            } else {
                problems.add(problem(error, definition));
            }
        }
        alternatives.values().forEach(group -> {
            List<String> fields = group.stream().map(Error::getProperty).toList();
            String choice = fields.size() == 1 ? fields.get(0)
                    : String.join(", ", fields.subList(0, fields.size() - 1)) + " or " + fields.get(fields.size() - 1);
            problems.add(new Problem(field(group.get(0).getInstanceLocation(), definition), "expected one of " + choice));
        });
        return List.copyOf(problems);
    }

    private static Problem problem(Error error, JsonNode definition) {
        String where = field(error.getInstanceLocation(), definition);
        JsonNode value = error.getInstanceNode();
        String quoted = value != null && value.isValueNode() ? "'" + value.asText() + "': " : "";
        JsonNode rule = error.getSchemaNode();
        JsonNode parent = TREE.at(parentPointer(error));
        return switch (error.getKeyword()) {
            case "required" -> new Problem(child(where, error.getProperty()), "missing" + parent.path("properties")
                    .path(error.getProperty()).path("description").asText("").transform(why -> why.isEmpty() ? "" : ": " + why));
            case "additionalProperties" -> new Problem(child(where, error.getProperty()),
                    "not a field of this definition (expected one of " + new TreeSet<>(names(parent.path("properties"))) + ")");
            case "propertyNames" -> new Problem(child(where, error.getProperty()),
                    parent.path("propertyNames").path("description").asText("not a name this field may have"));
            case "enum" -> new Problem(where, quoted + "expected one of " + texts(rule));
            case "const" -> new Problem(where, quoted + "expected " + rule.asText());
            case "type" -> new Problem(where, quoted + "expected " + (parent.has("description")
                    ? parent.path("description").asText() : texts(rule).stream()
                    .map(type -> TYPES.getOrDefault(type, type)).collect(Collectors.joining(" or "))));
            case "pattern" -> new Problem(where, quoted + (parent.has("description")
                    ? "expected " + parent.path("description").asText() : "does not match " + rule.asText()));
            case "not" -> new Problem(where, parent.path("description").asText("not allowed here"));
            case "contains", "minContains" -> new Problem(where, "expected " + TREE.at(parentPointer(error) + "/contains")
                    .path("const").asText("another element") + " among them");
            default -> new Problem(where, quoted + error.getMessage());
        };
    }

    /** {@code /spec/acceptors/0/state} as the reader names it, {@code spec.acceptors[0].state}. */
    private static String field(NodePath location, JsonNode definition) {
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                field.append(field.isEmpty() ? "" : ".").append(element);
            }
        }
        return field.isEmpty() ? Problem.FILE : field.toString();
    }

    private static String child(String where, String name) {
        return where.equals(Problem.FILE) ? name : where + "." + name;
    }

    /** The schema object whose keyword failed: its description and properties say what the field should be. */
    private static String parentPointer(Error error) {
        String fragment = error.getSchemaLocation().getFragment().toString();
        return fragment.substring(0, Math.max(0, fragment.lastIndexOf('/')));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The texts of an array, or the one text of a value ({@code "type": "array"}). */
    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        (node.isArray() ? node : List.of(node)).forEach(each -> texts.add(each.asText()));
        return texts;
    }

    /** One problem of a definition: the field ({@code (file)} for the whole) and what is wrong with it. */
    record Problem(String field, String what) {
        static final String FILE = "(file)";

        /** Whether this problem is at the field or around it: a field's shape problem says what its checks would. */
        boolean covers(String other) {
            return other.equals(field) || other.startsWith(field + ".") || other.startsWith(field + "[");
        }
    }
}
