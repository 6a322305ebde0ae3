package dev.taskpoller.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An accepted task: what was asked for, when, and where it came from. This is the value kept in the in-flight
 * topic, so it must hold everything needed to finish the task after a restart.
 */
public record TaskRequest(String provider, String taskId, String correlationId, JsonNode metadata,
                          Instant acceptedAt, String origin) implements Submission {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * {@code <provider>/<taskId>}: the in-flight topic key, the event key and the duplicate check key. A UUID is
     * case-insensitive (RFC 9562), so its key is in lower case: the same task sent in upper case is a duplicate. The
     * task id itself is kept as sent, and polled as sent.
     */
    @JsonIgnore
    public String key() {
        return keyOf(provider, taskId);
    }

    public static String keyOf(String provider, String taskId) {
        return provider + "/" + (UUID.matcher(taskId).matches() ? taskId.toLowerCase(Locale.ROOT) : taskId);
    }
}
