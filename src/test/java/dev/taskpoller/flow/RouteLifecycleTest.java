package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import org.junit.jupiter.api.Test;

class RouteLifecycleTest extends TaskpollerTestSupport {

    @Test
    void restartingTheRoutesThatUseTheInFlightTableLeavesItWorking() throws Exception {
        String before = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(before, 2));
        submit(request("scan-documents", before, null));
        assertEquals(1, events("completed", 1).size());

        for (String route : new String[] {"taskpoller-submission", "taskpoller-publish-terminal", "taskpoller-poll-scan-documents"}) {
            context.getRouteController().stopRoute(route);
            context.getRouteController().startRoute(route);
        }

        String after = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(after, 2));
        submit(request("scan-documents", after, null));
        assertEquals(2, events("completed", 2).size(), "a task submitted after the restart still completes");
    }
}
