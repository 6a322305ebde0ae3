package dev.taskpoller.flow;

import static dev.taskpoller.flow.KafkaToKafkaTest.newTaskId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.ProviderSimulator.Poll;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.ChildJvmTestSupport;
import dev.taskpoller.support.EventIds;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three instances of the application, each a child JVM with its own instance id, share one consumer group on the
 * shared test broker; one of them is killed with SIGKILL while every task is still running at the provider. The
 * simulators log every status read with the caller's User-Agent, so the test sees which instance polled which task
 * and when.
 *
 * <p>Nothing depends on timing for correctness: until the kill the providers answer every task as queued, so no task
 * can finish before it; afterwards each finishes at its next-but-one poll. Timing only bounds the waits, and the
 * takeover time is measured and printed, not asserted.
 */
@Tag("crash")
class ThreeInstancesTest extends ChildJvmTestSupport {

    private static final List<String> INSTANCES = List.of("a", "b", "c");
    private static final int TASKS_PER_PROVIDER = 12;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void threeInstancesShareThePollingAndTheSurvivorsFinishTheTasksOfTheOneKilled() throws Exception {
        sims.all().forEach(ProviderSimulator::logPolls);
        Map<String, String> providerOf = new LinkedHashMap<>();
        for (ProviderSimulator sim : sims.all()) {
            for (int i = 0; i < TASKS_PER_PROVIDER; i++) {
                String id = newTaskId(sim.provider());
                providerOf.put(id, sim.provider());
                sim.addTask(SimulatedTask.neverEnding(id));
            }
        }
        jvm = new ChildJvm(dir);
        Map<String, Process> processes = new LinkedHashMap<>();
        for (String instance : INSTANCES) {
            processes.put(instance, jvm.launch(instance, "--config", config(instance).toString()));
        }
        long t0 = System.nanoTime();
        jvm.await("each instance to own one in-flight partition", WAIT, processes,
                () -> inFlightAssignment().size() == 3 && inFlightAssignment().values().stream().allMatch(n -> n == 1));
        report("three instances up, one in-flight partition each", t0);

        TestKafka.sendAll(topic("requests"), providerOf.entrySet().stream()
                .map(e -> "{\"provider\":\"" + e.getValue() + "\",\"taskId\":\"" + e.getKey() + "\"}").toList());
        jvm.await("every task to be polled twice", WAIT, processes, () -> providerOf.entrySet().stream()
                .allMatch(e -> sims.of(e.getValue()).pollsOf(e.getKey()) >= 2));

        Map<String, String> pollerBefore = onlyPollerOfEachTask(providerOf.keySet(), Long.MAX_VALUE);
        Map<String, Long> tasksPerInstance = pollerBefore.values().stream()
                .collect(Collectors.groupingBy(caller -> caller, TreeMap::new, Collectors.counting()));
        assertEquals(INSTANCES.stream().map(ThreeInstancesTest::userAgent).collect(Collectors.toSet()),
                tasksPerInstance.keySet(), "every instance polls tasks of its own: " + tasksPerInstance);
        System.out.println("tasks per instance before the kill: " + tasksPerInstance);

        String victim = INSTANCES.get(1);
        Process killed = processes.get(victim);
        long killedAt = System.nanoTime();
        killed.destroyForcibly();
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS), "the killed instance did not die");
        assertEquals(128 + 9, killed.exitValue(), "killed by SIGKILL" + jvm.tail(victim));
        processes.remove(victim);
        // from now on each task finishes at its second poll, on whichever instance polls it
        providerOf.forEach((id, provider) -> sims.of(provider).addTask(SimulatedTask.completing(id, 2)));

        List<ConsumerRecord<String, String>> events = awaitEvents(providerOf, processes);
        long allDone = System.nanoTime();

        int repeats = EventIds.assertOneIdPerTask(providerOf, events.stream().map(r -> Json.parse(r.value()).orElseThrow())
                .toList(), "completed", "topic");

        // who polled each task: one instance until the kill; a task of the killed one moves once, to one survivor
        String victimAgent = userAgent(victim);
        long firstTakeover = Long.MAX_VALUE;
        long lastTakeover = 0;
        int moved = 0;
        for (String task : providerOf.keySet()) {
            List<Poll> polls = pollsOf(task);
            String before = pollerBefore.get(task);
            List<String> callers = polls.stream().map(Poll::caller).distinct().toList();
            if (!before.equals(victimAgent)) {
                assertEquals(List.of(before), callers, task + " is polled by its own survivor only: " + describe(polls));
                continue;
            }
            assertEquals(2, callers.size(), task + " moves from the killed instance to exactly one survivor: " + describe(polls));
            assertEquals(victimAgent, callers.get(0), task + ": " + describe(polls));
            List<Poll> afterKill = polls.stream().filter(p -> !p.caller().equals(victimAgent)).toList();
            Poll lastByVictim = polls.stream().filter(p -> p.caller().equals(victimAgent)).reduce((a, b) -> b).orElseThrow();
            // (a request the killed instance sent just before its end may still reach the simulator after it)
            assertTrue(afterKill.get(0).arrivedNanos() > killedAt, task + " taken over before the kill: " + describe(polls));
            assertTrue(afterKill.get(0).arrivedNanos() > lastByVictim.answeredNanos(),
                    task + " polled by two instances at once: " + describe(polls));
            firstTakeover = Math.min(firstTakeover, afterKill.get(0).arrivedNanos() - killedAt);
            lastTakeover = Math.max(lastTakeover, afterKill.get(0).arrivedNanos() - killedAt);
            moved++;
        }
        assertTrue(moved > 0, "the killed instance had tasks to hand over");
        System.out.printf("three instances: %d tasks (%s before the kill), %d moved from the killed instance; first poll"
                        + " of a moved task %d ms after the kill, last %d ms (session timeout %d ms + interval %d ms);"
                        + " all %d events %d ms after the kill; %d repeated events%n",
                providerOf.size(), tasksPerInstance, moved, TimeUnit.NANOSECONDS.toMillis(firstTakeover),
                TimeUnit.NANOSECONDS.toMillis(lastTakeover), SESSION_TIMEOUT.toMillis(), INTERVAL.toMillis(),
                providerOf.size(), TimeUnit.NANOSECONDS.toMillis(allDone - killedAt), repeats);
        processes.forEach((instance, process) -> assertTrue(process.isAlive(), instance + " survived" + jvm.tail(instance)));
    }

    /** The one instance that polled each task up to {@code untilNanos}; fails if a task had two. */
    private Map<String, String> onlyPollerOfEachTask(Collection<String> tasks, long untilNanos) {
        Map<String, String> poller = new LinkedHashMap<>();
        for (String task : tasks) {
            List<Poll> polls = pollsOf(task).stream().filter(p -> p.arrivedNanos() < untilNanos).toList();
            Set<String> callers = polls.stream().map(Poll::caller).collect(Collectors.toSet());
            assertEquals(1, callers.size(), task + " is polled by one instance: " + describe(polls));
            poller.put(task, callers.iterator().next());
        }
        return poller;
    }

    private List<Poll> pollsOf(String task) {
        return sims.all().stream().flatMap(sim -> sim.pollLog().stream())
                .filter(poll -> poll.taskId().equals(task))
                .sorted(Comparator.comparingLong(Poll::arrivedNanos))
                .toList();
    }

    private static String describe(List<Poll> polls) {
        return polls.stream().map(p -> p.caller() + "@" + TimeUnit.NANOSECONDS.toMillis(p.arrivedNanos()))
                .collect(Collectors.joining(", "));
    }

    private List<ConsumerRecord<String, String>> awaitEvents(Map<String, String> providerOf, Map<String, Process> alive)
            throws InterruptedException {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        jvm.await("a completed event for every task", WAIT, alive, () -> {
            records.clear();
            records.addAll(TestKafka.readAll(topic("completed"), 0, Duration.ofSeconds(5)));
            return records.stream().map(r -> Json.parse(r.value()).orElseThrow().path("subject").asText())
                    .collect(Collectors.toSet()).containsAll(providerOf.keySet());
        });
        return records;
    }

    /** Members of the in-flight group → how many partitions each is assigned (empty while the group settles). */
    private Map<String, Integer> inFlightAssignment() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("inflight-" + run))
                    .describedGroups().get("inflight-" + run).get(10, TimeUnit.SECONDS);
            return group.members().stream().collect(Collectors.toMap(MemberDescription::consumerId,
                    member -> member.assignment().topicPartitions().size()));
        } catch (Exception e) {
            return Map.of();
        }
    }

    private Path config(String instance) throws Exception {
        Properties p = TaskpollerTestSupport.fastSetup(sims, dir.resolve(instance));
        p.put("taskpoller.instance-id", instance);
        p.put("taskpoller.kafka.brokers", TestKafka.bootstrapServers());
        p.put("taskpoller.kafka.group-id", "requests-" + run);
        p.put("taskpoller.kafka.inflight-group-id", "inflight-" + run);
        p.put("taskpoller.kafka.session-timeout-ms", String.valueOf(SESSION_TIMEOUT.toMillis()));
        for (String stream : List.of("requests", "inflight", "completed", "failed", "rejected")) {
            p.put("taskpoller.topic." + stream, topic(stream));
        }
        p.put("taskpoller.poll.initial-delay", "100ms");
        p.put("taskpoller.poll.interval", INTERVAL.toMillis() + "ms");
        return ChildJvm.writeConfig(dir.resolve(instance + ".properties"), p);
    }

    private String topic(String stream) {
        return "t" + run + "." + stream;
    }

    private static String userAgent(String instance) {
        return "taskpoller/" + instance;
    }

    private static void report(String what, long since) {
        System.out.printf("%s after %d ms%n", what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
    }
}
