package dev.taskpoller.provider;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything taskpoller knows about one provider's status API: which task ids it can accept, how to ask for their
 * status, and how to read the answer. Adapters are stateless. A provider's definition (config/providers/<name>.yaml)
 * is read into one ({@code DeclarativeAdapter}); an API the format cannot express may have a Java one, named by its
 * definition ({@code spec.adapter}) or found through {@link java.util.ServiceLoader}. Either way, adding a provider
 * never changes the engine.
 */
public interface ProviderAdapter {

    /** The provider name used in submissions, configuration keys and events, e.g. {@code acme-render}. */
    String name();

    /** Why this id can never be a task of this provider, or empty when it is well-formed. Checked before any call. */
    Optional<String> checkTaskId(String taskId);

    /**
     * The provider's own values of its {@code taskpoller.provider.<name>.*} keys ({@code deadline} → {@code 6h}),
     * used where its configuration leaves a key unset, before the shared {@code taskpoller.poll.*} value.
     */
    default Map<String, String> defaults() {
        return Map.of();
    }

    /** How the provider pushes a task's end (a webhook, a callback), when it does; polling stays the safety net. */
    default Optional<Push> push() {
        return Optional.empty();
    }

    /** How many tasks one status call can ask about; 1 for providers without a batch call. */
    default int maxBatchSize() {
        return 1;
    }

    /** The one id of a call to a provider without a batch call; more would leave tasks without an outcome. */
    static String onlyTaskId(List<String> taskIds) {
        if (taskIds.size() != 1) {
            throw new IllegalArgumentException("this provider has no batch status call: one task id per call, got "
                    + taskIds.size());
        }
        return taskIds.get(0);
    }

    /** The HTTP call that asks for the status of these tasks (never more than {@link #maxBatchSize()}). */
    StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint);

    /**
     * Reads the provider's answer into exactly one outcome per asked id. Unknown or unreadable shapes are never
     * {@code COMPLETED}: they are a retryable {@code bad_response}.
     */
    Map<String, PollOutcome> interpret(List<String> taskIds, ProviderReply reply);
}
