package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.JsonPath;
import dev.taskpoller.provider.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Messages written as texts with placeholders in braces, tried in order: the first whose every placeholder gives a
 * value is the message, so a list can fall back to a fixed sentence. {@code {$.path}}: a single value at a JSONPath;
 * {@code {json:$.path}}: any value there, as compact JSON; {@code {fields:$.path}}: an object of field errors
 * ({@code {"id": ["must be ..."]}}) as {@code id: must be ...; other: ...}; {@code {size:$.path}}: how many elements
 * the array there has; {@code {join:$.path}}: an array's elements (a list of messages) joined by {@code ; }, each a
 * text as it is or JSON; {@code {taskId}}: the polled id.
 */
final class MessageTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{((json:|fields:|size:|join:)?\\$[^{}]*|taskId)}");

    private record Part(String form, JsonPath path) {
    }

    private record Template(List<String> texts, List<Part> parts) {
    }

    private final List<Template> templates;

    private MessageTemplates(List<Template> templates) {
        this.templates = templates;
    }

    static final MessageTemplates NONE = new MessageTemplates(List.of());

    /** @throws IllegalArgumentException naming the template and the path that is not valid */
    static MessageTemplates compile(List<String> sources) {
        List<Template> templates = new ArrayList<>();
        for (String source : sources) {
            List<String> texts = new ArrayList<>();
            List<Part> parts = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(source);
            int from = 0;
            while (m.find()) {
                texts.add(source.substring(from, m.start()));
                String form = m.group(2) == null ? "" : m.group(2);
                parts.add(m.group(1).equals(DefinitionReader.TASK_ID) ? new Part(DefinitionReader.TASK_ID, null)
                        : new Part(form, JsonPaths.compile(m.group(1).substring(form.length()))));
                from = m.end();
            }
            texts.add(source.substring(from));
            templates.add(new Template(List.copyOf(texts), List.copyOf(parts)));
        }
        return new MessageTemplates(List.copyOf(templates));
    }

    /** The first template that resolves on this body (null when none does or there are none). */
    String resolve(JsonNode body, String taskId) {
        next:
        for (Template template : templates) {
            StringBuilder message = new StringBuilder(template.texts().get(0));
            for (int i = 0; i < template.parts().size(); i++) {
                String value = value(template.parts().get(i), body, taskId);
                if (value == null || value.isBlank()) {
                    continue next;
                }
                message.append(value).append(template.texts().get(i + 1));
            }
            return message.toString();
        }
        return null;
    }

    private static String value(Part part, JsonNode body, String taskId) {
        return switch (part.form()) {
            case DefinitionReader.TASK_ID -> taskId;
            case "json:" -> {
                JsonNode value = JsonPaths.read(part.path(), body);
                yield value == null ? null : Json.write(value);
            }
            case "fields:" -> fields(JsonPaths.read(part.path(), body));
            case "join:" -> {
                JsonNode value = JsonPaths.read(part.path(), body);
                if (value == null || !value.isArray()) {
                    yield null;
                }
                List<String> texts = new ArrayList<>();
                value.forEach(element -> texts.add(element.isValueNode() ? element.asText() : Json.write(element)));
                yield String.join("; ", texts);
            }
            case "size:" -> {
                JsonNode value = JsonPaths.read(part.path(), body);
                yield value != null && value.isArray() ? String.valueOf(value.size()) : null;
            }
            default -> JsonPaths.text(part.path(), body);
        };
    }

    private static String fields(JsonNode errors) {
        if (errors == null || !errors.isObject()) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        errors.fields().forEachRemaining(field -> {
            List<String> texts = new ArrayList<>();
            field.getValue().forEach(text -> texts.add(text.asText()));
            fields.add(field.getKey() + ": " + (texts.isEmpty() ? field.getValue().asText() : String.join(" ", texts)));
        });
        return String.join("; ", fields);
    }
}
