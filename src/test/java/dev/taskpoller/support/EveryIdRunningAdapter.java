package dev.taskpoller.support;

import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Java adapter as a definition's {@code spec.adapter} names one: its ids in a query, every task still running.
 * Its own name and id rule are never asked for; the definition gives them.
 */
public final class EveryIdRunningAdapter implements ProviderAdapter {

    @Override
    public String name() {
        throw new UnsupportedOperationException("the definition names the provider");
    }

    @Override
    public Optional<String> checkTaskId(String taskId) {
        throw new UnsupportedOperationException("the definition checks the ids");
    }

    @Override
    public int maxBatchSize() {
        return 25;
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        return StatusCall.get(endpoint.url("/renders?ids=" + String.join(",", taskIds)), Map.of("x-key", endpoint.apiKey()));
    }

    @Override
    public Map<String, PollOutcome> interpret(List<String> taskIds, ProviderReply reply) {
        return HttpReplies.sameForAll(taskIds, PollOutcome.running(reply.body()));
    }
}
