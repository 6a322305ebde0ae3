package dev.taskpoller.engine;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.config.Settings;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.declarative.DefinedProvider;
import dev.taskpoller.provider.declarative.ProviderDefinitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;

/**
 * The providers this instance polls: every {@link ProviderAdapter} on the class path whose configuration block says
 * {@code taskpoller.provider.<name>.enabled = true}, each with its settings read once from that block.
 */
public class Providers {

    private final Configuration config;
    private final Map<String, ProviderAdapter> adapters = new TreeMap<>();
    private final List<String> available;
    private final Map<String, ProviderSettings> settings = new ConcurrentHashMap<>();

    public Providers(CamelContext context) {
        this(context, availableWithDefaults(context));
    }

    /** @param all {@link #availableWithDefaults} of this context, read once at start-up */
    public Providers(CamelContext context, List<ProviderAdapter> all) {
        this.config = Configuration.of(context);
        this.available = all.stream().map(ProviderAdapter::name).sorted().toList();
        all.stream()
                .filter(adapter -> config.get(Settings.ENABLED, adapter.name()))
                .forEach(adapter -> adapters.put(adapter.name(), adapter));
    }

    /**
     * Every provider taskpoller can poll, enabled or not: the Java adapters on the class path ({@link ServiceLoader})
     * and the providers defined by YAML ({@link ProviderDefinitions}); a name given by both stops the start.
     */
    public static List<ProviderAdapter> available(CamelContext context) {
        List<ProviderAdapter> all = new ArrayList<>(ServiceLoader.load(ProviderAdapter.class,
                Providers.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList());
        Set<String> javaNames = all.stream().map(ProviderAdapter::name).collect(Collectors.toSet());
        for (ProviderAdapter defined : ProviderDefinitions.load(context,
                Configuration.of(context).get(Settings.PROVIDER_DEFINITIONS))) {
            if (javaNames.contains(defined.name())) {
                throw new InvalidConfigurationException(List.of(((DefinedProvider) defined).definition().source()
                        + ": provider " + defined.name() + " also has a Java adapter on the class path: remove one"));
            }
            all.add(defined);
        }
        return List.copyOf(all);
    }

    /**
     * {@link #available}, each provider's own defaults (its definition's) set where the context's configuration leaves
     * its key unset ({@link Configuration#addProviderDefaults}): what every reader of the configuration then sees.
     */
    public static List<ProviderAdapter> availableWithDefaults(CamelContext context) {
        List<ProviderAdapter> all = available(context);
        all.forEach(adapter -> Configuration.addProviderDefaults(context.getPropertiesComponent(), adapter.name(),
                adapter.defaults()));
        return all;
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

    /** The name of every provider taskpoller can poll, enabled or not. */
    public List<String> available() {
        return available;
    }

    public Collection<String> names() {
        return adapters.keySet();
    }
}
