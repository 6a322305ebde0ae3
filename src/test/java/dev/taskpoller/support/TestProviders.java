package dev.taskpoller.support;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.declarative.DeclarativeAdapter;
import dev.taskpoller.provider.declarative.DefinitionReader;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;

/** The providers as configured by the packaged defaults plus a test's own keys, for tests without a running route. */
public final class TestProviders {

    private TestProviders() {
    }

    /** {@code keysAndValues}: key, value, key, value, ... over the packaged defaults; tasks are due at once. */
    public static Providers configured(String... keysAndValues) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties config = new Properties();
        config.put("taskpoller.poll.initial-delay", "0s");
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            config.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        context.getPropertiesComponent().setInitialProperties(config);
        Configuration.addDefaults(context.getPropertiesComponent());
        return new Providers(context);
    }

    /**
     * A packaged definition with one edit, as an installation would make it by dropping its own copy into the
     * definitions folder (say, another value of a parameter).
     *
     * @throws dev.taskpoller.config.InvalidConfigurationException when the edited definition is not valid
     */
    public static ProviderAdapter definedWith(String name, String text, String replacement) {
        String file = name + ".yaml";
        try (var in = TestProviders.class.getResourceAsStream("/taskpoller-defaults/providers/" + file)) {
            String yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!yaml.contains(text)) {
                throw new IllegalArgumentException(file + " has no '" + text + "' to replace");
            }
            return new DeclarativeAdapter(DefinitionReader.read(file, file, yaml.replace(text, replacement)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The adapter of this provider as taskpoller finds it (a Java adapter or a YAML definition), enabled or not. */
    public static ProviderAdapter adapter(String name) {
        DefaultCamelContext context = new DefaultCamelContext();
        Configuration.addDefaults(context.getPropertiesComponent());
        return Providers.available(context).stream()
                .filter(adapter -> adapter.name().equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no provider " + name));
    }
}
