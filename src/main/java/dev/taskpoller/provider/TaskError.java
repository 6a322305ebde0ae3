package dev.taskpoller.provider;

/** Why a task failed or a poll went wrong; {@code reason} is one of the documented machine-readable reasons. */
public record TaskError(String reason, String message, Integer httpStatus) {

    /** The provider reported the task itself as failed. */
    public static final String PROVIDER_FAILED = "provider_failed";
    public static final String NOT_FOUND = "not_found";
    public static final String INVALID_TASK_ID = "invalid_task_id";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String BAD_REQUEST = "bad_request";
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";
    public static final String MAX_ATTEMPTS = "max_attempts";
    /** Cancelled on request (the cancel topic, direct:taskpoller-cancel): polling stopped. */
    public static final String CANCELLED = "cancelled";
    /** The answer could not be read, or had a shape the adapter does not know. */
    public static final String BAD_RESPONSE = "bad_response";
    /** Retryable: 429. */
    public static final String RATE_LIMITED = "rate_limited";
    /** Retryable: 5xx, 408. */
    public static final String PROVIDER_UNAVAILABLE = "provider_unavailable";
    /** Retryable: connection refused, reset, timed out. */
    public static final String TRANSPORT_ERROR = "transport_error";
}
