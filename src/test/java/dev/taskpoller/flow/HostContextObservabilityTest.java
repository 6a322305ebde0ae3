package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.observe.TaskpollerMeters;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * A host's own context (a plain DefaultCamelContext, no Camel Main, no management server) with taskpoller installed:
 * the meters go to the host's meter registry and the health checks are in the context's health check registry, for
 * the host to serve as it likes.
 */
class HostContextObservabilityTest extends TaskpollerTestSupport {

    private static final String SCAN = "scan-documents";
    private final MeterRegistry hostMeters = new SimpleMeterRegistry();

    @Override
    protected void bindToRegistry(Registry registry) {
        // camel-micrometer's name for the registry, as a host using camel-micrometer binds it
        registry.bind("metricsRegistry", hostMeters);
    }

    @Test
    void theHostsMeterRegistryGetsTaskpollersMetersAndItsHealthCheckRegistryTaskpollersChecks() throws Exception {
        String taskId = newTaskId(SCAN);
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 2));
        submit(request(SCAN, taskId, null));
        submit(request("nobody-we-know", "x", null));
        assertEquals(1, events("completed", 1).size());
        assertEquals(1, events("rejected", 1).size());

        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (count("taskpoller.events", "outcome", "completed") < 1 && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertEquals(1, count("taskpoller.events", "outcome", "completed"));
        assertEquals(1, count("taskpoller.tasks.accepted", "provider", SCAN));
        assertEquals(1, count("taskpoller.rejected", "reason", "unknown_provider"));
        assertEquals(1, count("taskpoller.status.calls", "result", "ok"));
        assertTrue(hostMeters.get("taskpoller.status.call").tag("provider", SCAN).timer().count() >= 2);
        assertTrue(hostMeters.get("taskpoller.poll.lateness").tag("provider", SCAN).timer().count() >= 2);
        assertEquals(1, hostMeters.get("taskpoller.event.delay").tag("provider", SCAN).timer().count());
        assertEquals(4, hostMeters.get("taskpoller.tasks.in.flight").gauges().size(), "one gauge per provider");
        assertNull(context.getRegistry().lookupByName(TaskpollerMeters.OWN_REGISTRY), "no registry of its own");

        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        assertNotNull(health, "the context's health check registry");
        List<String> ids = List.of("taskpoller-kafka", "taskpoller-inflight-rebuilt", "taskpoller-publishing",
                "taskpoller-provider-" + SCAN,
                "taskpoller-provider-acedata-qrart", "taskpoller-provider-shoplazza-upload",
                "taskpoller-provider-closient-bulk-qr", "taskpoller-polling-loops", "taskpoller-inflight-follower");
        ids.forEach(id -> assertTrue(health.getCheck(id).isPresent(), id + " registered"));
        for (String id : ids) {
            HealthCheck.Result result = health.getCheck(id).orElseThrow().call();
            assertEquals(HealthCheck.State.UP, result.getState(), id + ": " + result.getMessage() + " " + result.getDetails());
        }
    }

    private double count(String name, String tag, String value) {
        return hostMeters.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }
}
