package dev.taskpoller.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskpoller.TaskpollerRoutes;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.Test;

/** taskpoller added to a host's Camel Main application, with its own routes, bean, components and settings. */
class CamelMainEmbeddingTest extends EmbeddingTestSupport {

    @Test
    void aHostsOwnRoutesSubmitAndReceiveEventsAndKeepTheirNamesSettingsAndErrorHandlerUntilMainStopsCleanly()
            throws Exception {
        Properties properties = scenario.properties(dir);
        // the host's own Camel Main settings and its kafka component, configured the Camel Main way
        properties.put("camel.main.name", "orders-app");
        properties.put("camel.main.shutdown-timeout", "20");
        properties.put("camel.main.message-history", "true");
        properties.put("camel.component.kafka.brokers", "{{host.kafka.brokers}}");
        properties.put("camel.component.kafka.poll-timeout-ms", "200");
        // the host's own YAML routes, where Camel users commonly keep them
        properties.put("camel.main.routes-include-pattern", "classpath:routes/*.yaml");

        Main main = new Main();
        main.setInitialProperties(properties);
        main.bind("stats", stats);
        main.configure().addRoutesBuilder(new TaskpollerRoutes());
        main.configure().addRoutesBuilder(new HostRoutes());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                // the host's own error handler, for its own routes (taskpoller's routes have theirs)
                support.getCamelContext().getCamelContextExtension()
                        .setErrorHandlerFactory(new DeadLetterChannelBuilder("seda:dead"));
            }
        });
        main.start();
        CamelContext context = main.getCamelContext();
        try {
            EmbeddingScenario.Settings settings = EmbeddingScenario.Settings.of(context);
            assertEquals("orders-app", settings.name());
            assertEquals(20, settings.shutdownTimeout());
            assertEquals(true, settings.messageHistory());
            assertEquals(DeadLetterChannelBuilder.class, settings.errorHandler().getClass());
            assertEquals("pong", context.createFluentProducerTemplate().to("direct:ping").request(String.class),
                    "the host's own YAML route");
            scenario.tasksGoInAndEventsComeOut(context, stats);
            scenario.hostPartsLeftAsTheyWere(context, stats, settings);
        } finally {
            main.stop();
        }
        scenario.stoppedCleanly(context);
    }
}
