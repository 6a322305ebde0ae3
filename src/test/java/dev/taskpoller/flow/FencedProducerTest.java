package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.LogCapture;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * Another producer takes this instance's transactional id (two instances given one {@code taskpoller.instance-id}):
 * the batch being published then is aborted, that is logged once, a new producer takes the id back and the batch is
 * tried again. Every task still ends with one event visible to a read_committed consumer, and the instance goes on.
 */
class FencedProducerTest extends TaskpollerTestSupport {

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        p.put("taskpoller.instance-id", "fenced-" + run);
        return p;
    }

    @Test
    void aProducerFencedByAnotherWithItsTransactionalIdIsLoggedOnceReplacedAndEveryTaskStillEndsOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        ids.add(completedTask());
        try (LogCapture log = LogCapture.open()) {
            for (int round = 0; round < 2; round++) {
                takeTheTransactionalId();
                ids.add(completedTask());
            }

            Map<String, Long> eventsByKey = records("completed", ids.size()).stream()
                    .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertEquals(ids.stream().collect(Collectors.toMap(id -> "scan-documents/" + id, id -> 1L)), eventsByKey,
                    "each task's event once");
            long fencedLines = log.atLeast(Level.ERROR).stream().map(LogCapture::text)
                    .filter(text -> text.startsWith("Another producer took this instance's transactional id")).count();
            assertEquals(1, fencedLines, "logged once, though fenced twice");
            Counter aborted = context.getRegistry().findSingleByType(MeterRegistry.class)
                    .find("taskpoller.publish.aborted").tag("reason", "fenced_producer").counter();
            assertTrue(aborted != null && aborted.count() >= 2, "a transaction aborted at each fence: "
                    + (aborted == null ? "none" : aborted.count()));
        }
        assertTrue(context.getRouteController().getRouteStatus("taskpoller-publish-terminal").isStarted());
    }

    /** A task that completes at its first poll, submitted and waited for until its event is visible; its id. */
    private String completedTask() throws InterruptedException {
        String id = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(id, 1));
        submit(request("scan-documents", id, null));
        awaitTrue(() -> records("completed", 0).stream().anyMatch(r -> r.key().equals("scan-documents/" + id)),
                "the event of " + id);
        return id;
    }

    /** What a second instance with the same instance id does at its start: the first one's producer is fenced. */
    private void takeTheTransactionalId() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "taskpoller-fenced-" + run);
        try (KafkaProducer<String, String> other = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            other.initTransactions();
        }
    }
}
