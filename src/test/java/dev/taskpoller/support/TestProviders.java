package dev.taskpoller.support;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.provider.ProviderAdapter;
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

    /** The adapter of this provider as taskpoller finds it (a Java adapter or a YAML definition), enabled or not. */
    public static ProviderAdapter adapter(String name) {
        DefaultCamelContext context = new DefaultCamelContext();
        Configuration.addDefaults(context.getPropertiesComponent());
        return Providers.available(context).stream()
                .filter(adapter -> adapter.name().equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no provider " + name));
    }
}
