package dev.taskpoller.engine;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.config.Settings;
import dev.taskpoller.provider.ProviderAdapter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;

/**
 * The providers this instance polls: every {@link ProviderAdapter} on the class path whose configuration block says
 * {@code taskpoller.provider.<name>.enabled = true}, each with its settings read once from that block.
 */
public class Providers {

    private final Configuration config;
    private final Map<String, ProviderAdapter> adapters = new TreeMap<>();
    private final Map<String, ProviderSettings> settings = new ConcurrentHashMap<>();

    public Providers(CamelContext context) {
        this.config = Configuration.of(context);
        onClassPath().stream()
                .filter(adapter -> config.get(Settings.ENABLED, adapter.name()))
                .forEach(adapter -> adapters.put(adapter.name(), adapter));
    }

    /** Every provider adapter on the class path, enabled or not. */
    public static List<ProviderAdapter> onClassPath() {
        return ServiceLoader.load(ProviderAdapter.class, Providers.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    public boolean knows(String provider) {
        return provider != null && adapters.containsKey(provider);
    }

    public ProviderAdapter adapter(String provider) {
        ProviderAdapter adapter = adapters.get(provider);
        if (adapter == null) {
            throw new IllegalArgumentException("unknown provider '" + provider + "', known: " + adapters.keySet());
        }
        return adapter;
    }

    public ProviderSettings settings(String provider) {
        return settings.computeIfAbsent(provider, name -> ProviderSettings.read(config, adapter(name)));
    }

    /** The request naming its provider with this instance's one copy of the name: a million tasks, one string. */
    public TaskRequest canonical(TaskRequest request) {
        String name = adapter(request.provider()).name();
        return name == request.provider() ? request : request.withProvider(name);
    }

    public Collection<String> names() {
        return adapters.keySet();
    }
}
