package dev.taskpoller;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.config.ConfigurationCheck;
import dev.taskpoller.config.Settings;
import dev.taskpoller.engine.ActivitySummary;
import dev.taskpoller.engine.EventFactory;
import dev.taskpoller.engine.EventTransactions;
import dev.taskpoller.engine.FinishedTasks;
import dev.taskpoller.engine.InFlightLog;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.IntakeTransactions;
import dev.taskpoller.engine.OutboxRepair;
import dev.taskpoller.engine.Poller;
import dev.taskpoller.engine.ProviderCircuits;
import dev.taskpoller.engine.ProviderRateLimits;
import dev.taskpoller.engine.ProviderRoutes;
import dev.taskpoller.engine.ProviderStats;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.engine.PublishBatches;
import dev.taskpoller.engine.StatusCallReplies;
import dev.taskpoller.engine.TaskControls;
import dev.taskpoller.engine.TerminalEvent;
import dev.taskpoller.health.TaskpollerHealthChecks;
import dev.taskpoller.ingest.InboxFileReader;
import dev.taskpoller.ingest.InputLimits;
import dev.taskpoller.ingest.SubmissionReader;
import dev.taskpoller.ingest.SubmissionValidator;
import dev.taskpoller.ingest.SubmitReply;
import dev.taskpoller.kafka.BrokerJars;
import dev.taskpoller.kafka.EmbeddedKafkaBroker;
import dev.taskpoller.kafka.KafkaTopics.TopicSpec;
import dev.taskpoller.kafka.KafkaTopics;
import dev.taskpoller.kafka.RecordLimit;
import dev.taskpoller.observe.TaskpollerMeters;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.webhook.ProviderPushes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs taskpoller into a Camel context: its default configuration (where the context has none of its own),
 * Kafka (an embedded broker when {@code taskpoller.kafka.brokers} is empty), its topics, its beans and the YAML
 * routes packaged under {@code taskpoller/routes/}. The application uses it through Camel Main; a host application
 * adds it to its own context with {@code context.addRoutes(new TaskpollerRoutes())} (README, Embedding).
 */
