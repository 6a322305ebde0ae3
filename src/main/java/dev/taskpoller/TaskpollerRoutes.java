package dev.taskpoller;

import dev.taskpoller.engine.InFlightLog;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.Poller;
import dev.taskpoller.engine.ProviderStats;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.ingest.InboxFileReader;
import dev.taskpoller.ingest.SubmissionReader;
import dev.taskpoller.ingest.SubmissionValidator;
import dev.taskpoller.kafka.EmbeddedKafkaBroker;
import dev.taskpoller.kafka.KafkaTopics;
import dev.taskpoller.kafka.KafkaTopics.TopicSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs taskpoller into a Camel context: its default configuration (where the context has none of its own),
 * Kafka (an embedded broker when {@code taskpoller.kafka.brokers} is empty), its topics, its beans and the YAML
 * routes packaged under {@code routes/}. The application uses it through Camel Main; a host application adds it to
 * its own context with {@code context.addRoutes(new TaskpollerRoutes())}.
 */
public class TaskpollerRoutes implements RoutesBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(TaskpollerRoutes.class);
    static final String DEFAULTS = "taskpoller-defaults/application.properties";
    private static final List<String> ROUTES = List.of(
            "routes/ingest.yaml", "routes/submit.yaml", "routes/poll.yaml", "routes/publish.yaml");

    @Override
    public void addRoutesToCamelContext(CamelContext context) throws Exception {
        addDefaults(context.getPropertiesComponent());
        String brokers = kafka(context);
        createTopics(context, brokers);

        Providers providers = new Providers(context);
        ProviderStats stats = new ProviderStats();
        InFlightTasks inFlightTasks = new InFlightTasks(providers);
        InFlightLog inFlightLog = new InFlightLog(brokers, property(context, "taskpoller.topic.inflight"),
                property(context, "taskpoller.kafka.inflight-group-id"),
                Duration.ofMillis(Long.parseLong(property(context, "taskpoller.kafka.session-timeout-ms"))), inFlightTasks);
        int maxIdLength = Integer.parseInt(property(context, "taskpoller.input.max-task-id-length"));
        context.getRegistry().bind("providers", providers);
        context.getRegistry().bind("stats", stats);
        context.getRegistry().bind("inFlightTasks", inFlightTasks);
        context.getRegistry().bind("inFlightLog", inFlightLog);
        context.getRegistry().bind("poller", new Poller(providers, inFlightTasks, stats));
        SubmissionReader submissionReader = new SubmissionReader(new SubmissionValidator(providers, maxIdLength), inFlightTasks);
        context.getRegistry().bind("submissionReader", submissionReader);
        context.getRegistry().bind("inboxFileReader", new InboxFileReader(submissionReader,
                Path.of(property(context, "taskpoller.inbox")),
                Integer.parseInt(property(context, "taskpoller.input.max-request-bytes")),
                Long.parseLong(property(context, "taskpoller.inbox.settle-ms"))));
        context.addComponent("taskpoller-http", statusApiClient(context));
        context.addComponent("taskpoller-kafka", kafkaClient(brokers));
        // the in-flight log lives as long as the context, whatever happens to the routes that use it
        context.addService(lifecycle(inFlightLog::open, inFlightLog::close), true, true);

        List<Resource> routes = ROUTES.stream()
                .map(path -> PluginHelper.getResourceLoader(context).resolveResource("classpath:" + path))
                .toList();
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        for (String provider : providers.names()) {
            LOG.info("Polling {} at {} ({})", provider, providers.settings(provider).endpoint().baseUrl(),
                    providers.settings(provider).policy());
            if (providers.settings(provider).endpoint().apiKey().isBlank()) {
                LOG.warn("No API key configured for {} (taskpoller.provider.{}.api-key): its calls will be refused",
                        provider, provider);
            }
            TemplatedRouteBuilder.builder(context, "provider-polling-loop")
                    .routeId("poll-" + provider)
                    .parameter("provider", provider)
                    .add();
        }
        LOG.info("taskpoller installed: providers {}, Kafka {}", providers.names(), brokers);
    }

    @Override
    public void addTemplatedRoutesToCamelContext(CamelContext context) {
        // the polling loops are created from their template in addRoutesToCamelContext, one per provider
    }

    @Override
    public Set<String> updateRoutesToCamelContext(CamelContext context) {
        throw new UnsupportedOperationException("taskpoller's routes are installed once; restart the context to change them");
    }

    /** Adds each packaged default the context does not already define, so an embedding host needs no file. */
    private static void addDefaults(PropertiesComponent properties) throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = TaskpollerRoutes.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the class path");
            }
            defaults.load(in);
        }
        defaults.stringPropertyNames().stream()
                .filter(key -> properties.resolveProperty(key).isEmpty())
                .forEach(key -> properties.addInitialProperty(key, defaults.getProperty(key)));
    }

    /** The configured brokers, or a started embedded broker's (stopped with the context) when none are configured. */
    private static String kafka(CamelContext context) throws Exception {
        String brokers = context.getPropertiesComponent().resolveProperty("taskpoller.kafka.brokers").orElse("").trim();
        if (!brokers.isEmpty()) {
            return brokers;
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(
                Path.of(property(context, "taskpoller.kafka.embedded.data-dir")),
                Integer.parseInt(property(context, "taskpoller.kafka.embedded.port")), 0,
                Integer.parseInt(property(context, "taskpoller.kafka.partitions")), Duration.ofSeconds(60), Map.of());
        broker.start();
        // stopped with the context, after the routes and the in-flight follower that use it
        context.addService(lifecycle(() -> { }, broker::close), true, false);
        context.getPropertiesComponent().addOverrideProperty("taskpoller.kafka.brokers", broker.bootstrapServers());
        return broker.bootstrapServers();
    }

    private static void createTopics(CamelContext context, String brokers) {
        int partitions = Integer.parseInt(property(context, "taskpoller.kafka.partitions"));
        short replication = Short.parseShort(property(context, "taskpoller.kafka.replication-factor"));
        List<TopicSpec> topics = List.of(
                TopicSpec.plain(property(context, "taskpoller.topic.requests"), partitions),
                TopicSpec.compacted(property(context, "taskpoller.topic.inflight"), partitions),
                TopicSpec.plain(property(context, "taskpoller.topic.completed"), partitions),
                TopicSpec.plain(property(context, "taskpoller.topic.failed"), partitions),
                TopicSpec.plain(property(context, "taskpoller.topic.rejected"), partitions))
                .stream().map(topic -> topic.withReplicationFactor(replication)).toList();
        KafkaTopics.ensure(brokers, topics, Duration.ofSeconds(30));
    }

    /**
     * The HTTP client of the status calls, separate from any {@code http} component of a host application: its own
     * timeouts, and no automatic retries, since the polling loop decides when to call again (and honours Retry-After
     * without holding a thread).
     */
    private static HttpComponent statusApiClient(CamelContext context) {
        HttpComponent http = new HttpComponent();
        http.setAutomaticRetriesDisabled(true);
        http.setConnectTimeout(TimeUtils.toMilliSeconds(property(context, "taskpoller.http.connect-timeout")));
        http.setResponseTimeout(TimeUtils.toMilliSeconds(property(context, "taskpoller.http.response-timeout")));
        http.setSoTimeout(TimeUtils.toMilliSeconds(property(context, "taskpoller.http.response-timeout")));
        http.setMaxTotalConnections(Integer.parseInt(property(context, "taskpoller.http.max-connections")));
        http.setConnectionsPerRoute(Integer.parseInt(property(context, "taskpoller.http.max-connections")));
        return http;
    }

    /** taskpoller's own Kafka component, on its brokers, separate from any {@code kafka} component of a host. */
    private static KafkaComponent kafkaClient(String brokers) {
        KafkaComponent kafka = new KafkaComponent();
        kafka.getConfiguration().setBrokers(brokers);
        return kafka;
    }

    private interface Step {
        void run() throws Exception;
    }

    /** A context service that runs these steps when the context starts and stops. */
    private static ServiceSupport lifecycle(Step start, Step stop) {
        return new ServiceSupport() {
            @Override
            protected void doStart() throws Exception {
                start.run();
            }

            @Override
            protected void doStop() throws Exception {
                stop.run();
            }
        };
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("missing configuration " + key));
    }
}
