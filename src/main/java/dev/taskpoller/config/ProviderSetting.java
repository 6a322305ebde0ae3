package dev.taskpoller.config;

/**
 * A key a provider may set for itself as {@code taskpoller.provider.<provider>.<key>}: an override. Without one the
 * provider takes its definition's default (set as that key's initial value where the definition gives one), else the
 * shared key's value ({@code taskpoller.poll.<key>}, {@code taskpoller.http.<key>}), else the setting's standard
 * value; a key with none (the base URL) must be set.
 *
 * @param global   the {@code taskpoller.poll.*} (or {@code taskpoller.http.*}) key a provider without its own value
 *                 takes; null when there is none
 * @param standard the value when neither the provider nor a shared key gives one (as text); null when there is none
 */
public record ProviderSetting<T>(String key, ValueType<T> type, String meaning, Setting<T> global, String standard) {

    static final String PREFIX = "taskpoller.provider.";

    /** A key whose packaged value is, for most providers, the global setting's placeholder. */
    static <T> ProviderSetting<T> defaultingTo(Setting<T> global) {
        String key = global.name().substring(global.name().lastIndexOf('.') + 1);
        return new ProviderSetting<>(key, global.type(), global.meaning(), global, null);
    }

    /** The full key for one provider. */
    public String keyFor(String provider) {
        return PREFIX + provider + "." + key;
    }

}
