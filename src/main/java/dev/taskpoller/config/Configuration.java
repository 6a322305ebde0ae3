package dev.taskpoller.config;

import dev.taskpoller.text.Excerpt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The typed settings of a Camel context: each value read from its properties (file, {@code -D}, environment) and
 * parsed by the type its key has in {@link Settings}.
 */
public final class Configuration {

    /** The packaged copy of config/application.properties: the default of every key. */
    public static final String DEFAULTS = "taskpoller-defaults/application.properties";

    private final PropertiesComponent properties;

    public Configuration(PropertiesComponent properties) {
        this.properties = properties;
    }

    public static Configuration of(CamelContext context) {
        return new Configuration(context.getPropertiesComponent());
    }

    /**
     * Adds each packaged {@code taskpoller.*} default the context does not already define, so an embedding host
     * needs no file. The packaged file's {@code camel.*} keys are the standalone app's (it reads the file itself):
     * a host's own context settings are never changed.
     */
    public static void addDefaults(PropertiesComponent properties) {
        Properties defaults = new Properties();
        try (InputStream in = Configuration.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the class path");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        defaults.stringPropertyNames().stream()
                .filter(key -> key.startsWith("taskpoller."))
                .filter(key -> properties.resolveProperty(key).isEmpty())
                .forEach(key -> properties.addInitialProperty(key, defaults.getProperty(key)));
    }

    /**
     * Adds a provider's own defaults (its definition's) as the initial values of its {@code taskpoller.provider.<name>.*}
     * keys the context does not define: a value from the file, {@code -D} or the environment still overrides them, and
     * they in turn override the shared {@code taskpoller.poll.*} value.
     */
    public static void addProviderDefaults(PropertiesComponent properties, String provider, Map<String, String> defaults) {
        defaults.forEach((key, value) -> {
            String name = ProviderSetting.PREFIX + provider + "." + key;
            if (properties.resolveProperty(name).isEmpty()) {
                properties.addInitialProperty(name, value);
            }
        });
    }

    /** @throws InvalidConfigurationException when the key is not set or its value does not fit its type */
    public <T> T get(Setting<T> setting) {
        return parse(setting.name(), setting.type(),
                text(setting.name()).orElseThrow(() -> invalid(notSet(setting.name(), setting.type()))));
    }

    /**
     * A provider's value: its own key when it sets it (an override), else the shared key's value, else the setting's
     * standard value.
     *
     * @throws InvalidConfigurationException when none gives a value (the base URL) or the value does not fit its type
     */
    public <T> T get(ProviderSetting<T> setting, String provider) {
        Optional<T> own = own(setting, provider);
        if (own.isPresent()) {
            return own.get();
        }
        if (setting.global() != null) {
            return get(setting.global());
        }
        if (setting.standard() != null) {
            return parse(setting.keyFor(provider), setting.type(), setting.standard());
        }
        throw invalid(notSet(setting.keyFor(provider), setting.type()));
    }

    /** A provider's value, when its block sets the key. */
    public <T> Optional<T> own(ProviderSetting<T> setting, String provider) {
        String key = setting.keyFor(provider);
        return text(key).map(text -> parse(key, setting.type(), text));
    }

    /** The key's value as text, placeholders resolved, when the key is set. */
    Optional<String> text(String key) {
        return properties.resolveProperty(key).map(String::strip);
    }

    private static <T> T parse(String key, ValueType<T> type, String text) {
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(key + " = '" + Excerpt.forLog(text) + "': expected " + type.expected());
        }
    }

    private static String notSet(String key, ValueType<?> type) {
        return key + " is not set: expected " + type.expected();
    }

    private static InvalidConfigurationException invalid(String problem) {
        return new InvalidConfigurationException(List.of(problem));
    }
}
