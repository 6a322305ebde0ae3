package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

class AceDataBatchTest extends TaskpollerTestSupport {

    private static final int TASKS = 20;
    private static final int BATCH = 8;
    private static final int POLLS = 3;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.acedata-qrart.batch-size", String.valueOf(BATCH));
        // wide enough that tasks accepted a few milliseconds apart are polled together
        p.put("taskpoller.provider.acedata-qrart.initial-delay", "1s");
        p.put("taskpoller.provider.acedata-qrart.batch-window", "900ms");
        return p;
    }

    @Test
    void twentyTasksDueTogetherCostOneBatchCallPerBatchSizeIdsEachRound() {
        NotifyBuilder finished = new NotifyBuilder(context).fromRoute("publish-terminal").whenCompleted(TASKS).create();
        for (int i = 0; i < TASKS; i++) {
            String id = newTaskId("acedata-qrart");
            sims.aceData.addTask(SimulatedTask.completing(id, POLLS));
            submit(request("acedata-qrart", id, null));
        }

        assertTrue(finished.matches(WAIT.toSeconds(), TimeUnit.SECONDS));
        int callsPerRound = (TASKS + BATCH - 1) / BATCH;
        assertEquals(callsPerRound * POLLS, sims.aceData.requestCount(),
                "each round of polls costs ceil(20/8) = 3 retrieve_batch calls, not 20 calls");
        assertEquals(TASKS, events("completed", TASKS).size());
    }
}
