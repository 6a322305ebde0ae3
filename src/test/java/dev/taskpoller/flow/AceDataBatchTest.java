package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AceDataBatchTest extends TaskpollerTestSupport {

    private static final int TASKS = 20;
    private static final int BATCH = 8;
    private static final int POLLS = 3;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.provider.acedata-qrart.batch-size", String.valueOf(BATCH));
        return p;
    }

    @Test
    void twentyTasksDueTogetherCostOneBatchCallPerBatchSizeIdsEachRound() throws Exception {
        // the loop waits until all twenty are in flight, so that they are due together whatever the machine's speed
        context.getRouteController().stopRoute("taskpoller-poll-acedata-qrart");
        for (int i = 0; i < TASKS; i++) {
            String id = newTaskId("acedata-qrart");
            sims.aceData.addTask(SimulatedTask.completing(id, POLLS));
            submit(request("acedata-qrart", id, null));
        }
        awaitInFlight(TASKS);
        context.getRouteController().startRoute("taskpoller-poll-acedata-qrart");
        assertEquals(TASKS, events("completed", TASKS).size());
        int callsPerRound = (TASKS + BATCH - 1) / BATCH;
        assertEquals(callsPerRound * POLLS, sims.aceData.requestCount(),
                "each round of polls costs ceil(20/8) = 3 retrieve_batch calls, not 20 calls");
    }
}
