package dev.taskpoller.engine;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.config.Settings;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the polling routes of every provider taskpoller can poll from the two templates of routes/poll.yaml, with
 * Camel's own template instantiation: {@code taskpoller-poll-<provider>} (dispatch) and {@code taskpoller-call-<provider>}
 * (status calls), each with that provider's settings (its block in the configuration, else the defaults), and
 * {@code taskpoller-webhook-<provider>} from the template of routes/webhooks.yaml where its pushes are on. A provider
 * is its adapter or definition and its configuration: no route entry to write, none to forget. A disabled provider's
 * routes are made and left stopped. When the context starts it logs each provider polled, and warns of one without
 * an API key.
 */
public final class ProviderRoutes implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRoutes.class);
    private static final String DISPATCH = "taskpoller-poll-";
    private static final String CALLS = "taskpoller-call-";
    private static final String WEBHOOK = "taskpoller-webhook-";

    private final Providers providers;

    private ProviderRoutes(Providers providers) {
        this.providers = providers;
    }

    /**
     * Adds both routes of every available provider, and the webhook route of each in {@code pushing}; call once the
     * templates of routes/poll.yaml and routes/webhooks.yaml are loaded.
     */
    public static void addAll(CamelContext context, Providers providers, Configuration config, List<String> pushing)
            throws Exception {
        for (String provider : providers.available()) {
            String enabled = String.valueOf(config.get(Settings.ENABLED, provider));
            TemplatedRouteBuilder.builder(context, "taskpoller-provider-dispatch")
                    .routeId(DISPATCH + provider)
                    .parameter("provider", provider)
                    .parameter("enabled", enabled)
                    .add();
            TemplatedRouteBuilder.builder(context, "taskpoller-provider-status-calls")
                    .routeId(CALLS + provider)
                    .parameter("provider", provider)
                    .parameter("enabled", enabled)
                    .parameter("maxConcurrent", String.valueOf(config.get(Settings.MAX_CONCURRENT, provider)))
                    // the HTTP endpoint takes its timeouts in milliseconds
                    .parameter("connectTimeout", String.valueOf(config.get(Settings.CONNECT_TIMEOUT, provider).toMillis()))
                    .parameter("responseTimeout", String.valueOf(config.get(Settings.RESPONSE_TIMEOUT, provider).toMillis()))
                    .add();
        }
        // only where pushes are on: a platform-http endpoint needs an HTTP server (Camel Main's, or the host's)
        for (String provider : pushing) {
            TemplatedRouteBuilder.builder(context, "taskpoller-provider-webhook")
                    .routeId(WEBHOOK + provider)
                    .parameter("provider", provider)
                    .parameter("enabled", String.valueOf(config.get(Settings.ENABLED, provider)))
                    .parameter("path", config.get(Settings.WEBHOOKS_BASE_PATH).replaceAll("/+$", "") + "/" + provider)
                    .add();
        }
        context.addStartupListener(new ProviderRoutes(providers));
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        for (String provider : providers.names()) {
            ProviderSettings settings = providers.settings(provider);
            LOG.info("Polling {} at {} ({})", provider, settings.endpoint().baseUrl(), settings.policy());
            if (settings.endpoint().apiKey().isBlank()) {
                LOG.warn("No API key configured for {} ({}): its calls will be refused", provider,
                        Settings.API_KEY.keyFor(provider));
            }
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            // added to a running context: no starting callback came before this one
            onCamelContextStarting(context, true);
        }
    }
}
