package dev.taskpoller.engine;

import dev.taskpoller.provider.Json;
import java.time.Instant;

/**
 * A task's final CloudEvent, ready to publish: {@code outcome} is {@code completed} or {@code failed}; {@code task}
 * is the in-flight copy that produced it, released once the event is out; {@code reason} is the failure's reason
 * (null when completed); {@code providerFinishedAt} is when the provider said the task finished, when it says;
 * {@code inTopic}: a rebuild found it published already, and only its outbox line and tombstone are still to come.
 */
public record TerminalEvent(String key, String provider, String outcome, String json, TrackedTask task, String reason,
                            Instant providerFinishedAt, boolean inTopic) {

    /** An event just decided, to be published. */
    public TerminalEvent(String key, String provider, String outcome, String json, TrackedTask task, String reason,
                         Instant providerFinishedAt) {
        this(key, provider, outcome, json, task, reason, providerFinishedAt, false);
    }

    /** An event as it was decided before a rebuild: its reason read from its JSON, its provider's finish unknown. */
    public TerminalEvent(String key, String provider, String outcome, String json, TrackedTask task, boolean inTopic) {
        this(key, provider, outcome, json, task, reasonIn(json), null, inTopic);
    }

    static String reasonIn(String json) {
        return Json.parse(json).map(event -> event.path("data").path("error").path("reason"))
                .filter(reason -> reason.isTextual()).map(reason -> reason.asText()).orElse(null);
    }
}
