package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One rule of a definition's ordered {@code acceptors}, as the AWS SDK waiters have them: it matches an HTTP status
 * (or a class of them, {@code 2xx}) and every condition on the body, and then decides the poll's state. The first
 * rule that matches decides.
 *
 * @param statuses   "200", "2xx", ...; empty: any status
 * @param conditions all must hold
 * @param reason     the error reason of a failed or retry state; null: the state's own default
 * @param message    the error message of a failed or retry state; none: the state's own default
 * @param result     this rule's own mapping of the result (a completed or failed rule), or null: the definition's
 * @param unwrap     instead of a state: where the task object is inside an envelope ({@code $.data}); the rules after
 *                   this one, and the result, read that object (null for a rule that decides a state)
 */
record Acceptor(List<String> statuses, List<Condition> conditions, State state, String reason, MessageTemplates message,
               ResultMapping result, JsonPath unwrap) {

    enum State { RUNNING, COMPLETED, FAILED, RETRY }

    /**
     * A JSONPath on the body: with {@code equals}, its value as text is one of them; with {@code matches}, its value
     * as text matches that regular expression whole; with {@code type}, it is a value of that JSON type ({@code text},
     * {@code integer}, {@code number}, {@code boolean}, {@code array}, {@code object}; an empty array or object counts
     * as a value); with {@code missing}, it leads nowhere, to null or to blank text; with none, it leads to a value.
     * {@code {taskId}} among the values is the polled id. With {@code every}, a path that leads to an array holds
     * when the condition holds for each of its elements (read on the element itself). With {@code not}, the condition
     * holds where it otherwise would not.
     */
    record Condition(JsonPath path, Set<String> equals, boolean missing, boolean not, Pattern matches, String type,
                     boolean every) {

        boolean holds(JsonNode body, String taskId) {
            return not != test(body, taskId);
        }

        private boolean test(JsonNode body, String taskId) {
            JsonNode value = JsonPaths.read(path, body);
            if (every && value != null && value.isArray()) {
                for (JsonNode element : value) {
                    if (!testValue(element, taskId)) {
                        return false;
                    }
                }
                return true;
            }
            return testValue(value, taskId);
        }

        private boolean testValue(JsonNode value, String taskId) {
            boolean absent = value == null || (value.isTextual() && value.textValue().isBlank());
            if (missing) {
                return absent;
            }
            if (absent) {
                return false;
            }
            if (type != null && !hasType(value)) {
                return false;
            }
            String text = value.asText();
            if (matches != null && !matchesText(value)) {
                return false;
            }
            return equals.isEmpty() || (value.isValueNode() && (equals.contains(text)
                    || (text.equals(taskId) && equals.contains("{" + DefinitionReader.TASK_ID + "}"))));
        }

        /** A value's text matches; of an array (a list of messages), any of its values does. */
        private boolean matchesText(JsonNode value) {
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (element.isValueNode() && matches.matcher(element.asText()).matches()) {
                        return true;
                    }
                }
                return false;
            }
            return value.isValueNode() && matches.matcher(value.asText()).matches();
        }

        private boolean hasType(JsonNode value) {
            return switch (type) {
                case "text" -> value.isTextual();
                case "integer" -> value.isIntegralNumber();
                case "number" -> value.isNumber();
                case "boolean" -> value.isBoolean();
                case "array" -> value.isArray();
                case "object" -> value.isObject();
                default -> false;
            };
        }
    }

    static boolean statusMatches(String pattern, int status) {
        return pattern.endsWith("xx")
                ? status / 100 == pattern.charAt(0) - '0'
                : Integer.parseInt(pattern) == status;
    }

    /** {@code body} is null when the reply is not JSON; then only rules without conditions can match. */
    boolean matches(int status, JsonNode body, String taskId) {
        if (!statuses.isEmpty() && statuses.stream().noneMatch(pattern -> statusMatches(pattern, status))) {
            return false;
        }
        return conditions.stream().allMatch(condition -> body != null && condition.holds(body, taskId));
    }
}
