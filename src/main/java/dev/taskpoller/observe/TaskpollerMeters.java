package dev.taskpoller.observe;

import dev.taskpoller.provider.PollOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * taskpoller's meters (Micrometer; the names below are Prometheus's), recorded where the facts are: the counts of
 * {@link dev.taskpoller.engine.ProviderStats}, the dispatch of due tasks, the status calls.
 *
 * <p>They go to the context's own {@link MeterRegistry}: the one bound as {@code metricsRegistry} (camel-micrometer's
 * name, under which camel-micrometer-prometheus binds its Prometheus registry in the standalone app), else the only
 * one in the context's registry; a context with none gets a {@link SimpleMeterRegistry}, bound as
 * {@code taskpollerMeterRegistry}, so the meters can always be read.
 */
public final class TaskpollerMeters {

    /** camel-micrometer's bean name for the registry (MicrometerConstants.METRICS_REGISTRY_NAME). */
    static final String CAMEL_REGISTRY = "metricsRegistry";
    public static final String OWN_REGISTRY = "taskpollerMeterRegistry";
    /** Where there is no provider (a rejected request that named none), or no reason (a completed task). */
    static final String NONE = "none";
    /** The result of a status call the provider answered: some task ended, or all are still running. */
    static final String OK = "ok";
    static final String RUNNING = "running";
    /** The histograms' bucket bounds: for a status call, a late dispatch, a provider's finish to its event. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};
    /** How long one count of the tasks in flight serves every provider's gauge: counting walks all the tasks. */
    private static final long IN_FLIGHT_COUNT_MILLIS = 1000;

    private final MeterRegistry registry;
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    private volatile Map<String, Long> inFlight = Map.of();
    private volatile long inFlightCountedAt;

    TaskpollerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere: for parts used without a context (unit tests, tools). */
    public static TaskpollerMeters unregistered() {
        return new TaskpollerMeters(new CompositeMeterRegistry());
    }

    /** The meters in the context's registry (see the class comment). */
    public static TaskpollerMeters in(CamelContext context) throws Exception {
        TaskpollerMeters meters = new TaskpollerMeters(registryOf(context));
        // added as the context starts: a context not initialised yet may replace its management strategy meanwhile
        context.addService(new StatusCallTimer(meters, context), true, true);
        return meters;
    }

    /**
     * One gauge per provider of the tasks in flight, as {@code byProvider} counts them, until {@link #stopCounting}:
     * a registry that outlives the context would otherwise keep reading the tasks of a stopped context.
     */
    public void countInFlight(Collection<String> providers, Supplier<Map<String, Long>> byProvider) {
        for (String provider : providers) {
            gauges.add(Gauge.builder("taskpoller.tasks.in.flight", () -> inFlight(byProvider).getOrDefault(provider, 0L))
                    .description("Tasks this instance is polling")
                    .tag("provider", provider)
                    .register(registry));
        }
    }

