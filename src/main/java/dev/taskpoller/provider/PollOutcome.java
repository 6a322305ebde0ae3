package dev.taskpoller.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * What one poll says about one task.
 *
 * @param result           normalised result ({@code files} and provider extras) for terminal outcomes, else null
 * @param error            why the task failed ({@code FAILED}) or why this poll did not count ({@code RETRY})
 * @param providerResponse the raw body the provider answered (for a batch, this task's own item when it has one)
 * @param retryAfter       how long the provider asked us to wait ({@code RETRY} only), or null
 * @param finishedAt       when the provider says the task finished (terminal outcomes of providers that say), or null
 */
public record PollOutcome(Status status, JsonNode result, TaskError error, String providerResponse, Duration retryAfter,
                          Instant finishedAt) {

    public PollOutcome(Status status, JsonNode result, TaskError error, String providerResponse, Duration retryAfter) {
        this(status, result, error, providerResponse, retryAfter, null);
    }

    /** This outcome, with the time the provider says the task finished (kept for a terminal outcome only). */
    public PollOutcome finishedAt(Instant at) {
        return new PollOutcome(status, result, error, providerResponse, retryAfter, status.terminal() ? at : null);
    }

    public enum Status {
        /** The task is still queued or running: poll again later. */
        RUNNING,
        COMPLETED,
        FAILED,
        /** The poll itself failed in a way worth retrying (rate limit, 5xx, transport, unreadable body). */
        RETRY;

        public boolean terminal() {
            return this == COMPLETED || this == FAILED;
        }
    }

    public static PollOutcome running(String providerResponse) {
        return new PollOutcome(Status.RUNNING, null, null, providerResponse, null);
    }

    public static PollOutcome completed(JsonNode result, String providerResponse) {
        return new PollOutcome(Status.COMPLETED, result, null, providerResponse, null);
    }

    public static PollOutcome failed(TaskError error, JsonNode result, String providerResponse) {
        return new PollOutcome(Status.FAILED, result, error, providerResponse, null);
    }

    public static PollOutcome retry(TaskError error, Duration retryAfter, String providerResponse) {
        return new PollOutcome(Status.RETRY, null, error, providerResponse, retryAfter);
    }
}
