package dev.taskpoller.provider.declarative;

import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;

/**
 * A provider whose definition names a Java adapter ({@code spec.adapter}): the definition says what it says of every
 * provider (its name, which ids it accepts, its defaults, its push), the class makes the calls and reads the answers.
 */
public final class DefinedJavaAdapter extends DefinedProvider {

    private final ProviderAdapter calls;

    DefinedJavaAdapter(ProviderDefinition definition) {
        super(definition);
        try {
            this.calls = definition.javaAdapter().getConstructor().newInstance();
        } catch (InvocationTargetException failed) {
            // named as every other problem of a definition is, with the others
            throw new InvalidConfigurationException(List.of(definition.source() + ": spec.adapter: '"
                    + definition.javaAdapter().getName() + "' failed to start: " + failed.getCause()));
        } catch (ReflectiveOperationException unusable) {
            throw new InvalidConfigurationException(List.of(definition.source() + ": spec.adapter: '"
                    + definition.javaAdapter().getName() + "' cannot be made: " + unusable));
        }
    }

    @Override
    public int maxBatchSize() {
        return calls.maxBatchSize();
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        return calls.statusCall(taskIds, endpoint);
    }

    @Override
    public Map<String, PollOutcome> interpret(List<String> taskIds, ProviderReply reply) {
        return calls.interpret(taskIds, reply);
    }
}
