package dev.taskpoller.engine;

import dev.taskpoller.provider.ProviderAdapter;
import java.util.Collection;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;

/**
 * The providers this instance polls: every {@link ProviderAdapter} on the class path unless configured with
 * {@code taskpoller.provider.<name>.enabled = false}, each with its settings read once from configuration.
 */
public class Providers {

    private final CamelContext context;
    private final Map<String, ProviderAdapter> adapters = new TreeMap<>();
    private final Map<String, ProviderSettings> settings = new ConcurrentHashMap<>();

    public Providers(CamelContext context) {
        this.context = context;
        ServiceLoader.load(ProviderAdapter.class, Providers.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .filter(adapter -> !"false".equalsIgnoreCase(context.getPropertiesComponent()
                        .resolveProperty("taskpoller.provider." + adapter.name() + ".enabled").orElse("true").trim()))
                .forEach(adapter -> adapters.put(adapter.name(), adapter));
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
        return settings.computeIfAbsent(provider, name -> ProviderSettings.read(context, adapter(name)));
    }

    /** For the throttle EIP of each provider's polling route. */
    public int maxConcurrent(String provider) {
        return settings(provider).maxConcurrent();
    }

    public Collection<String> names() {
        return adapters.keySet();
    }
}
