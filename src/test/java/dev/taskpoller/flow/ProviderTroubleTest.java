package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A provider's trouble is the provider's: its tasks wait on its error clock, and none is failed for it. */
class ProviderTroubleTest extends TaskpollerTestSupport {

    private static final int BATCH = 8;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.shoplazza-upload.api-key", "rotated-key");
        p.put("taskpoller.provider.scan-documents.not-found-grace", "1h");
        p.put("taskpoller.provider.scan-documents.max-attempts", "100");
        p.put("taskpoller.provider.acedata-qrart.batch-size", String.valueOf(BATCH));
        p.put("taskpoller.poll.max-attempts", "3");
        return p;
    }

    @Test
    void aRefusedKeyPausesEveryTaskAndOnceTheProviderAcceptsItEveryTaskCompletes() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = newTaskId("shoplazza-upload");
            sims.shoplazza.addTask(SimulatedTask.completing(id, 1));
            submit(request("shoplazza-upload", id, null));
            ids.add(id);
        }
        // far more refused calls than the tasks' 3 attempts, and still none of them failed
        awaitRequests(sims.shoplazza, 5 * 4);
        assertEquals(0, records("failed", 0).size(), "no task fails for a refused key before its deadline");

        sims.shoplazza.apiKey("rotated-key");
        HashSet<String> completed = new HashSet<>();
        events("completed", ids.size()).forEach(event -> completed.add(event.get("subject").asText()));
        assertEquals(new HashSet<>(ids), completed);
        assertEquals(0, records("failed", 0).size());
    }

    @Test
    void aNotFoundSoonAfterAcceptanceIsPolledAgainUntilTheTaskShowsUp() throws Exception {
        String id = newTaskId("scan-documents");
        submit(request("scan-documents", id, null));
        awaitRequests(sims.scanDocuments, 4);
        sims.scanDocuments.addTask(SimulatedTask.completing(id, 1));

        assertEquals(id, events("completed", 1).get(0).get("subject").asText());
        assertEquals(0, records("failed", 0).size(), "404s within the grace are no failure");
    }

    @Test
    void aFailedBatchCallIsRetriedAsOneBatchNotAsOneCallPerTask() throws Exception {
        context.getRouteController().stopRoute("taskpoller-poll-acedata-qrart");
        for (int i = 0; i < BATCH; i++) {
            String id = newTaskId("acedata-qrart");
            sims.aceData.addTask(SimulatedTask.completing(id, 1));
            submit(request("acedata-qrart", id, null));
        }
        awaitInFlight(BATCH);
        sims.aceData.injectFault(Fault.status(503)).injectFault(Fault.status(502)).injectFault(Fault.rateLimited(1));
        context.getRouteController().startRoute("taskpoller-poll-acedata-qrart");

        assertEquals(BATCH, events("completed", BATCH).size());
        assertEquals(4, sims.aceData.requestCount(), "three failed batch calls, then the one that answered for all");
    }

    private static void awaitRequests(ProviderSimulator sim, int count) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (sim.requestCount() < count && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertTrue(sim.requestCount() >= count, sim.provider() + " saw " + sim.requestCount() + " calls");
    }
}
