package dev.taskpoller.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;

/**
 * The start-up check of the configuration, before anything is started: every {@code taskpoller.*} key, whether it
 * comes from the context's properties (the file, the packaged defaults, what a host set), a {@code -D} system
 * property or a {@code TASKPOLLER_*} environment variable, must be a key of {@link Settings} (per-provider keys for
 * every provider adapter on the class path), and every value must fit its key's type. All problems are reported
 * together, so one restart is enough to see them.
 */
public final class ConfigurationCheck {

    private static final String PREFIX = "taskpoller.";
    private static final String ENVIRONMENT_PREFIX = "TASKPOLLER_";

    private final Configuration config;
    private final Properties system;
    private final Map<String, String> environment;
    private final Set<String> problems = new LinkedHashSet<>();

    private ConfigurationCheck(Configuration config, Properties system, Map<String, String> environment) {
        this.config = config;
        this.system = system;
        this.environment = environment;
    }

    /**
     * @param providers the names of every provider adapter on the class path, enabled or not
     * @throws InvalidConfigurationException naming every problem found
     */
    public static void run(CamelContext context, Collection<String> providers) {
        Set<String> keys = context.getPropertiesComponent().loadProperties().stringPropertyNames();
        List<String> problems = problems(Configuration.of(context), providers, keys, System.getProperties(), System.getenv());
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /**
     * The problems of a configuration whose values are read through {@code config}.
     *
     * @param keys        the names the context's properties define (not the system properties nor the environment)
     * @param system      the system properties
     * @param environment the environment variables
     */
    static List<String> problems(Configuration config, Collection<String> providers, Set<String> keys, Properties system,
            Map<String, String> environment) {
        ConfigurationCheck check = new ConfigurationCheck(config, system, environment);
        check.values(providers);
        check.unknownKeys(knownKeys(providers), keys);
        return List.copyOf(check.problems);
    }

    private void values(Collection<String> providers) {
        Settings.GLOBAL.forEach(setting -> check(setting.name(), () -> config.get(setting)));
        topicsOfTheirOwn();
        for (String provider : providers) {
            // its defaults may be its definition's: the keys only an installation can give are what a block has
            if (Settings.PER_PROVIDER.stream().filter(setting -> !Settings.TUNABLE.contains(setting))
                    .allMatch(setting -> config.text(setting.keyFor(provider)).isEmpty())) {
                problems.add("provider " + provider + " is known (by its definition or adapter) but has no configuration: set its "
                        + Settings.BASE_URL.keyFor(provider) + " and " + Settings.API_KEY.keyFor(provider)
                        + " (as config/application.properties does for each provider) or "
                        + Settings.ENABLED.keyFor(provider) + " = false");
                continue;
            }
            Boolean enabled = check(Settings.ENABLED.keyFor(provider), () -> config.get(Settings.ENABLED, provider));
            for (ProviderSetting<?> setting : Settings.PER_PROVIDER) {
                if (setting != Settings.ENABLED && !sameAsGlobal(setting, provider)) {
                    // its own values are checked, also for a provider left out; a shared value once, under its own
                    // key; a key with nothing to fall back to (the base URL) must be set while the provider is enabled
                    boolean mustBeSet = !Boolean.FALSE.equals(enabled) && setting.global() == null && setting.standard() == null;
                    check(setting.keyFor(provider), () -> mustBeSet ? config.get(setting, provider) : config.own(setting, provider));
                }
            }
            if (!Boolean.FALSE.equals(enabled)) {
                pollIntervalBounds(provider);
            }
        }
    }

    /** Bounds the wrong way round would reject every request's own pollInterval. */
    private void pollIntervalBounds(String provider) {
        try {
            Duration min = config.get(Settings.MIN_POLL_INTERVAL, provider);
            Duration max = config.get(Settings.MAX_POLL_INTERVAL, provider);
            if (min.compareTo(max) > 0) {
                String key = Settings.MIN_POLL_INTERVAL.keyFor(provider);
                problems.add(key + " = '" + config.text(key).orElse("") + "': expected at most "
                        + Settings.MAX_POLL_INTERVAL.keyFor(provider) + " (" + max + ")" + source(key));
            }
        } catch (RuntimeException alreadyReported) {
            // a value that cannot be read is reported by values() itself
        }
    }

    /** A provider key whose value is its global key's (the packaged placeholder): a bad value is reported once, there. */
    private boolean sameAsGlobal(ProviderSetting<?> setting, String provider) {
        if (setting.global() == null) {
            return false;
        }
        try {
            Optional<String> own = config.text(setting.keyFor(provider));
            return own.isPresent() && own.equals(config.text(setting.global().name()));
        } catch (RuntimeException unresolvable) {
            return false;
        }
    }

    /** A topic shared by two streams would mix them, or feed taskpoller its own output. */
    private void topicsOfTheirOwn() {
        Map<String, String> streamOfTopic = new HashMap<>();
        for (Setting<String> setting : Settings.TOPICS) {
            String topic = check(setting.name(), () -> config.get(setting));
            String other = topic == null ? null : streamOfTopic.putIfAbsent(topic, setting.name());
            if (other != null) {
                problems.add(setting.name() + " = '" + topic + "': expected a topic of its own, but " + other
                        + " names it too" + source(setting.name()));
            }
        }
    }

    private void unknownKeys(Collection<String> known, Set<String> keys) {
        Set<String> candidates = new TreeSet<>(keys);
        candidates.addAll(system.stringPropertyNames());
        for (String key : candidates) {
            if (key.startsWith(PREFIX) && !known.contains(key)) {
                problems.add(key + " is not a taskpoller setting" + source(key) + ": did you mean "
                        + NearestKey.to(key, known) + "?");
            }
        }
        Map<String, String> knownByVariable = new TreeMap<>();
        known.forEach(key -> knownByVariable.put(variable(key), key));
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith(ENVIRONMENT_PREFIX) && !knownByVariable.containsKey(name)) {
                String nearest = NearestKey.to(name, knownByVariable.keySet());
                problems.add("environment variable " + name + " is not a taskpoller setting: did you mean " + nearest
                        + " (" + knownByVariable.get(nearest) + ")?");
            }
        }
    }

    static List<String> knownKeys(Collection<String> providers) {
        List<String> known = new ArrayList<>();
        Settings.GLOBAL.forEach(setting -> known.add(setting.name()));
        for (String provider : providers) {
            Settings.PER_PROVIDER.forEach(setting -> known.add(setting.keyFor(provider)));
        }
        return known;
    }

    /** The value, or null after noting why there is none. */
    private <T> T check(String key, Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidConfigurationException e) {
            e.problems().forEach(problem -> problems.add(problem + source(key)));
        } catch (RuntimeException e) {
            // e.g. a placeholder in the value that cannot be resolved
            problems.add(key + ": " + e.getMessage() + source(key));
        }
        return null;
    }

    /** Where a value that is not from a properties file comes from, as precedence has it. */
    private String source(String key) {
        String variable = variable(key);
        if (environment.containsKey(variable)) {
            return " (environment variable " + variable + ")";
        }
        return system.containsKey(key) ? " (-D" + key + ")" : "";
    }

    /** Camel's rule: upper case, '.' and '-' as '_'. */
    static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
