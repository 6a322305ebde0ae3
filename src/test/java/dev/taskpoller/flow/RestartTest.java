package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class RestartTest extends TaskpollerTestSupport {

    @Test
    void tasksWaitingWhenTheContextStopsCompleteAfterANewContextStartsOnTheSameBroker() throws Exception {
        // the loop does not run before the stop, so every task is still waiting then, whatever the machine's speed
        context.getRouteController().stopRoute("taskpoller-poll-scan-documents");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = newTaskId("scan-documents");
            sims.scanDocuments.addTask(SimulatedTask.completing(id, 3));
            ids.add(id);
            submit(request("scan-documents", id, "r" + i));
        }
        InFlightTasks inFlight = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (inFlight.size() < ids.size() && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertEquals(ids.size(), inFlight.size(), "all tasks accepted and waiting");
        context.stop();
        assertEquals(0, records("completed", 0).size(), "nothing finished before the stop");

        CamelContext second = new DefaultCamelContext();
        Properties config = properties();
        second.getPropertiesComponent().setOverrideProperties(config);
        second.addRoutes(new dev.taskpoller.TaskpollerRoutes());
        second.start();
        try {
            List<JsonNode> completed = events("completed", ids.size());
            assertEquals(ids.size(), completed.size(), "one event per task, none lost, none doubled");
            Set<String> subjects = completed.stream().map(e -> e.get("subject").asText()).collect(Collectors.toSet());
            assertEquals(new HashSet<>(ids), subjects);
            assertTrue(completed.stream().allMatch(e -> e.get("data").get("correlationId").asText().startsWith("r")));
        } finally {
            second.stop();
        }
    }
}
