package dev.taskpoller.config;

/**
 * A key each provider sets for itself as {@code taskpoller.provider.<provider>.<key>}: every enabled provider's block
 * in the configuration has all of them, so there is no value to fall back to.
 *
 * @param global the {@code taskpoller.poll.*} (or {@code taskpoller.http.*}) key the packaged blocks write this key as,
 *               {@code {{taskpoller.poll.<key>}}}, unless the provider needs its own value; null when there is none
 */
public record ProviderSetting<T>(String key, ValueType<T> type, String meaning, Setting<T> global) {

    static final String PREFIX = "taskpoller.provider.";

    /** A key whose packaged value is, for most providers, the global setting's placeholder. */
    static <T> ProviderSetting<T> defaultingTo(Setting<T> global) {
        String key = global.name().substring(global.name().lastIndexOf('.') + 1);
        return new ProviderSetting<>(key, global.type(), global.meaning(), global);
    }

    /** The full key for one provider. */
    public String keyFor(String provider) {
        return PREFIX + provider + "." + key;
    }

    /** What the packaged blocks write for a provider without a value of its own: {@code {{<global key>}}}. */
    public String placeholder() {
        return global == null ? null : "{{" + global.name() + "}}";
    }
}
