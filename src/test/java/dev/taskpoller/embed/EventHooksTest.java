package dev.taskpoller.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The per-outcome hooks (seda:taskpoller-completed, -failed, -rejected) when nothing, then something, consumes them. */
class EventHooksTest extends TaskpollerTestSupport {

    @Test
    void anEventNobodyConsumesIsDroppedAndPublishingGoesOnAndALaterConsumerGetsOnlyTheEventsAfterIt() throws Exception {
        String before = "task_" + run + "0000aaaa";
        String after = "task_" + run + "0000bbbb";
        sims.scanDocuments.addTask(SimulatedTask.completing(before, 1));
        sims.scanDocuments.addTask(SimulatedTask.completing(after, 1));

        submit(request("scan-documents", before, null));
        submit("not json");
        assertEquals(1, records("completed", 1).size(), "published without anyone on the hook");
        assertEquals(1, records("rejected", 1).size());

        List<String> completed = new CopyOnWriteArrayList<>();
        List<String> rejected = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("seda:taskpoller-completed").routeId("late-completed").process(e -> completed.add(e.getMessage().getBody(String.class)));
                from("seda:taskpoller-rejected").routeId("late-rejected").process(e -> rejected.add(e.getMessage().getBody(String.class)));
            }
        });
        submit(request("scan-documents", after, null));
        submit("still not json");
        HostStats.await("the later completed event on the hook", completed, 1, WAIT);
        HostStats.await("the later rejection on the hook", rejected, 1, WAIT);

        List<String> topic = records("completed", 2).stream().map(ConsumerRecord::value).toList();
        assertTrue(topic.contains(completed.get(0)), "the hook has the topic's JSON as it is: " + topic);
        assertTrue(completed.get(0).contains(after) && completed.stream().noneMatch(event -> event.contains(before)),
                "the event nobody consumed was dropped, not kept for a later consumer: " + completed);
        assertTrue(rejected.get(0).contains("still not json") && rejected.size() == 1, rejected.toString());
    }
}