public class TaskpollerRoutes implements RoutesBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(TaskpollerRoutes.class);
    /** Packaged under taskpoller/ (pom.xml): a host's own classpath:routes/*.yaml must not load them again. */
    private static final List<String> ROUTES = Stream.of("ingest", "submit", "poll", "webhooks", "publish", "summary", "embed",
                    "control")
            .map(name -> "taskpoller/routes/" + name + ".yaml").toList();
    /** The publishing stage of publish.yaml, as the status calls of poll.yaml send to it. */
    private static final String PUBLISH_QUEUE = "seda:taskpoller-publish?size={{taskpoller.publish.queue-size}}"
            + "&waitForTaskToComplete=Never&blockWhenFull=true";
    /** The control records done with (control.yaml), as the in-flight follower hands them over without waiting. */
    private static final String CONTROLS_DONE = "seda:taskpoller-control-refused?waitForTaskToComplete=Never&blockWhenFull=true";
    private static final String EMBEDDED_MEMBER = "taskpoller-embedded";
    /** The property routes/ingest.yaml reads the requests consumer's group.instance.id from, set only when there is one. */
    private static final String REQUESTS_MEMBER = "taskpoller.kafka.requests-member-id";
    /** Contexts taskpoller was installed into in this JVM: part of a transactional id made up for one of them. */
    private static final java.util.concurrent.atomic.AtomicInteger INSTALLS = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void addRoutesToCamelContext(CamelContext context) throws Exception {
        Configuration.addDefaults(context.getPropertiesComponent());
        List<ProviderAdapter> available = Providers.availableWithDefaults(context);
        // before anything starts: a bad value must not leave an embedded broker running
        ConfigurationCheck.run(context, available.stream().map(ProviderAdapter::name).toList());
        Configuration config = Configuration.of(context);
        ProviderPushes pushes = ProviderPushes.of(config, available);
        List<String> configuredBrokers = config.get(Settings.KAFKA_BROKERS);
        EmbeddedKafkaBroker broker = configuredBrokers.isEmpty() ? startEmbeddedBroker(config) : null;
        try {
            if (broker != null) {
                // stopped with the context, after the routes and the in-flight follower that use it
                context.addService(lifecycle(() -> { }, broker::close), true, false);
                context.getPropertiesComponent().addOverrideProperty(Settings.KAFKA_BROKERS.name(), broker.bootstrapServers());
            }
            install(context, config, broker == null ? String.join(",", configuredBrokers) : broker.bootstrapServers(),
                    broker != null, new Providers(context, available), pushes);
        } catch (Exception | Error e) {
            if (broker != null) {
                try {
                    broker.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private void install(CamelContext context, Configuration config, String brokers, boolean embedded,
                         Providers providers, ProviderPushes pushes) throws Exception {
        createTopics(config, brokers);

        TaskpollerMeters meters = TaskpollerMeters.in(context);
        context.getRegistry().bind("taskpollerMeters", meters);
        ProviderStats stats = new ProviderStats(meters);
        InFlightTasks inFlightTasks = new InFlightTasks(providers, meters, new FinishedTasks(
                config.get(Settings.INGEST_FINISHED_TTL), config.get(Settings.INGEST_FINISHED_MAX)));
        meters.countInFlight(providers.names(), inFlightTasks::sizeByProvider);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarting(CamelContext started) {
                inFlightTasks.resumeDispatching();
            }

            @Override
            public void onContextStopping(CamelContext stopping) {
                // before the routes are shut down: an idle dispatch would hold the in-flight check a whole second
                inFlightTasks.stopDispatching();
            }
        });
        context.addService(lifecycle(() -> { }, meters::stopCounting), true, false);
        RecordLimit recordLimit = new RecordLimit(config.get(Settings.KAFKA_MAX_RECORD_BYTES));
        InFlightLog inFlightLog = new InFlightLog(brokers, config.get(Settings.TOPIC_INFLIGHT),
                config.get(Settings.KAFKA_INFLIGHT_GROUP_ID),
                Duration.ofMillis(config.get(Settings.KAFKA_SESSION_TIMEOUT_MS)), inFlightTasks, recordLimit,
                // an embedded broker has this instance alone: after a crash its follower takes the place of the
                // dead one at once (a static member) instead of waiting out the dead one's session
                embedded ? Optional.of(EMBEDDED_MEMBER) : Optional.empty());
        context.getRegistry().bind("taskpollerProviders", providers);
        context.getRegistry().bind("taskpollerStats", stats);
        context.getRegistry().bind("taskpollerInFlightTasks", inFlightTasks);
        context.getRegistry().bind("taskpollerInFlightLog", inFlightLog);
        ProviderCircuits circuits = new ProviderCircuits(providers, inFlightTasks);
        context.getRegistry().bind("taskpollerProviderCircuits", circuits);
        EventFactory events = new EventFactory(recordLimit);
        Poller poller = new Poller(providers, inFlightTasks, stats, events, circuits);
        context.getRegistry().bind("taskpollerPoller", poller);
        context.getRegistry().bind("taskpollerStatusCallReplies", new StatusCallReplies());
        context.getRegistry().bind("taskpollerPublishRetry", (Processor) exchange -> publishRetried(poller, exchange));
        // events decided before a crash go to the publishing stage as they were, not to the provider again
        ProducerTemplate republisher = context.createProducerTemplate();
        // stopped with the context, after the in-flight follower that uses it
        context.addService(republisher, true, false);
        inFlightLog.republishWith(event -> republisher.sendBody(PUBLISH_QUEUE, event));
        // a control record read by its task's owner: the event it decides to the publishing stage, else to control.yaml
        TaskControls controls = new TaskControls(providers, inFlightTasks, events,
                event -> republisher.sendBody(PUBLISH_QUEUE, event), refusal -> republisher.sendBody(CONTROLS_DONE, refusal));
        inFlightLog.controlWith(controls);
        context.getRegistry().bind("taskpollerTaskControls", controls);
        String transactionalId = transactionalId(config, embedded);
        requestsMember(config, embedded).ifPresent(member ->
                context.getPropertiesComponent().addOverrideProperty(REQUESTS_MEMBER, member));
        EventTransactions transactions = new EventTransactions(new EventTransactions.Settings(brokers,
                config.get(Settings.TOPIC_COMPLETED), config.get(Settings.TOPIC_FAILED), config.get(Settings.TOPIC_REJECTED),
                config.get(Settings.TOPIC_INFLIGHT), transactionalId,
                config.get(Settings.PUBLISH_TRANSACTION_TIMEOUT), recordLimit.maxBytes()), inFlightTasks, inFlightLog,
                controls, meters);
        // closed with the context, after the routes that publish; a line a crash cut in the outbox goes first
        Path outbox = config.get(Settings.OUTBOX);
        context.addService(lifecycle(() -> {
            OutboxRepair.repair(outbox);
            transactions.open();
        }, transactions::close), true, true);
        context.getRegistry().bind("taskpollerEventTransactions", transactions);
        IntakeTransactions intake = new IntakeTransactions(new IntakeTransactions.Settings(brokers,
                config.get(Settings.TOPIC_INFLIGHT), config.get(Settings.TOPIC_REJECTED), transactionalId + "-intake",
                config.get(Settings.PUBLISH_TRANSACTION_TIMEOUT), recordLimit.maxBytes()), inFlightTasks, meters);
        // closed with the context, after the route that reads the requests topic
        context.addService(lifecycle(intake::open, intake::close), true, true);
        context.getRegistry().bind("taskpollerIntakeTransactions", intake);
        PublishBatches batches = new PublishBatches(config.get(Settings.PUBLISH_BATCH_SIZE));
        context.getRegistry().bind("taskpollerPublishBatches", batches);
        // the aggregator's default hands each batch to a thread of its own and takes the next event at once: batches of
        // one or two, however many wait; in the consumer's thread, the events wait while a batch commits and join the next
        context.getRegistry().bind("taskpollerPublishingThread", new SynchronousExecutorService());
        meters.countPublishQueue(batches::waiting);
        meters.countRememberedEnds(inFlightTasks.finished()::size);
        TaskpollerHealthChecks.register(context, new TaskpollerHealthChecks.Parts(brokers, inFlightLog, inFlightTasks,
                circuits, poller.faults(), providers.names(), transactions, batches));
        context.getRegistry().bind("taskpollerRateLimits", ProviderRateLimits.read(config, providers.names(), inFlightTasks));
        context.getRegistry().bind("taskpollerActivitySummary", new ActivitySummary(stats, inFlightTasks));
        SubmissionReader submissionReader = new SubmissionReader(new SubmissionValidator(providers, inputLimits(config)), inFlightTasks);
        context.getRegistry().bind("taskpollerSubmissionReader", submissionReader);
        context.getRegistry().bind("taskpollerSubmitReply", new SubmitReply());
        context.getRegistry().bind("taskpollerInboxFileReader", new InboxFileReader(submissionReader,
                config.get(Settings.INBOX), config.get(Settings.INPUT_MAX_REQUEST_BYTES), config.get(Settings.INBOX_SETTLE_MS),
                config.get(Settings.INGEST_BATCH_SIZE)));
        context.addComponent("taskpoller-http", statusApiClient(config));
        context.addComponent("taskpoller-kafka", kafkaClient(brokers, recordLimit));
        // the in-flight log lives as long as the context, whatever happens to the routes that use it
        context.addService(lifecycle(inFlightLog::open, inFlightLog::close), true, true);

        context.getRegistry().bind("taskpollerPushes", pushes);
        List<Resource> routes = ROUTES.stream()
                .map(path -> PluginHelper.getResourceLoader(context).resolveResource("classpath:" + path))
                .toList();
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        // every provider's polling routes (and webhook route, where its pushes are on), from the templates just loaded
        ProviderRoutes.addAll(context, providers, config, pushes.providers());
        LOG.info("taskpoller installed: providers {}, Kafka {}", providers.names(), brokers);
    }

    @Override
    public void addTemplatedRoutesToCamelContext(CamelContext context) {
        // the polling routes are made from the templates of poll.yaml as the routes are installed (ProviderRoutes)
    }

    @Override
    public Set<String> updateRoutesToCamelContext(CamelContext context) {
        throw new UnsupportedOperationException("taskpoller's routes are installed once; restart the context to change them");
    }

    private static EmbeddedKafkaBroker startEmbeddedBroker(Configuration config) {
        BrokerJars.require();
        return new EmbeddedKafkaBroker(config.get(Settings.KAFKA_EMBEDDED_DATA_DIR),
                config.get(Settings.KAFKA_EMBEDDED_PORT), 0, config.get(Settings.KAFKA_PARTITIONS),
                Duration.ofSeconds(60), Map.of()).start();
    }

    private static void createTopics(Configuration config, String brokers) {
        int partitions = config.get(Settings.KAFKA_PARTITIONS);
        short replication = config.get(Settings.KAFKA_REPLICATION_FACTOR);
        List<TopicSpec> topics = List.of(
                TopicSpec.plain(config.get(Settings.TOPIC_REQUESTS), partitions),
                TopicSpec.compacted(config.get(Settings.TOPIC_INFLIGHT), partitions),
                TopicSpec.plain(config.get(Settings.TOPIC_COMPLETED), partitions),
                TopicSpec.plain(config.get(Settings.TOPIC_FAILED), partitions),
                TopicSpec.plain(config.get(Settings.TOPIC_REJECTED), partitions),
                TopicSpec.plain(config.get(Settings.TOPIC_CANCEL), partitions))
                .stream().map(topic -> topic.withReplicationFactor(replication)).toList();
        KafkaTopics.ensure(brokers, topics, Duration.ofSeconds(30));
    }

    /**
     * The HTTP client of the status calls, separate from any {@code http} component of a host application: its own
     * timeouts, and no automatic retries, since the polling loop decides when to call again (and honours Retry-After
     * without holding a thread).
     */
    private static HttpComponent statusApiClient(Configuration config) {
        HttpComponent http = new HttpComponent();
        http.setAutomaticRetriesDisabled(true);
        http.setConnectTimeout(config.get(Settings.HTTP_CONNECT_TIMEOUT).toMillis());
        http.setResponseTimeout(config.get(Settings.HTTP_RESPONSE_TIMEOUT).toMillis());
        http.setSoTimeout(config.get(Settings.HTTP_RESPONSE_TIMEOUT).toMillis());
        http.setMaxTotalConnections(config.get(Settings.HTTP_MAX_CONNECTIONS));
        http.setConnectionsPerRoute(config.get(Settings.HTTP_MAX_CONNECTIONS));
        http.setUserAgent("taskpoller/" + instanceId(config));
        return http;
    }

    /**
     * The transactional id of this instance's publishing transactions: from its configured id, kept across restarts,
     * so that a restart aborts what the crashed incarnation left open at once; the embedded broker's one instance
     * has a fixed one. Without a configured id it is unique to this process (and this context within it), and a
     * crashed instance's open transaction waits out taskpoller.publish.transaction-timeout.
     */
    private static String transactionalId(Configuration config, boolean embedded) {
        if (!config.get(Settings.INSTANCE_ID).isBlank()) {
            return "taskpoller-" + instanceId(config);
        }
        if (embedded) {
            return EMBEDDED_MEMBER;
        }
        return "taskpoller-" + instanceId(config) + "-" + INSTALLS.incrementAndGet();
    }

    /**
     * The requests consumer's static group membership ({@code group.instance.id}, routes/ingest.yaml), when this
     * instance has an identity kept across restarts: a restart then takes its partitions of the requests topic back at
     * once, with no rebalance that waits out the killed member's session. Without one (a process id), nothing would
     * come back to take them, and a static member's partitions wait out its session even when it stops gracefully.
     */
    private static Optional<String> requestsMember(Configuration config, boolean embedded) {
        if (!config.get(Settings.INSTANCE_ID).isBlank()) {
            return Optional.of("taskpoller-" + instanceId(config) + "-requests");
        }
        return embedded ? Optional.of(EMBEDDED_MEMBER + "-requests") : Optional.empty();
    }

    /**
     * Retries of the publishing stage, logged by the poller: a batch's (its events, or what it published by then), or
     * a control record's (no event, nothing to say).
     */
    private static void publishRetried(Poller poller, org.apache.camel.Exchange exchange) {
        EventTransactions.Published published = exchange.getProperty("taskpollerPublished", EventTransactions.Published.class);
        Object body = exchange.getMessage().getBody();
        List<?> events = published != null ? published.events() : body instanceof List<?> batch ? batch : List.of();
        if (!events.isEmpty() && events.get(0) instanceof TerminalEvent first) {
            poller.retryPublish(first, events.size());
        }
    }

    /** The configured instance id, else host name and process id: unique among the instances of one deployment. */
    private static String instanceId(Configuration config) {
        String configured = config.get(Settings.INSTANCE_ID);
        if (!configured.isBlank()) {
            return configured.strip();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /**
     * taskpoller's own Kafka component, on its brokers, separate from any {@code kafka} component of a host. Every
     * record it writes (in-flight, control and rejected records) is acknowledged by all in-sync replicas and written
     * once however often the producer retries: set here once, not on each endpoint of the routes.
     */
    private static KafkaComponent kafkaClient(String brokers, RecordLimit limit) {
        KafkaComponent kafka = new KafkaComponent();
        kafka.getConfiguration().setBrokers(brokers);
        kafka.getConfiguration().setMaxRequestSize(limit.maxBytes());
        kafka.getConfiguration().setRequestRequiredAcks("all");
        kafka.getConfiguration().setEnableIdempotence(true);
        return kafka;
    }

    private static InputLimits inputLimits(Configuration config) {
        return new InputLimits(
                config.get(Settings.INPUT_MAX_REQUEST_BYTES),
                config.get(Settings.INPUT_MAX_PROVIDER_LENGTH),
                config.get(Settings.INPUT_MAX_TASK_ID_LENGTH),
                config.get(Settings.INPUT_MAX_CORRELATION_ID_LENGTH),
                config.get(Settings.INPUT_MAX_METADATA_BYTES),
                config.get(Settings.INPUT_MAX_METADATA_DEPTH));
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
}
