package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.kafka.KafkaTopics;
import dev.taskpoller.kafka.KafkaTopics.TopicSpec;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.ChildJvmTestSupport;
import dev.taskpoller.support.EventIds;
import dev.taskpoller.support.GatedBroker;
import dev.taskpoller.support.KafkaRequestGate;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 at the one moment an acknowledgement of requests can be lost: a poll of the requests topic whose tasks are
 * written to the in-flight topic, and whose acknowledgement (its offsets, its transaction's end) has not reached the
 * broker. The poll's tasks and offsets commit in one transaction, so after the restart the tasks are not in flight
 * and the requests are read again as new: each accepted once, its event once, and no request "read again, already
 * accepted". With a poll's offsets committed on their own after its tasks were written (the design before), this
 * test failed: the restart read the poll's requests again, before its rebuild had read their tasks back, and accepted
 * every one a second time.
 *
 * <p>Nothing depends on timing: a gate in front of a broker of the test's own holds every offset commit and
 * transaction end from the start until the kill, and the test waits for the poll's tasks to be written before it.
 */
@Tag("crash")
class RequestsAcceptedOnceTest extends ChildJvmTestSupport {

    private static final int TASKS = 30;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private GatedBroker broker;
    private KafkaRequestGate gate;

    @AfterEach
    void stopTheGatedBroker() throws InterruptedException {
        // the child first: a broker going away under a running instance only slows its own stop
        if (jvm != null) {
            jvm.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void requestsWhoseAcknowledgementAKill9CutAreAcceptedOnceAfterTheRestartAndNotReadAgain() throws Exception {
        // a consumer's own offset commit, or the end of the transaction that carries a poll's offsets (its
        // TxnOffsetCommit passes: held, it would hold the poll's records behind it on their connection)
        broker = GatedBroker.start(dir.resolve("kafka"), KafkaRequestGate.OFFSET_COMMIT, KafkaRequestGate.END_TXN);
        gate = broker.gate();
        // before anything reads them: a reader must not have them created with the broker's defaults
        KafkaTopics.ensure(broker.bootstrapServers(), List.of(TopicSpec.plain("taskpoller.requests", 3),
                TopicSpec.compacted("taskpoller.inflight", 3), TopicSpec.plain("taskpoller.completed", 3)), WAIT);
        Map<String, String> providerOf = new LinkedHashMap<>();
        for (int i = 0; i < TASKS; i++) {
            String id = newTaskId("scan-documents");
            sims.scanDocuments.addTask(SimulatedTask.completing(id, 1));
            providerOf.put(id, "scan-documents");
        }
        broker.sendRequests(providerOf);
        jvm = new ChildJvm(dir);
        Path config = ChildJvm.writeConfig(dir.resolve("taskpoller.properties"), properties());

        gate.hold();
        Process first = jvm.launch("first", jvm.loggingInputReadAgain(), "--config", config.toString());
        jvm.await("the poll's tasks written, its acknowledgement held", WAIT, Map.of("first", first), () ->
                gate.heldRequests() > 0 && acceptedKeys(TestKafka.readAllUncommitted(broker.bootstrapServers(),
                        "taskpoller.inflight", 0, WAIT)).containsAll(keysOf(providerOf)));
        first.destroyForcibly();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the first process did not die");
        assertEquals(128 + 9, first.exitValue(), "killed by SIGKILL" + jvm.tail("first"));
        gate.release();

        Process second = jvm.launch("second", jvm.loggingInputReadAgain(), "--config", config.toString());
        jvm.await("an event for every task", WAIT, Map.of("second", second), () ->
                TestKafka.readAll(broker.bootstrapServers(), "taskpoller.completed", 0, WAIT).size() >= TASKS);
        List<JsonNode> events = values(TestKafka.readAll(broker.bootstrapServers(), "taskpoller.completed", TASKS, WAIT));

        assertEquals(0, EventIds.assertOneIdPerTask(providerOf, events, "completed", "read_committed"), "no event twice");
        assertEquals(0, jvm.inputReadAgain("second", "kafka"),
                "no request read again as already accepted: the killed poll's tasks were never committed");
        List<ConsumerRecord<String, String>> inFlight =
                TestKafka.readAll(broker.bootstrapServers(), "taskpoller.inflight", 0, WAIT);
        Map<String, Long> acceptances = inFlight.stream().filter(RequestsAcceptedOnceTest::accepts)
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertEquals(keysOf(providerOf), acceptances.keySet(), "every task accepted");
        assertEquals(Set.of(1L), Set.copyOf(acceptances.values()), "each once: " + acceptances);
        assertTrue(second.isAlive(), "the second process still runs" + jvm.tail("second"));
    }

    private Properties properties() {
        Properties p = TaskpollerTestSupport.fastSetup(sims, dir);
        p.put("taskpoller.kafka.brokers", broker.gatedServers());
        // a restart with the same id: its intake producer aborts the killed one's transaction at once, and its
        // requests consumer takes the killed one's place in the group without waiting out its session
        p.put("taskpoller.instance-id", "accepted-once");
        return p;
    }

    /** The keys of the in-flight records that accept a task (its request, from the requests topic). */
    private static Set<String> acceptedKeys(List<ConsumerRecord<String, String>> inFlight) {
        return inFlight.stream().filter(RequestsAcceptedOnceTest::accepts).map(ConsumerRecord::key).collect(Collectors.toSet());
    }

    /** An accepted record: the request as read, not yet decided or ended. */
    private static boolean accepts(ConsumerRecord<String, String> record) {
        JsonNode value = record.value() == null ? null : Json.parse(record.value()).orElse(null);
        return value != null && value.path("origin").asText().startsWith("kafka:")
                && !value.has("decided") && !value.has("ended");
    }

    private static Set<String> keysOf(Map<String, String> providerOf) {
        return providerOf.entrySet().stream().map(e -> e.getValue() + "/" + e.getKey()).collect(Collectors.toSet());
    }

    private static List<JsonNode> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> Json.parse(r.value()).orElseThrow()).toList();
    }
}
