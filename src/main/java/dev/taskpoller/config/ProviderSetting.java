package dev.taskpoller.config;

/**
 * A key each provider sets for itself as {@code taskpoller.provider.<provider>.<key>}.
 *
 * @param fallback the global setting that applies when the provider does not set the key; null when there is none
 * @param required whether an enabled provider needs a value (from its own key or the fallback)
 */
public record ProviderSetting<T>(String key, ValueType<T> type, String meaning, Setting<T> fallback, boolean required) {

    static final String PREFIX = "taskpoller.provider.";

    /** A {@code taskpoller.poll.*} setting that each provider may set for itself. */
    static <T> ProviderSetting<T> overriding(Setting<T> pollDefault) {
        String key = pollDefault.name().substring(pollDefault.name().lastIndexOf('.') + 1);
        return new ProviderSetting<>(key, pollDefault.type(), pollDefault.meaning(), pollDefault, true);
    }

    /** The full key for one provider. */
    public String keyFor(String provider) {
        return PREFIX + provider + "." + key;
    }
}
