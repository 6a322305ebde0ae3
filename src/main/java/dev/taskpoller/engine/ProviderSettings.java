package dev.taskpoller.engine;

import static dev.taskpoller.config.Settings.API_KEY;
import static dev.taskpoller.config.Settings.BACKOFF_MULTIPLIER;
import static dev.taskpoller.config.Settings.BASE_URL;
import static dev.taskpoller.config.Settings.BATCH_SIZE;
import static dev.taskpoller.config.Settings.BATCH_WINDOW;
import static dev.taskpoller.config.Settings.CIRCUIT_FAILURES;
import static dev.taskpoller.config.Settings.CIRCUIT_OPEN;
import static dev.taskpoller.config.Settings.CONNECT_TIMEOUT;
import static dev.taskpoller.config.Settings.DEADLINE;
import static dev.taskpoller.config.Settings.ERROR_BACKOFF;
import static dev.taskpoller.config.Settings.INITIAL_DELAY;
import static dev.taskpoller.config.Settings.INTERVAL;
import static dev.taskpoller.config.Settings.MAX_ATTEMPTS;
import static dev.taskpoller.config.Settings.MAX_CONCURRENT;
import static dev.taskpoller.config.Settings.MAX_ERROR_BACKOFF;
import static dev.taskpoller.config.Settings.MAX_INTERVAL;
import static dev.taskpoller.config.Settings.MAX_POLL_INTERVAL;
import static dev.taskpoller.config.Settings.MIN_POLL_INTERVAL;
import static dev.taskpoller.config.Settings.NOT_FOUND_GRACE;
import static dev.taskpoller.config.Settings.RESPONSE_TIMEOUT;
import static dev.taskpoller.config.Settings.WEBHOOKS_SAFETY_NET_INTERVAL;
import static dev.taskpoller.config.Settings.WEBHOOK_ENABLED;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import java.time.Duration;

/**
 * One provider's configuration block, {@code taskpoller.provider.<name>.*}: every key is in the block (the packaged
 * blocks write most as placeholders of the shared defaults, {@code {{taskpoller.poll.*}}}).
 *
 * @param minPollInterval the shortest {@code pollInterval} a request for this provider may ask for
 * @param maxPollInterval the longest
 */
public record ProviderSettings(ProviderEndpoint endpoint, PollPolicy policy, int batchSize, Duration batchWindow,
                               int maxConcurrent, Duration connectTimeout, Duration responseTimeout,
                               int circuitFailures, Duration circuitOpen, Duration minPollInterval,
                               Duration maxPollInterval) {

    public static ProviderSettings read(Configuration config, ProviderAdapter adapter) {
        String name = adapter.name();
        PollPolicy policy = new PollPolicy(
                config.get(INITIAL_DELAY, name),
                config.get(INTERVAL, name),
                config.get(BACKOFF_MULTIPLIER, name),
                config.get(MAX_INTERVAL, name),
                config.get(DEADLINE, name),
                config.get(MAX_ATTEMPTS, name),
                config.get(ERROR_BACKOFF, name),
                config.get(MAX_ERROR_BACKOFF, name),
                config.get(NOT_FOUND_GRACE, name));
        if (pushesItsEnds(config, adapter)) {
            // polling is only the safety net of a webhook that never came
            policy = policy.forRequest(config.get(WEBHOOKS_SAFETY_NET_INTERVAL));
        }
        return new ProviderSettings(
                new ProviderEndpoint(config.get(BASE_URL, name), config.get(API_KEY, name)),
                policy,
                Math.min(adapter.maxBatchSize(), config.get(BATCH_SIZE, name)),
                config.get(BATCH_WINDOW, name),
                config.get(MAX_CONCURRENT, name),
                config.get(CONNECT_TIMEOUT, name),
                config.get(RESPONSE_TIMEOUT, name),
                config.get(CIRCUIT_FAILURES, name),
                config.get(CIRCUIT_OPEN, name),
                config.get(MIN_POLL_INTERVAL, name),
                config.get(MAX_POLL_INTERVAL, name));
    }

    /** Whether the provider's tasks are ended by a webhook (or callback) when they end, polling being the safety net. */
    static boolean pushesItsEnds(Configuration config, ProviderAdapter adapter) {
        return adapter.push().isPresent() && config.get(WEBHOOK_ENABLED, adapter.name());
    }
}
