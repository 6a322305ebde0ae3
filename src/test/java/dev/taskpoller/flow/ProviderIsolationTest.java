package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A provider's slow or hanging calls hold up nothing but themselves, and max-concurrent holds at any value. */
class ProviderIsolationTest extends TaskpollerTestSupport {

    private static final int CONCURRENT = 16;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.scan-documents.max-concurrent", String.valueOf(CONCURRENT));
        p.put("taskpoller.provider.shoplazza-upload.response-timeout", "300ms");
        return p;
    }

    @Test
    void maxConcurrentIsHonouredExactlyAboveTheOldLimitOfTen() throws Exception {
        sims.scanDocuments.answerDelay(Duration.ofMillis(500));
        List<String> ids = submitWhileStopped("scan-documents", 3 * CONCURRENT);

        assertEquals(new HashSet<>(ids), subjects(events("completed", ids.size())));
        assertEquals(CONCURRENT, sims.scanDocuments.peakConcurrentRequests(),
                "every consumer busy at the peak, and never one more");
    }

    @Test
    void oneHangingCallHoldsUpNeitherTheProvidersOtherTasksNorAnotherProvider() throws Exception {
        String hanging = newTaskId("acedata-qrart");
        sims.aceData.addTask(SimulatedTask.completing(hanging, 1));
        sims.aceData.injectFault(Fault.slow(Duration.ofSeconds(5)));
        submit(request("acedata-qrart", hanging, null));
        while (sims.aceData.concurrentRequests() == 0) {
            Thread.sleep(10);
        }
        List<String> others = List.of(newTaskId("acedata-qrart"), newTaskId("acedata-qrart"), newTaskId("closient-bulk-qr"));
        sims.aceData.addTask(SimulatedTask.completing(others.get(0), 2));
        sims.aceData.addTask(SimulatedTask.completing(others.get(1), 2));
        sims.closient.addTask(SimulatedTask.completing(others.get(2), 2));
        others.forEach(id -> submit(request(id.equals(others.get(2)) ? "closient-bulk-qr" : "acedata-qrart", id, null)));

        assertEquals(new HashSet<>(others), subjects(events("completed", others.size())));
        assertEquals(1, sims.aceData.concurrentRequests(), "all done while the first call still hangs");
        assertEquals(hanging, events("completed", 4).stream().map(e -> e.get("subject").asText())
                .filter(hanging::equals).findFirst().orElseThrow(), "and the hanging one completes once answered");
    }

    @Test
    void aCallSlowerThanItsProvidersTimeoutIsAFailedCallWhileAnotherProvidersSlowCallIsWaitedFor() throws Exception {
        String timesOut = newTaskId("shoplazza-upload");
        String waitedFor = newTaskId("scan-documents");
        sims.shoplazza.addTask(SimulatedTask.completing(timesOut, 1));
        sims.scanDocuments.addTask(SimulatedTask.completing(waitedFor, 1));
        sims.shoplazza.injectFault(Fault.slow(Duration.ofSeconds(1)));
        sims.scanDocuments.injectFault(Fault.slow(Duration.ofSeconds(1)));
        submit(request("shoplazza-upload", timesOut, null));
        submit(request("scan-documents", waitedFor, null));

        List<JsonNode> completed = events("completed", 2);
        assertEquals(2, attemptsOf(completed, timesOut), "its 300 ms timeout: the late answer is a failed call, then one more");
        assertEquals(1, attemptsOf(completed, waitedFor), "the default 20 s timeout waits for the late answer");
    }

    private List<String> submitWhileStopped(String provider, int count) throws Exception {
        context.getRouteController().stopRoute("taskpoller-poll-" + provider);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = newTaskId(provider);
            sims.of(provider).addTask(SimulatedTask.completing(id, 1));
            submit(request(provider, id, null));
            ids.add(id);
        }
        awaitInFlight(count);
        context.getRouteController().startRoute("taskpoller-poll-" + provider);
        return ids;
    }

    private static Set<String> subjects(List<JsonNode> events) {
        return events.stream().map(e -> e.get("subject").asText()).collect(Collectors.toSet());
    }

    private static int attemptsOf(List<JsonNode> events, String taskId) {
        return events.stream().filter(e -> e.get("subject").asText().equals(taskId)).findFirst().orElseThrow()
                .get("data").get("attempts").asInt();
    }
}
