package dev.taskpoller.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.taskpoller.provider.Json;

/**
 * A request about a task in flight (a cancel, a provider's webhook), written to the in-flight topic for the task's owner to act on: under a
 * key of its own ({@value #KEY_PREFIX}{@code <provider>/<taskId>}), so that compaction never replaces the task's own
 * record with it, and in the partition of the task's key, which only the instance that polls the task follows. The
 * owner decides the task's event and removes the record (a tombstone) once that event is out, or refuses it with a
 * rejection when the task is not in flight.
 */
public record InFlightControl(String action, TaskRequest request, String payload) {

    public static final String CANCEL = "cancel";
    /** A provider's webhook about the task; {@code payload} is the task as the provider's status call answers it. */
    public static final String WEBHOOK = "webhook";
    /** No provider name has a colon, so no task's key starts with it. */
    static final String KEY_PREFIX = "control:";

    /** The key of the control record of the task of this key. */
    public static String keyOf(String taskKey) {
        return KEY_PREFIX + taskKey;
    }

    static boolean isControlKey(String key) {
        return key != null && key.startsWith(KEY_PREFIX);
    }

    /** The key of the task it is about. */
    @JsonIgnore
    public String taskKey() {
        return request.key();
    }

    /** The control record as written to the in-flight topic. */
    @JsonIgnore
    public String json() {
        return Json.write(this);
    }

    static InFlightControl read(String value) throws Exception {
        InFlightControl control = Json.MAPPER.readValue(value, InFlightControl.class);
        if (control.action() == null || control.request() == null || control.request().provider() == null
                || control.request().taskId() == null) {
            throw new IllegalArgumentException("a control record without its action, provider or task id");
        }
        return control;
    }
}
