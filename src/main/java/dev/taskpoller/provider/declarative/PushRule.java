package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.JsonPath;
import dev.taskpoller.provider.Push;
import java.util.List;
import java.util.Optional;

/**
 * A definition's {@code spec.push}: a push ends a task when every condition holds on its body; the task object is
 * where {@code task} leads (the body itself by default) and its id where {@code taskId} leads in it.
 */
record PushRule(List<Acceptor.Condition> ends, JsonPath task, JsonPath taskId) {

    Optional<Push.Ended> read(JsonNode body) {
        if (body == null || !ends.stream().allMatch(condition -> condition.holds(body, null))) {
            return Optional.empty();
        }
        JsonNode object = JsonPaths.read(task, body);
        if (object == null || !object.isObject()) {
            return Optional.empty();
        }
        JsonNode id = JsonPaths.read(taskId, object);
        return id != null && id.isTextual() && !id.textValue().isBlank()
                ? Optional.of(new Push.Ended(id.textValue(), object)) : Optional.empty();
    }
}
