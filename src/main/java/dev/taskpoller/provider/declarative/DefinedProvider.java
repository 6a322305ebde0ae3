package dev.taskpoller.provider.declarative;

import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.Push;
import java.util.Map;
import java.util.Optional;

/**
 * An adapter made from a definition file: what a definition says of every provider (its name, which ids it accepts,
 * its defaults, its push) comes from the file, which messages about it name.
 */
public abstract class DefinedProvider implements ProviderAdapter {

    private final ProviderDefinition definition;

    DefinedProvider(ProviderDefinition definition) {
        this.definition = definition;
    }

    public ProviderDefinition definition() {
        return definition;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public Optional<String> checkTaskId(String taskId) {
        return definition.taskIds().check(taskId);
    }

    @Override
    public Map<String, String> defaults() {
        return definition.defaults();
    }

    @Override
    public Optional<Push> push() {
        return Optional.ofNullable(definition.push());
    }
}
