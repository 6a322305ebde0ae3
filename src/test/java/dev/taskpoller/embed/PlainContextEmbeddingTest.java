package dev.taskpoller.embed;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** taskpoller added to a plain DefaultCamelContext of a host with its own routes, bean, components and settings. */
class PlainContextEmbeddingTest {

    @TempDir
    Path dir;
    private final EmbeddingScenario scenario = new EmbeddingScenario();

    @AfterEach
    void closeSimulators() {
        scenario.close();
    }

    @Test
    void aHostsOwnRoutesSubmitAndReceiveEventsAndKeepTheirNamesSettingsAndErrorHandlerUntilTheContextStopsCleanly()
            throws Exception {
        HostStats stats = new HostStats();
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
