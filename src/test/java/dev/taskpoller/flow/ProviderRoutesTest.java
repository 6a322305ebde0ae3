package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.Enricher;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The polling routes are made from the two templates of routes/poll.yaml for every provider taskpoller can poll, each
 * with its configuration block: no route entry per provider.
 */
class ProviderRoutesTest {

    @TempDir
    Path dir;

    @Test
    void everyProviderGetsItsDispatchAndCallRoutesFromThePollTemplatesWithoutARouteEntry() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(hostProperties());
            context.addRoutes(new TaskpollerRoutes());
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            for (String provider : List.of("acedata-qrart", "closient-bulk-qr", "scan-documents", "shoplazza-upload")) {
                RouteDefinition dispatch = model.getRouteDefinition("taskpoller-poll-" + provider);
                RouteDefinition calls = model.getRouteDefinition("taskpoller-call-" + provider);
                assertNotNull(dispatch, provider + "'s dispatch route");
                assertNotNull(calls, provider + "'s call route");
                assertTrue(dispatch.isCreatedFromTemplate() && calls.isCreatedFromTemplate(), provider);
                assertEquals(provider, dispatch.getTemplateParameters().get("provider"));
                assertEquals(provider, calls.getTemplateParameters().get("provider"));
                assertEquals(String.valueOf(provider.equals("shoplazza-upload") ? 1 : 4),
                        String.valueOf(calls.getTemplateParameters().get("maxConcurrent")), provider + "'s max-concurrent");
            }
        }
    }

    @Test
    void addedToARunningContextThePollingRoutesStartAtOnce() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(hostProperties());
            context.start();
            context.addRoutes(new TaskpollerRoutes());
            assertEquals("Started", context.getRouteController().getRouteStatus("taskpoller-poll-scan-documents").name());
            assertEquals("Started", context.getRouteController().getRouteStatus("taskpoller-call-closient-bulk-qr").name());
        }
    }

    private Properties hostProperties() {
        Properties p = new Properties();
        p.put("taskpoller.kafka.brokers", TestKafka.bootstrapServers());
        p.put("taskpoller.inbox", dir.resolve("inbox").toString());
        p.put("taskpoller.outbox", dir.resolve("outbox").toString());
        return p;
    }

    /** A provider's block as a configuration file writes it, disabled or with its own timeouts. */
    @Nested
    class Configured extends TaskpollerTestSupport {

        @Override
        protected Properties properties() {
            Properties p = super.properties();
            p.put("taskpoller.provider.shoplazza-upload.enabled", "false");
            p.put("taskpoller.provider.scan-documents.connect-timeout", "1234ms");
            p.put("taskpoller.http.response-timeout", "7s");
            return p;
        }

        @Test
        void aDisabledProvidersRoutesStayStoppedAndEachCallRouteTakesItsProvidersTimeouts() {
            assertEquals("Stopped", context.getRouteController().getRouteStatus("taskpoller-poll-shoplazza-upload").name());
            assertEquals("Stopped", context.getRouteController().getRouteStatus("taskpoller-call-shoplazza-upload").name());
            assertEquals("Started", context.getRouteController().getRouteStatus("taskpoller-poll-scan-documents").name());
            HttpEndpoint scanDocuments = httpEndpoint("scan-documents");
            assertEquals(1234, scanDocuments.getConnectTimeout(), "its own connect timeout");
            assertEquals(7000, scanDocuments.getResponseTimeout(), "the global response timeout, through its block");
            assertEquals(5000, httpEndpoint("acedata-qrart").getConnectTimeout(), "the packaged default");
        }

        /** The endpoint the provider's status call (an enrich) sends to, as its route resolved it. */
        private HttpEndpoint httpEndpoint(String provider) {
            List<Enricher> calls = enrichers(context.getRoute("taskpoller-call-" + provider).navigate());
            assertEquals(1, calls.size(), "one status call in the route");
            String uri = calls.get(0).getExpression().evaluate(new DefaultExchange(context), String.class);
            return context.getEndpoint(uri, HttpEndpoint.class);
        }

        private List<Enricher> enrichers(Navigate<Processor> node) {
            List<Enricher> found = new ArrayList<>();
            if (node != null && node.hasNext()) {
                for (Processor child : node.next()) {
                    if (child instanceof Enricher enricher) {
                        found.add(enricher);
                    }
                    if (child instanceof Navigate<?> more) {
                        @SuppressWarnings("unchecked")
                        Navigate<Processor> next = (Navigate<Processor>) more;
                        found.addAll(enrichers(next));
                    }
                }
            }
            return found;
        }
    }
}
