package dev.taskpoller.embed;

import java.util.Properties;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/** taskpoller added to a plain DefaultCamelContext of a host with its own routes, bean, components and settings. */
class PlainContextEmbeddingTest extends EmbeddingTestSupport {

    @Test
    void aHostsOwnRoutesSubmitAndReceiveEventsAndKeepTheirNamesSettingsAndErrorHandlerUntilTheContextStopsCleanly()
            throws Exception {
        Properties properties = scenario.properties(dir);
        CamelContext context = PlainContextHost.newContext(properties, stats);
        EmbeddingScenario.Settings settings = EmbeddingScenario.Settings.of(context);
        PlainContextHost.addRoutes(context);
        context.start();
        try {
            scenario.tasksGoInAndEventsComeOut(context, stats);
            scenario.hostPartsLeftAsTheyWere(context, stats, settings);
        } finally {
            context.stop();
        }
        scenario.stoppedCleanly(context);
    }
}
