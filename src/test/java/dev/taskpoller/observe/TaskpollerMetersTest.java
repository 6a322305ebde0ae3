package dev.taskpoller.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.TaskError;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class TaskpollerMetersTest {

    private static final PollOutcome RUNNING = PollOutcome.running("{}");
    private static final PollOutcome DONE = PollOutcome.completed(null, "{}");

    @Test
    void aContextWithoutAMeterRegistryGetsASimpleOneBoundUnderTaskpollersOwnName() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            MeterRegistry registry = TaskpollerMeters.in(context).registry();
            assertSame(registry, context.getRegistry().lookupByName(TaskpollerMeters.OWN_REGISTRY));
            assertEquals(SimpleMeterRegistry.class, registry.getClass());
        }
    }

    @Test
    void aContextsOnlyMeterRegistryIsUsedWhateverItsName() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            MeterRegistry hosts = new SimpleMeterRegistry();
            context.getRegistry().bind("hostMeters", hosts);
            assertSame(hosts, TaskpollerMeters.in(context).registry());
        }
    }

    @Test
    void theInFlightGaugesLeaveTheRegistryWhenCountingStops() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            TaskpollerMeters meters = TaskpollerMeters.in(context);
            meters.countInFlight(List.of("a", "b"), () -> java.util.Map.of("a", 3L));
            assertEquals(3.0, meters.registry().get("taskpoller.tasks.in.flight").tag("provider", "a").gauge().value());
            assertEquals(0.0, meters.registry().get("taskpoller.tasks.in.flight").tag("provider", "b").gauge().value());
            meters.stopCounting();
            assertEquals(0, meters.registry().find("taskpoller.tasks.in.flight").gauges().size());
        }
    }

    @Test
    void aStatusCallIsOkWhenATaskEndedRunningWhenNoneDidAndOtherwiseItsFailuresReason() {
        PollOutcome rateLimited = PollOutcome.retry(new TaskError(TaskError.RATE_LIMITED, "slow down", 429), null, null);
        assertEquals("ok", TaskpollerMeters.resultOf(List.of(RUNNING, DONE)));
        assertEquals("running", TaskpollerMeters.resultOf(List.of(RUNNING, RUNNING)));
        assertEquals("rate_limited", TaskpollerMeters.resultOf(List.of(rateLimited, rateLimited)));
    }

    @Test
    void theProviderOfAStatusCallIsReadFromItsEndpoint() {
        assertEquals("scan-documents", StatusCallTimer.providerOf("taskpoller-http://status-api-scan-documents?connectTimeout=5000"));
    }
}
