package dev.taskpoller.demo;

import dev.taskpoller.provider.declarative.ProviderDefinition;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The demo's sample: for each provider, tasks that complete, one that fails at the provider and one the provider
 * does not know; plus input that is rejected. Deterministic, so every run tells the same story.
 */
final class DemoTasks {

    /** A submission the demo feeds, as a JSON line. */
    record Feed(String provider, String json) {
    }

    private final Random random = new Random(42);
    private final List<Feed> feeds = new ArrayList<>();

    private Map<String, ProviderDefinition> defined = Map.of();

    /** @param defined the providers defined by a file, whose ids are made from their {@code spec.simulator.taskId} */
    List<Feed> build(List<ProviderSimulator> sims, Map<String, ProviderDefinition> defined) {
        this.defined = defined;
        for (ProviderSimulator sim : sims) {
            for (int i = 0; i < 6; i++) {
                String id = sim.addTask(SimulatedTask.completing(newId(sim.provider()), 3 + random.nextInt(4))).id();
                feeds.add(feed(sim.provider(), id, "demo-" + sim.provider() + "-" + i));
            }
            String failing = sim.addTask(SimulatedTask.failing(newId(sim.provider()), 3, "the source image could not be read")).id();
            feeds.add(feed(sim.provider(), failing, "demo-" + sim.provider() + "-failing"));
            feeds.add(feed(sim.provider(), newId(sim.provider()), "demo-" + sim.provider() + "-unknown"));
        }
        return feeds;
    }

    /** Input that must end up rejected, each for another reason. */
    static List<String> badLines() {
        return List.of(
                "{\"provider\": \"scan-documents\", \"taskId\": ",
                "{\"provider\": \"closient-bulk-qr\", \"taskId\": \"not-a-uuid\"}",
                "{\"provider\": \"fax-machine\", \"taskId\": \"42\"}");
    }

    private String newId(String provider) {
        // a provider served by the generic simulator: ids like its spec.simulator's example
        if (defined.containsKey(provider) && defined.get(provider).simulator().containsKey("taskId")) {
            return fromExample(defined.get(provider));
        }
        // a random version-4 UUID (Closient insists on v4), or Scan Documents' task_ + 16 alphanumerics
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        String v4 = new UUID(high, low).toString();
        return provider.equals("scan-documents") ? "task_" + v4.replace("-", "").substring(0, 16) : v4;
    }

    /**
     * An id like the definition's example: its letters and digits from some position on drawn at random (the same
     * case, digits for digits), from the first position where the result still matches the pattern (so a prefix such
     * as {@code job_} stays); the example itself if none does.
     */
    private String fromExample(ProviderDefinition definition) {
        String example = definition.simulator().get("taskId");
        for (int from = 0; from < example.length(); from++) {
            for (int attempt = 0; attempt < 10; attempt++) {
                StringBuilder id = new StringBuilder(example.substring(0, from));
                example.substring(from).chars().forEach(c -> id.append(randomLike((char) c)));
                if (definition.taskIds().check(id.toString()).isEmpty()) {
                    return id.toString();
                }
            }
        }
        return example;
    }

    private char randomLike(char c) {
        if (Character.isDigit(c)) {
            return (char) ('0' + random.nextInt(10));
        } else if (c >= 'a' && c <= 'z') {
            return (char) ('a' + random.nextInt(26));
        } else if (c >= 'A' && c <= 'Z') {
            return (char) ('A' + random.nextInt(26));
        }
        return c;
    }

    private static Feed feed(String provider, String taskId, String correlationId) {
        return new Feed(provider, "{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\",\"correlationId\":\""
                + correlationId + "\",\"metadata\":{\"source\":\"demo\"}}");
    }
}
