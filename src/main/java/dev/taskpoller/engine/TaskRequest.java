package dev.taskpoller.engine;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An accepted task: what was asked for, when, and where it came from. This is the value kept in the in-flight
 * topic, so it must hold everything needed to finish the task after a restart.
 *
 * @param deadline     the request's own deadline, resolved at acceptance (a duration counted from then); null: the
 *                     provider's. Written only when present, so a request without options is as small as before.
 * @param pollInterval the request's own poll interval (ISO-8601 in JSON, {@code PT30S}); null: the provider's
 */
public record TaskRequest(String provider, String taskId, String correlationId, JsonNode metadata,
                          Instant acceptedAt, String origin,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Instant deadline,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonFormat(shape = JsonFormat.Shape.STRING)
                          Duration pollInterval) implements Submission {

    /** A request with no options of its own. */
    public TaskRequest(String provider, String taskId, String correlationId, JsonNode metadata, Instant acceptedAt,
                       String origin) {
        this(provider, taskId, correlationId, metadata, acceptedAt, origin, null, null);
    }

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

    /** The same request naming its provider with this string (one shared copy of the name). */
    public TaskRequest withProvider(String name) {
        return new TaskRequest(name, taskId, correlationId, metadata, acceptedAt, origin, deadline, pollInterval);
    }

    public static String keyOf(String provider, String taskId) {
        return provider + "/" + (UUID.matcher(taskId).matches() ? taskId.toLowerCase(Locale.ROOT) : taskId);
    }
}
