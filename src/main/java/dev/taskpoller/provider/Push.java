package dev.taskpoller.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a provider pushes a task's end to taskpoller (a webhook, a callback), for a provider that does: how a push
 * proves that it comes from the provider, and which task it ends. The task object it carries is read later by the
 * adapter's own {@link ProviderAdapter#interpret}, as a status reply is, so that a pushed end gives the event a poll
 * would have given (same id, same mapping).
 *
 * @param verification how a push is authenticated
 * @param reader       the task a push's body ends, or empty when it ends none (another event type, a task still running)
 */
public record Push(Verification verification, Function<JsonNode, Optional<Ended>> reader) {

    public enum Verification {
        /**
         * Standard Webhooks, as Svix sends them: an HMAC-SHA256 of {@code <id>.<timestamp>.<body>} in
         * {@code webhook-signature} (or {@code svix-signature}), keyed with a {@code whsec_} secret, and a recent timestamp.
         */
        STANDARD_WEBHOOKS,
        /** A shared secret that the URL given to the provider carries as {@code ?token=}: for a provider that signs nothing. */
        TOKEN
    }

    /** A task a push ends: its id, and its task object as the status call would have answered it. */
    public record Ended(String taskId, JsonNode task) {
    }
}
