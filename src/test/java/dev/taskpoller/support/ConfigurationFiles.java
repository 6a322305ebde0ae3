package dev.taskpoller.support;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.engine.Providers;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** A context's properties as a configuration file and the provider definitions give them, without a context to run. */
public final class ConfigurationFiles {

    private ConfigurationFiles() {
    }

    /** These values over the packaged defaults and the providers' own (their definitions'), as the routes see them. */
    public static PropertiesComponent properties(Map<String, String> file) {
        DefaultCamelContext context = new DefaultCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties values = new Properties();
        values.putAll(file);
        properties.setInitialProperties(values);
        Configuration.addDefaults(properties);
        Providers.availableWithDefaults(context);
        return properties;
    }

    public static Configuration configuration(Map<String, String> file) {
        return new Configuration(properties(file));
    }
}
