package dev.taskpoller.engine;

import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the polling routes that routes/providers.yaml (or a host's own YAML) creates from the templates of poll.yaml,
 * {@code taskpoller-poll-<provider>} and {@code taskpoller-call-<provider>}: a route for a provider that has no
 * adapter on the class path stops the start as it is added, and so, when the context starts, does an enabled
 * provider without both of its routes, whose tasks would be accepted and never polled. At that start it logs each
 * provider polled, and warns of a provider without an API key.
 */
public final class PollingRoutes extends ModelLifecycleStrategySupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(PollingRoutes.class);
    public static final String DISPATCH = "taskpoller-poll-";
    public static final String CALLS = "taskpoller-call-";
    private static final String PROVIDER_PARAMETER = "provider";

    private final Providers providers;
    private final Set<String> adapters = new TreeSet<>();

    public PollingRoutes(Providers providers) {
        this.providers = providers;
        adapters.addAll(providers.available());
    }

    /** Checks each polling route as it is added to the context: call before the routes are loaded. */
    public void watch(CamelContext context) {
        context.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(this);
    }

    /** Checks that every enabled provider has its routes when the context starts (at once if it is running). */
    public void checkAtStart(CamelContext context) throws Exception {
        context.addStartupListener(this);
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        String id = route.getRouteId();
        if (!route.isCreatedFromTemplate() || id == null || !(id.startsWith(DISPATCH) || id.startsWith(CALLS))) {
            return;
        }
        Object provider = route.getTemplateParameters().get(PROVIDER_PARAMETER);
        if (!adapters.contains(String.valueOf(provider))) {
            throw new InvalidConfigurationException(List.of("route " + id + " polls provider '" + provider
                    + "', which has no adapter on the class path (providers: " + adapters + ")"));
        }
        if (!id.equals(DISPATCH + provider) && !id.equals(CALLS + provider)) {
            throw new InvalidConfigurationException(List.of("route " + id + " polls provider '" + provider
                    + "': expected the id " + DISPATCH + provider + " or " + CALLS + provider));
        }
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> problems = new ArrayList<>();
        for (String provider : providers.names()) {
            List<String> missing = List.of(DISPATCH + provider, CALLS + provider).stream()
                    .filter(id -> model.getRouteDefinition(id) == null)
                    .toList();
            if (!missing.isEmpty()) {
                problems.add("provider " + provider + " is enabled but no route polls it: " + String.join(" and ", missing)
                        + " missing (add its templatedRoutes as in routes/providers.yaml, or set "
                        + Settings.ENABLED.keyFor(provider) + " = false)");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
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
