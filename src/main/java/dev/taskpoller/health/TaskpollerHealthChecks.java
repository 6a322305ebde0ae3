package dev.taskpoller.health;

import dev.taskpoller.engine.EventTransactions;
import dev.taskpoller.engine.InFlightLog;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.ProviderCircuits;
import dev.taskpoller.engine.ProviderFaults;
import dev.taskpoller.engine.PublishBatches;
import dev.taskpoller.provider.TaskError;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * taskpoller's health checks, registered in the context's {@link HealthCheckRegistry} (group {@code taskpoller}),
 * so that whatever serves the context's health (Camel Main's {@code /observe/health} in the standalone app) shows
 * them. Readiness: {@code taskpoller-kafka}, {@code taskpoller-inflight-rebuilt}, {@code taskpoller-publishing},
 * {@code taskpoller-provider-<name>};
 * liveness: {@code taskpoller-polling-loops}, {@code taskpoller-inflight-follower}. Each says why in its details.
 */
public final class TaskpollerHealthChecks {

    static final String GROUP = "taskpoller";
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How long publishing transactions may fail without one committing before publishing counts as DOWN: one that a
     * rebalance fences fails in milliseconds and the next commits; a broker away fails each for its delivery timeout.
     */
    static final Duration PUBLISHING_FAILS_DOWN = Duration.ofSeconds(10);

    private TaskpollerHealthChecks() {
    }

    /** What the checks look at. */
    public record Parts(String brokers, InFlightLog inFlightLog, InFlightTasks inFlightTasks, ProviderCircuits circuits,
                        ProviderFaults faults, Collection<String> providers, EventTransactions transactions,
                        PublishBatches batches) {
    }

