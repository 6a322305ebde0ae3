package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.InFlightLog;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

class SharedWorkTest extends TaskpollerTestSupport {

    private static final int TASKS = 24;

    @Test
    void twoInstancesShareTheTasksAndTheSurvivorFinishesThoseOfTheOneThatStops() throws Exception {
        CamelContext second = anotherInstance();
        try {
            awaitSharedPartitions(second);
            InFlightLog secondLog = second.getRegistry().lookupByNameAndType("taskpollerInFlightLog", InFlightLog.class);

            // no polling until the hand-over, so that every task is still in flight when the first instance stops
            context.getRouteController().stopRoute("taskpoller-poll-scan-documents");
            second.getRouteController().stopRoute("taskpoller-poll-scan-documents");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                String id = newTaskId("scan-documents");
                sims.scanDocuments.addTask(SimulatedTask.completing(id, 3));
                ids.add(id);
                submit(request("scan-documents", id, null));
            }
            InFlightTasks firstTasks = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
            InFlightTasks secondTasks = second.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
            awaitTrue(() -> firstTasks.size() + secondTasks.size() == TASKS, "every task tracked by one instance");
            assertTrue(firstTasks.size() > 0 && secondTasks.size() > 0,
                    "the work is shared: " + firstTasks.size() + " + " + secondTasks.size());
            context.stop();
            second.getRouteController().startRoute("taskpoller-poll-scan-documents");

            List<JsonNode> completed = events("completed", TASKS);
            Map<String, String> eventIdBySubject = new HashMap<>();
            for (JsonNode event : completed) {
                String previous = eventIdBySubject.putIfAbsent(event.get("subject").asText(), event.get("id").asText());
                assertTrue(previous == null || previous.equals(event.get("id").asText()),
                        "a repeated event keeps its id");
            }
            assertEquals(new HashSet<>(ids), eventIdBySubject.keySet(), "no task lost in the hand-over");
            assertEquals(3, secondLog.ownedPartitions().size(), "the survivor owns every partition");
        } finally {
            second.stop();
        }
    }
}