    /** Removes the in-flight gauges from the registry. */
    public void stopCounting() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    static MeterRegistry registryOf(CamelContext context) {
        Registry beans = context.getRegistry();
        MeterRegistry named = beans.lookupByNameAndType(CAMEL_REGISTRY, MeterRegistry.class);
        if (named != null) {
            return named;
        }
        var all = beans.findByType(MeterRegistry.class);
        if (all.size() == 1) {
            return all.iterator().next();
        }
        MeterRegistry own = new SimpleMeterRegistry();
        beans.bind(OWN_REGISTRY, own);
        return own;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void accepted(String provider) {
        Counter.builder("taskpoller.tasks.accepted").description("Tasks accepted (written to the in-flight topic)")
                .tag("provider", provider).register(registry).increment();
    }

    /** Input read again after its task was accepted (passed over), by kind: kafka, file, route. */
    public void readAgain(String input) {
        Counter.builder("taskpoller.input.read.again").description("Input read again after its task was accepted, by kind")
                .tag("input", input).register(registry).increment();
    }

    public void rejected(String provider, String reason) {
        Counter.builder("taskpoller.rejected").description("Requests rejected, by reason")
                .tag("provider", provider == null ? NONE : provider).tag("reason", reason).register(registry).increment();
    }

    /**
     * A terminal event is out (topic, outbox, tombstone): its provider, outcome and reason (null for none); the delay
     * from the provider's finish when it said when ({@code providerFinishedAt}, else null).
     */
    public void published(String provider, String outcome, String reason, Instant providerFinishedAt) {
        Counter.builder("taskpoller.events").description("Terminal events published")
                .tag("provider", provider).tag("outcome", outcome).tag("reason", reason == null ? NONE : reason)
                .register(registry).increment();
        if (providerFinishedAt != null) {
            long millis = Duration.between(providerFinishedAt, Instant.now()).toMillis();
            histogram("taskpoller.event.delay", "From the provider's finish (as it said) to the event published",
                    provider).record(Math.max(0, millis), TimeUnit.MILLISECONDS);
        }
    }

    /** A publishing transaction committed: how many tasks it ended, how long it took from its first send. */
    public void publishedBatch(int tasks, Duration took) {
        io.micrometer.core.instrument.DistributionSummary.builder("taskpoller.publish.batch.size")
                .description("Tasks ended by one publishing transaction").register(registry).record(tasks);
        Timer.builder("taskpoller.publish.commit").description("A publishing transaction, from its first send to its commit")
                .serviceLevelObjectives(BUCKETS).register(registry).record(took);
    }

    /** A publishing transaction aborted (or in doubt), by why: record_too_large, fenced_membership, fenced_producer, timeout, commit_timeout, error. */
    public void abortedTransaction(String reason) {
        Counter.builder("taskpoller.publish.aborted").description("Publishing transactions aborted, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** An intake transaction (a poll of the requests topic) aborted, by why: record_too_large, fenced_membership, fenced_producer, timeout, error. */
    public void abortedIntake(String reason) {
        Counter.builder("taskpoller.ingest.aborted").description("Intake transactions aborted, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** The terminal events waiting to be published, as {@code depth} tells. */
    public void countPublishQueue(Supplier<Number> depth) {
        gauges.add(Gauge.builder("taskpoller.publish.queue", () -> depth.get().doubleValue())
                .description("Terminal events waiting to be published").register(registry));
    }

    /** The task ends remembered here (input read again after them is passed over), as {@code count} tells. */
    public void countRememberedEnds(Supplier<Number> count) {
        gauges.add(Gauge.builder("taskpoller.tasks.ended.remembered", () -> count.get().doubleValue())
                .description("Task ends remembered for taskpoller.ingest.finished-ttl").register(registry));
    }

    /**
     * A status call's outcome: {@code ok} (the provider answered and some task ended), {@code running} (it answered,
     * none ended), or why the call failed as a whole ({@code rate_limited} for a 429, {@code provider_unavailable},
     * {@code transport_error}, {@code bad_response}, {@code unauthorized}).
     */
    public void statusCall(String provider, Collection<PollOutcome> outcomes) {
        Counter.builder("taskpoller.status.calls").description("Status calls, by result")
                .tag("provider", provider).tag("result", resultOf(outcomes)).register(registry).increment();
    }

    static String resultOf(Collection<PollOutcome> outcomes) {
        if (outcomes.stream().anyMatch(outcome -> outcome.status().terminal())) {
            return OK;
        }
        if (outcomes.stream().anyMatch(outcome -> outcome.status() == PollOutcome.Status.RUNNING)) {
            return RUNNING;
        }
        return outcomes.stream().filter(outcome -> outcome.error() != null).findFirst()
                .map(outcome -> outcome.error().reason()).orElse(NONE);
    }

    /** How long a status call took, answer or not. */
    public void statusCallTook(String provider, long millis) {
        histogram("taskpoller.status.call", "Status calls' duration", provider).record(millis, TimeUnit.MILLISECONDS);
    }

    /** A due task handed to its status call {@code lateMillis} after the time it was due (0 when not late). */
    public void dispatched(String provider, long lateMillis) {
        histogram("taskpoller.poll.lateness", "Dispatch of a due task minus the time it was due", provider)
                .record(Math.max(0, lateMillis), TimeUnit.MILLISECONDS);
    }

    private Timer histogram(String name, String description, String provider) {
        return Timer.builder(name).description(description).tag("provider", provider)
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    private Map<String, Long> inFlight(Supplier<Map<String, Long>> count) {
        long now = System.currentTimeMillis();
        if (now - inFlightCountedAt >= IN_FLIGHT_COUNT_MILLIS) {
            inFlight = count.get();
            inFlightCountedAt = now;
        }
        return inFlight;
    }
}