    /** Registers every check in the context's registry; returns them (none when the context has no health registry). */
    public static List<HealthCheck> register(CamelContext context, Parts parts) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            return List.of();
        }
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(new KafkaReachable(parts.brokers()));
        checks.add(new InFlightRebuilt(parts.inFlightLog(), parts.inFlightTasks()));
        checks.add(new Publishing(parts.transactions(), parts.batches()));
        parts.providers().forEach(provider -> checks.add(new ProviderState(provider, parts.circuits(), parts.faults())));
        checks.add(new PollingLoops(parts.providers()));
        checks.add(new InFlightFollower(parts.inFlightLog()));
        checks.forEach(registry::register);
        return checks;
    }

    private abstract static class Check extends AbstractHealthCheck {
        private final boolean liveness;

        Check(String id, boolean liveness) {
            super(GROUP, id);
            this.liveness = liveness;
        }

        @Override
        public boolean isLiveness() {
            return liveness;
        }

        @Override
        public boolean isReadiness() {
            return !liveness;
        }
    }

    /** DOWN when the brokers do not describe their cluster within a few seconds. */
    static final class KafkaReachable extends Check {
        private final String brokers;

        KafkaReachable(String brokers) {
            super("taskpoller-kafka", false);
            this.brokers = brokers;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            builder.detail("brokers", brokers);
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "taskpoller-health");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
            try (Admin admin = Admin.create(config)) {
                int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) KAFKA_TIMEOUT.toMillis()))
                        .nodes().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
                builder.detail("nodes", nodes).up();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                builder.message("interrupted").down();
            } catch (Exception e) {
                builder.message("Kafka does not answer: " + e).down();
            }
        }
    }

    /** DOWN until the follower has its in-flight partitions and has read each to its end (their tasks are polled). */
    static final class InFlightRebuilt extends Check {
        private final InFlightLog log;
        private final InFlightTasks tasks;

        InFlightRebuilt(InFlightLog log, InFlightTasks tasks) {
            super("taskpoller-inflight-rebuilt", false);
            this.log = log;
            this.tasks = tasks;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            builder.detail("partitions", log.ownedPartitions().toString())
                    .detail("rebuilding", log.rebuildingPartitions().toString())
                    .detail("tasksInFlight", tasks.size());
            if (log.rebuilt()) {
                builder.up();
            } else {
                builder.message("in-flight partitions not assigned or not rebuilt yet").down();
            }
        }
    }

    /** DOWN while publishing transactions keep failing (Kafka refusing or unreachable): finished tasks wait in flight. */
    static final class Publishing extends Check {
        private final EventTransactions transactions;
        private final PublishBatches batches;

        Publishing(EventTransactions transactions, PublishBatches batches) {
            super("taskpoller-publishing", false);
            this.transactions = transactions;
            this.batches = batches;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            int failures = transactions.failuresInARow();
            Duration failing = transactions.failingFor();
            String last = transactions.lastFailure();
            builder.detail("waiting", batches.waiting())
                    .detail("failedTransactionsInARow", failures)
                    .detail("failingForMillis", failing.toMillis())
                    .detail("lastFailure", last == null ? "none" : last);
            if (failures > 0 && failing.compareTo(PUBLISHING_FAILS_DOWN) >= 0) {
                builder.message("publishing transactions have failed for " + failing.toSeconds() + " s (" + failures
                        + " in a row, the last: " + last + "); finished tasks wait in flight until one commits").down();
            } else {
                builder.up();
            }
        }
    }

    /** DOWN while the provider's circuit is not closed or it refuses taskpoller's credential. */
    static final class ProviderState extends Check {
        private final String provider;
        private final ProviderCircuits circuits;
        private final ProviderFaults faults;

        ProviderState(String provider, ProviderCircuits circuits, ProviderFaults faults) {
            super("taskpoller-provider-" + provider, false);
            this.provider = provider;
            this.circuits = circuits;
            this.faults = faults;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            CircuitBreaker.State circuit = circuits.breaker(provider).getState();
            Optional<TaskError> last = faults.lastFailure(provider);
            boolean refused = last.map(error -> TaskError.UNAUTHORIZED.equals(error.reason())).orElse(false);
            builder.detail("provider", provider)
                    .detail("circuit", circuit.name())
                    .detail("failedCallsInARow", faults.failures(provider))
                    .detail("lastFailure", last.map(TaskError::reason).orElse("none"))
                    .detail("credential", refused ? "refused" : "not refused");
            if (refused) {
                builder.message(provider + " refuses the credential (taskpoller.provider." + provider + ".api-key)").down();
            } else if (circuit != CircuitBreaker.State.CLOSED) {
                builder.message(provider + "'s circuit is " + circuit + ": its calls keep failing").down();
            } else {
                builder.up();
            }
        }
    }

    /** DOWN when a provider's dispatch or call route is not started. */
    static final class PollingLoops extends Check {
        private final Collection<String> providers;

        PollingLoops(Collection<String> providers) {
            super("taskpoller-polling-loops", true);
            this.providers = providers;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            List<String> stopped = new ArrayList<>();
            for (String provider : providers) {
                for (String loop : List.of("taskpoller-poll-", "taskpoller-call-")) {
                    String route = loop + provider;
                    ServiceStatus status = getCamelContext().getRouteController().getRouteStatus(route);
                    builder.detail(route, status == null ? "missing" : status.name());
                    if (status != ServiceStatus.Started) {
                        stopped.add(route);
                    }
                }
            }
            if (stopped.isEmpty()) {
                builder.up();
            } else {
                builder.message("polling routes not running: " + stopped).down();
            }
        }
    }

    /** DOWN when the thread that follows the in-flight topic (and so takes tasks into polling) is not running. */
    static final class InFlightFollower extends Check {
        private final InFlightLog log;

        InFlightFollower(InFlightLog log) {
            super("taskpoller-inflight-follower", true);
            this.log = log;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            if (log.following()) {
                builder.up();
            } else {
                builder.message("the in-flight follower thread is not running").down();
            }
        }
    }
}
