package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.engine.InFlightLog;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class SharedWorkTest extends TaskpollerTestSupport {

    private static final int TASKS = 24;

    @Test
    void twoInstancesShareTheTasksAndTheSurvivorFinishesThoseOfTheOneThatStops() throws Exception {
        CamelContext second = new DefaultCamelContext();
        second.getPropertiesComponent().setOverrideProperties(properties());
        second.addRoutes(new TaskpollerRoutes());
        second.start();
        try {
            InFlightLog firstLog = context.getRegistry().lookupByNameAndType("taskpollerInFlightLog", InFlightLog.class);
            InFlightLog secondLog = second.getRegistry().lookupByNameAndType("taskpollerInFlightLog", InFlightLog.class);
            awaitTrue(() -> !firstLog.ownedPartitions().isEmpty() && !secondLog.ownedPartitions().isEmpty()
                    && firstLog.ownedPartitions().size() + secondLog.ownedPartitions().size() == 3,
                    "both instances own in-flight partitions");

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

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (!condition.getAsBoolean() && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
