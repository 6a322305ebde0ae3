package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.RateLimit;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The documented rate limits, ten or sixty times faster so that each test takes seconds: the simulators enforce
 * them, taskpoller is configured to the same limits, and the simulators' own counts tell whether it kept to them.
 */
class RateLimitsTest extends TaskpollerTestSupport {

    private static final int MANY = 100;
    /** Shoplazza's documented bucket (burst 60, 2 a second), draining ten times faster. */
    private static final int SHOPLAZZA_BURST = 60;
    private static final int SHOPLAZZA_PER_SECOND = 20;
    /** Closient's 300 a minute as 20 a second. */
    private static final int CLOSIENT_PER_SECOND = 20;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.shoplazza-upload.rate-limit", SHOPLAZZA_PER_SECOND + "/1s");
        p.put("taskpoller.provider.shoplazza-upload.max-concurrent", "4");
        p.put("taskpoller.provider.shoplazza-upload.max-attempts", "2");
        p.put("taskpoller.provider.closient-bulk-qr.rate-limit", CLOSIENT_PER_SECOND + "/1s, 10000/1d");
        return p;
    }

    @Test
    void aHundredShoplazzaTasksAtTheLimitOfItsBucketGetNo429AndAllComplete() throws IOException {
        RateLimit bucket = RateLimit.leakyBucket(SHOPLAZZA_BURST, SHOPLAZZA_PER_SECOND);
        sims.shoplazza.rateLimit(bucket);
        dropTasks(sims.shoplazza, MANY, 1);

        assertEquals(MANY, events("completed", MANY).size());
        assertEquals(0, sims.shoplazza.rateLimitedCount(), "429s from the simulator's bucket");
        assertTrue(bucket.peak() <= SHOPLAZZA_BURST, "the bucket never overflowed: peak level " + bucket.peak());
    }

    @Test
    void aHundredClosientTasksAtItsLimitGetNo429AndNoWindowSeesMoreThanTheLimit() throws IOException {
        RateLimit window = RateLimit.fixedWindow(CLOSIENT_PER_SECOND, Duration.ofSeconds(1));
        sims.closient.rateLimit(window);
        dropTasks(sims.closient, MANY, 1);

        assertEquals(MANY, events("completed", MANY).size());
        assertEquals(0, sims.closient.rateLimitedCount(), "429s from the simulator's window");
        assertTrue(window.peak() <= CLOSIENT_PER_SECOND, "calls in one of the simulator's windows: " + window.peak());
    }

    @Test
    void aLowRateLimitRemainingHoldsTheCallsUntilTheReset() throws IOException {
        // the simulator allows half of what taskpoller's limiter would: only its headers can keep taskpoller within it
        int perWindow = CLOSIENT_PER_SECOND / 2;
        RateLimit window = RateLimit.fixedWindow(perWindow, Duration.ofSeconds(1));
        sims.closient.rateLimit(window);
        dropTasks(sims.closient, 20, 1);

        assertEquals(20, events("completed", 20).size());
        assertEquals(0, sims.closient.rateLimitedCount(), "429s from the simulator's window");
        assertTrue(window.peak() <= perWindow, "calls in one of the simulator's windows: " + window.peak());
    }

    @Test
    void aThrottledProviderDoesNotSlowAnotherAndWaitingForItsLimitCostsNoAttempt() throws Exception {
        // 40 Shoplazza tasks of 2 polls each want 80 calls: four seconds at its 20/s; Scan Documents has no limit here
        sims.shoplazza.rateLimit(RateLimit.leakyBucket(SHOPLAZZA_BURST, SHOPLAZZA_PER_SECOND));
        InFlightTasks inFlight = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
        dropTasks(sims.shoplazza, 40, 2);
        dropTasks(sims.scanDocuments, 30, 1);

        long until = System.currentTimeMillis() + WAIT.toMillis();
        while ((sims.scanDocuments.requestCount() < 30 || inFlight.sizeByProvider().containsKey("scan-documents"))
                && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        assertEquals(30, sims.scanDocuments.requestCount(), "one call per Scan Documents task, none refused");
        assertTrue(inFlight.sizeByProvider().getOrDefault("shoplazza-upload", 0L) > 0,
                "Scan Documents finished while Shoplazza's tasks were still waiting for their limit");

        List<JsonNode> completed = events("completed", 70);
        List<JsonNode> shoplazza = completed.stream()
                .filter(event -> event.get("data").get("provider").asText().equals("shoplazza-upload")).toList();
        assertEquals(40, shoplazza.size(), "max-attempts 2: a task charged for its waits would have failed");
        shoplazza.forEach(event -> assertEquals(2, event.get("data").get("attempts").asInt()));
        assertEquals(0, sims.shoplazza.rateLimitedCount());
    }

    /** Tasks the simulator ends after {@code polls} polls, dropped in the inbox as one id list; their ids. */
    private List<String> dropTasks(ProviderSimulator sim, int count, int polls) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = newTaskId(sim.provider());
            sim.addTask(SimulatedTask.completing(id, polls));
            ids.add(id);
        }
        drop(sim.provider() + "/ids-" + count + ".txt", String.join("\n", ids) + "\n");
        return ids;
    }
}
