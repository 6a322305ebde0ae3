package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.engine.ProviderCircuits;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A provider that keeps failing is left alone while its circuit is open, and one call probes its recovery. */
class ProviderCircuitTest extends TaskpollerTestSupport {

    private static final int FAILURES = 3;
    private static final int TASKS = 6;
    private static final int MAX_CONCURRENT = 4;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.scan-documents.circuit-failures", String.valueOf(FAILURES));
        p.put("taskpoller.provider.scan-documents.max-concurrent", String.valueOf(MAX_CONCURRENT));
        // open for the whole test unless the test itself lets it probe
        p.put("taskpoller.provider.scan-documents.circuit-open", "1h");
        return p;
    }

    @Test
    void whileTheCircuitIsOpenNoCallIsMadeNoTaskFailsAndOtherProvidersRunThenOneProbeClosesIt() throws Exception {
        sims.scanDocuments.outage(503);
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            String id = newTaskId("scan-documents");
            sims.scanDocuments.addTask(SimulatedTask.completing(id, 1));
            submit(request("scan-documents", id, null));
            waiting.add(id);
        }
        CircuitBreaker circuit = context.getRegistry().lookupByNameAndType("taskpollerProviderCircuits", ProviderCircuits.class)
                .breaker("scan-documents");
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (circuit.getState() != CircuitBreaker.State.OPEN && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        assertEquals(CircuitBreaker.State.OPEN, circuit.getState());

        // meanwhile another provider's tasks run their whole course, twice over
        int callsWhenOpened = 0;
        for (int round = 1; round <= 2; round++) {
            String other = newTaskId("closient-bulk-qr");
            sims.closient.addTask(SimulatedTask.completing(other, 3));
            submit(request("closient-bulk-qr", other, null));
            assertTrue(events("completed", round).stream().anyMatch(e -> e.get("subject").asText().equals(other)));
            if (round == 1) {
                // calls let through before the first answers opened the circuit are done by now
                callsWhenOpened = sims.scanDocuments.requestCount();
            }
        }
        assertEquals(callsWhenOpened, sims.scanDocuments.requestCount(), "no call while the circuit is open");
        // the failures that open it, and at most the calls let through before it opened that had not come back yet: one
        // per other task at most (a task has one call at a time, in flight or admitted and waiting for a free call
        // thread, so not only max-concurrent of them). A task's second call after its error backoff may be one of the
        // failures. Bounded by the tasks, not by scheduling: 7 was seen on a loaded machine, within this bound
        assertTrue(callsWhenOpened >= FAILURES && callsWhenOpened <= FAILURES + TASKS - 1,
                callsWhenOpened + " calls before it opened");
        assertEquals(0, records("failed", 0).size(), "no task failed for the provider's outage");

        sims.scanDocuments.endOutage();
        circuit.transitionToHalfOpenState();
        HashSet<String> completed = new HashSet<>();
        events("completed", 2 + TASKS).forEach(event -> completed.add(event.get("subject").asText()));
        assertTrue(completed.containsAll(waiting), "every waiting task completes once the provider answers");
        assertEquals(callsWhenOpened + TASKS, sims.scanDocuments.requestCount(),
                "the failed calls, then one answered call per task: the probe, then the rest");
        assertEquals(CircuitBreaker.State.CLOSED, circuit.getState());
    }
}
