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
 */
record Acceptor(List<String> statuses, List<Condition> conditions, State state, String reason, MessageTemplates message,
               ResultMapping result) {

    enum State { RUNNING, COMPLETED, FAILED, RETRY }

    /**
     * A JSONPath on the body: with {@code equals}, its value as text is one of them; with {@code matches}, its value
     * as text matches that regular expression whole; with {@code type}, it is a value of that JSON type ({@code text},
     * {@code integer}, {@code number}, {@code boolean}, {@code array}, {@code object}; an empty array or object counts
     * as a value); with {@code missing}, it leads nowhere, to null or to blank text; with none, it leads to a value.
     * {@code {taskId}} among the values is the polled id. With {@code not}, the condition holds where it otherwise
     * would not.
     */
    record Condition(JsonPath path, Set<String> equals, boolean missing, boolean not, Pattern matches, String type) {

        Condition(JsonPath path, Set<String> equals, boolean missing, boolean not) {
            this(path, equals, missing, not, null, null);
        }

        boolean holds(JsonNode body, String taskId) {
            return not != test(body, taskId);
        }

        private boolean test(JsonNode body, String taskId) {
            JsonNode value = JsonPaths.read(path, body);
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
            if (matches != null && !(value.isValueNode() && matches.matcher(text).matches())) {
                return false;
            }
            return equals.isEmpty() || (value.isValueNode() && (equals.contains(text)
                    || (text.equals(taskId) && equals.contains("{" + DefinitionReader.TASK_ID + "}"))));
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

    static final Set<String> CONDITION_TYPES = Set.of("text", "integer", "number", "boolean", "array", "object");

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
