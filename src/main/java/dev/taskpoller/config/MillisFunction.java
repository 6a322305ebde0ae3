package dev.taskpoller.config;

import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{taskpoller-millis:<key>}}}: a duration key ({@code 5s}) as a whole number of milliseconds, for endpoint
 * options that take milliseconds (camel-http's timeouts refuse {@code 5s}), so that a route names the key itself.
 */
public final class MillisFunction implements PropertiesFunction {

    public static final String NAME = "taskpoller-millis";

    private final Configuration config;

    public MillisFunction(Configuration config) {
        this.config = config;
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** @throws InvalidConfigurationException when the key is not set or is not a duration */
    @Override
    public String apply(String key) {
        return String.valueOf(config.get(new Setting<>(key.strip(), ValueType.DURATION, "")).toMillis());
    }
}
