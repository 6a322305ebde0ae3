package dev.taskpoller.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An accepted task: what was asked for, when, and where it came from. This is the value kept in the in-flight
 * topic, so it must hold everything needed to finish the task after a restart.
 */
public record TaskRequest(String provider, String taskId, String correlationId, JsonNode metadata,
                          Instant acceptedAt, String origin) implements Submission {

    /** {@code <provider>/<taskId>}: the in-flight topic key, the event key and the duplicate check key. */
    @JsonIgnore
    public String key() {
        return keyOf(provider, taskId);
    }

    public static String keyOf(String provider, String taskId) {
        return provider + "/" + taskId;
    }
}
