package dev.taskpoller.support;

import dev.taskpoller.config.Configuration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** A context's properties as a configuration file gives them, without a context to run. */
public final class ConfigurationFiles {

    private ConfigurationFiles() {
    }

    /** The packaged defaults with these values over them. */
    public static PropertiesComponent properties(Map<String, String> file) {
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        Properties values = new Properties();
        values.putAll(file);
        properties.setInitialProperties(values);
        Configuration.addDefaults(properties);
        return properties;
    }

    public static Configuration configuration(Map<String, String> file) {
        return new Configuration(properties(file));
    }
}
