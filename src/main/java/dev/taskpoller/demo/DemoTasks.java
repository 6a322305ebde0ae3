package dev.taskpoller.demo;

import dev.taskpoller.provider.declarative.ProviderDefinition;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's sample: for each provider, tasks that complete, one that fails at the provider and one the provider
 * does not know; plus input that is rejected. Deterministic, so every run tells the same story.
 */
final class DemoTasks {

    /** A submission the demo feeds, as a JSON line. */
    record Feed(String provider, String json) {
    }

    /** An id of no provider's form that is a UUID or is prefixed, for the line rejected as invalid_task_id. */
    private static final String NOT_AN_ID = "not-a-uuid";

    private final Random random = new Random(42);
    private final List<Feed> feeds = new ArrayList<>();

    List<Feed> build(List<ProviderSimulator> sims) {
        for (ProviderSimulator sim : sims) {
            for (int i = 0; i < 6; i++) {
                String id = sim.addTask(SimulatedTask.completing(sim.newTaskId(random), 3 + random.nextInt(4))).id();
                feeds.add(feed(sim.provider(), id, "demo-" + sim.provider() + "-" + i));
            }
            String failing = sim.addTask(SimulatedTask.failing(sim.newTaskId(random), 3, "the source image could not be read")).id();
            feeds.add(feed(sim.provider(), failing, "demo-" + sim.provider() + "-failing"));
            feeds.add(feed(sim.provider(), sim.newTaskId(random), "demo-" + sim.provider() + "-unknown"));
        }
        return feeds;
    }

    /**
     * Input that must end up rejected, each for another reason: a line cut short, an id the provider's pattern refuses
     * (the first provider whose pattern refuses {@value #NOT_AN_ID}), a provider nobody defined.
     */
    static List<String> badLines(List<ProviderSimulator> sims, Map<String, ProviderDefinition> defined) {
        List<String> lines = new ArrayList<>();
        lines.add("{\"provider\": \"" + sims.get(0).provider() + "\", \"taskId\": ");
        sims.stream().map(ProviderSimulator::provider)
                .filter(provider -> defined.containsKey(provider) && defined.get(provider).taskIds().check(NOT_AN_ID).isPresent())
                .findFirst()
                .ifPresent(provider -> lines.add("{\"provider\": \"" + provider + "\", \"taskId\": \"" + NOT_AN_ID + "\"}"));
        lines.add("{\"provider\": \"fax-machine\", \"taskId\": \"42\"}");
        return lines;
    }

    private static Feed feed(String provider, String taskId, String correlationId) {
        return new Feed(provider, "{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\",\"correlationId\":\""
                + correlationId + "\",\"metadata\":{\"source\":\"demo\"}}");
    }
}
