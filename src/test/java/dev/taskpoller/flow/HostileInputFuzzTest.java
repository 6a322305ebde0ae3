package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.ProviderStats;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.HostileInputs;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand hostile requests through both inputs: each ends as exactly one accepted task or one rejection, no
 * exception escapes a route, and the application stays up and bounded.
 */
class HostileInputFuzzTest extends TaskpollerTestSupport {

    private static final long SEED = 20261124L;
    private static final int PER_INPUT = 5_000;
    private static final int LINES_PER_FILE = 1_000;

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        // valid Closient ids stay pending for ever at the simulator; end them soon
        p.put("taskpoller.provider.closient-bulk-qr.deadline", "1s");
        return p;
    }

    @Test
    void everyHostileInputEndsAsExactlyOneAcceptedTaskOrOneRejection() throws Exception {
        AtomicInteger failedExchanges = new AtomicInteger();
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof ExchangeFailedEvent) {
                    failedExchanges.incrementAndGet();
                }
            }
        });
        long heapBefore = usedHeapAfterGc();
        HostileInputs inputs = new HostileInputs(SEED);
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < PER_INPUT; i++) {
            messages.add(inputs.next(false));
        }
        for (int file = 0; file < PER_INPUT / LINES_PER_FILE; file++) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < LINES_PER_FILE; i++) {
                lines.append(inputs.next(true)).append('\n');
            }
            dropBytes("fuzz-" + file + ".jsonl", lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        TestKafka.sendAll(topic("requests"), messages);

        Map<String, Integer> outcomes = awaitOutcomes(2 * PER_INPUT);
        List<String> repeated = outcomes.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), repeated, "inputs with more than one outcome");
        assertEquals(PER_INPUT, outcomes.keySet().stream().filter(origin -> origin.startsWith("kafka:")).count());
        assertEquals(PER_INPUT, outcomes.keySet().stream().filter(origin -> origin.startsWith("file:")).count());
        assertEquals(0, failedExchanges.get(), "exchanges that ended in an exception");

        // still up: every route runs and a new task goes through from end to end
        context.getRoutes().forEach(route -> assertEquals(ServiceStatus.Started,
                context.getRouteController().getRouteStatus(route.getRouteId()), route.getRouteId()));
        String taskId = newTaskId("scan-documents");
        sims.scanDocuments.addTask(SimulatedTask.completing(taskId, 1));
        submit(request("scan-documents", taskId, "after-the-fuzz"));
        assertTrue(events("completed", 1).stream().anyMatch(e -> e.get("subject").asText().equals(taskId)));

        Map<String, ProviderStats.Counts> stats = context.getRegistry().lookupByNameAndType("taskpollerStats", ProviderStats.class).snapshot();
        assertTrue(stats.size() <= 5, "counts only for known providers and '(none)': " + stats.keySet());
        long accepted = stats.values().stream().mapToLong(c -> c.accepted.sum()).sum();
        long rejected = stats.values().stream().mapToLong(c -> c.rejected.sum()).sum();
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        System.out.printf("fuzz: inputs %d, accepted %d, rejected %d, failed exchanges %d, heap growth %d KB%n",
                2 * PER_INPUT, accepted - 1, rejected, failedExchanges.get(), heapGrowth / 1024);
        assertTrue(heapGrowth < 128L * 1024 * 1024, "heap grew by " + heapGrowth / 1024 / 1024 + " MB");
    }

    /** How many outcomes each origin has: its in-flight accept records and its rejected records. */
    private Map<String, Integer> awaitOutcomes(int expected) throws InterruptedException {
        long until = System.nanoTime() + 4 * WAIT.toNanos();
        Map<String, Integer> outcomes = Map.of();
        while (System.nanoTime() < until) {
            outcomes = new HashMap<>();
            for (String stream : List.of("inflight", "rejected")) {
                for (ConsumerRecord<String, String> record : records(stream, 0)) {
                    JsonNode value = record.value() == null ? null : Json.parse(record.value()).orElseThrow();
                    // a finished task's decided and ended records repeat its request: the accept is its input's outcome
                    if (value != null && !value.has("decided") && !value.has("ended")) {
                        outcomes.merge(value.get("origin").asText(), 1, Integer::sum);
                    }
                }
            }
            if (outcomes.values().stream().mapToInt(Integer::intValue).sum() >= expected) {
                return outcomes;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("only " + outcomes.size() + " of " + expected + " inputs have an outcome");
    }

    private void dropBytes(String name, byte[] content) throws Exception {
        Path file = dataDir.resolve("inbox").resolve(name);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("." + name + ".tmp");
        Files.write(temp, content);
        Files.move(temp, file);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
