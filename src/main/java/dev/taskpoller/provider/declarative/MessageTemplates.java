package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Messages written as texts with JSONPaths in braces, {@code "unknown status '{$.status}'"}, tried in order: the
 * first whose every path gives a single value is the message, so a list can fall back to a fixed sentence.
 */
final class MessageTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\$[^{}]*)}");

    private record Template(List<String> texts, List<JsonPath> paths) {
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
            List<JsonPath> paths = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(source);
            int from = 0;
            while (m.find()) {
                texts.add(source.substring(from, m.start()));
                paths.add(JsonPaths.compile(m.group(1)));
                from = m.end();
            }
            texts.add(source.substring(from));
            templates.add(new Template(List.copyOf(texts), List.copyOf(paths)));
        }
        return new MessageTemplates(List.copyOf(templates));
    }

    /** The first template that resolves on this body (null when none does or there are none). */
    String resolve(JsonNode body) {
        next:
        for (Template template : templates) {
            StringBuilder message = new StringBuilder(template.texts().get(0));
            for (int i = 0; i < template.paths().size(); i++) {
                String value = JsonPaths.text(template.paths().get(i), body);
                if (value == null || value.isBlank()) {
                    continue next;
                }
                message.append(value).append(template.texts().get(i + 1));
            }
            return message.toString();
        }
        return null;
    }
}
