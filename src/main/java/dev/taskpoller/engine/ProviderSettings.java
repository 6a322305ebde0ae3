package dev.taskpoller.engine;

import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import java.time.Duration;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

/**
 * One provider's configuration block, {@code taskpoller.provider.<name>.*}, each key falling back to the shared
 * default {@code taskpoller.poll.*}.
 */
public record ProviderSettings(ProviderEndpoint endpoint, PollPolicy policy, int batchSize, Duration batchWindow,
                               int maxConcurrent) {

    public static ProviderSettings read(CamelContext context, ProviderAdapter adapter) {
        String own = "taskpoller.provider." + adapter.name() + ".";
        Function<String, String> value = key -> context.getPropertiesComponent().resolveProperty(own + key)
                .or(() -> context.getPropertiesComponent().resolveProperty("taskpoller.poll." + key))
                .map(String::trim)
                .orElse(null);
        String baseUrl = value.apply("base-url");
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalStateException("missing configuration " + own + "base-url");
        }
        PollPolicy policy = new PollPolicy(
                duration(value, "initial-delay", "0s"),
                duration(value, "interval", "5s"),
                Double.parseDouble(orDefault(value, "backoff-multiplier", "1.5")),
                duration(value, "max-interval", "5m"),
                duration(value, "deadline", "24h"),
                Integer.parseInt(orDefault(value, "max-attempts", "10000")));
        int batchSize = Math.max(1, Math.min(adapter.maxBatchSize(), Integer.parseInt(orDefault(value, "batch-size", "1"))));
        return new ProviderSettings(
                new ProviderEndpoint(baseUrl, orDefault(value, "api-key", "")),
                policy,
                batchSize,
                duration(value, "batch-window", "0s"),
                Math.max(1, Integer.parseInt(orDefault(value, "max-concurrent", "4"))));
    }

    private static String orDefault(Function<String, String> value, String key, String fallback) {
        String found = value.apply(key);
        return found == null || found.isEmpty() ? fallback : found;
    }

    /** Camel's duration syntax: {@code 500}, {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h30m}. */
    private static Duration duration(Function<String, String> value, String key, String fallback) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(orDefault(value, key, fallback)));
    }
}
