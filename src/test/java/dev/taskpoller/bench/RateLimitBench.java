package dev.taskpoller.bench;

import dev.taskpoller.TaskpollerRoutes;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.Simulators;
import dev.taskpoller.support.TaskpollerTestSupport;
import dev.taskpoller.support.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Shoplazza and Closient tasks polled at the real documented limits, which the simulators enforce (Shoplazza's
 * bucket of 60 draining 2 a second, Closient's 300 a minute and 10,000 a day), with taskpoller's default rate limits
 * from the configuration file. Each task completes at its first poll, so calls = tasks. Prints, per provider, the
 * 429s, the time from the first call to the last and the least time the documented sustained rate allows.
 * Run by bench/rate-limits.sh.
 */
public final class RateLimitBench {

    public static void main(String[] args) throws Exception {
        int shoplazzaTasks = Integer.parseInt(args.length > 0 ? args[0] : "200");
        int closientTasks = Integer.parseInt(args.length > 1 ? args[1] : "300");
        Path dir = Files.createTempDirectory("rate-bench");
        try (Simulators sims = new Simulators().start(); DefaultCamelContext context = new DefaultCamelContext()) {
            Properties p = TaskpollerTestSupport.fastSetup(sims, dir);
            // the configuration file's and the definitions' rate limits, not the tests' lifted ones; polls as the defaults have them
            p.remove("taskpoller.poll.rate-limit");
            p.remove("taskpoller.provider.shoplazza-upload.rate-limit");
            p.remove("taskpoller.provider.closient-bulk-qr.rate-limit");
            p.put("taskpoller.poll.initial-delay", "1s");
            String run = UUID.randomUUID().toString().substring(0, 8);
            p.put("taskpoller.kafka.brokers", TestKafka.bootstrapServers());
            p.put("taskpoller.kafka.group-id", "bench-" + run);
            p.put("taskpoller.kafka.inflight-group-id", "bench-inflight-" + run);
            for (String stream : List.of("requests", "inflight", "completed", "failed", "rejected")) {
                p.put("taskpoller.topic." + stream, "bench" + run + "." + stream);
            }
            context.getPropertiesComponent().setOverrideProperties(p);
            context.addRoutes(new TaskpollerRoutes());
            context.start();
            InFlightTasks inFlight = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);

            Map<ProviderSimulator, Integer> runs = Map.of(sims.shoplazza, shoplazzaTasks, sims.closient, closientTasks);
            runs.forEach((sim, count) -> drop(dir, sim, count));
            long start = System.nanoTime();
            long[] finished = new long[2];
            List<ProviderSimulator> order = List.of(sims.shoplazza, sims.closient);
            while (finished[0] == 0 || finished[1] == 0) {
                for (int i = 0; i < 2; i++) {
                    ProviderSimulator sim = order.get(i);
                    if (finished[i] == 0 && sim.requestCount() >= runs.get(sim)
                            && !inFlight.sizeByProvider().containsKey(sim.provider())) {
                        finished[i] = System.nanoTime();
                    }
                }
                Thread.sleep(50);
            }
            System.out.printf("%-18s %6s %6s %6s %10s %14s %12s %12s%n", "provider", "tasks", "calls", "429s", "time",
                    "limit's min", "peak in 1s", "peak in 60s");
            print(sims.shoplazza, shoplazzaTasks, finished[0] - start, 2.0);
            print(sims.closient, closientTasks, finished[1] - start, 5.0);
            System.out.println("time: from the files' drop to the last task's end (the first polls are due 1 s after"
                    + " acceptance); limit's min: calls at the documented sustained rate (Shoplazza 2/s, Closient"
                    + " 300/min = 5/s), ignoring Shoplazza's burst of 60 and a fixed minute's burst of 300");
        }
        // the shared test broker's threads would keep the JVM alive
        System.exit(0);
    }

    private static void print(ProviderSimulator sim, int tasks, long nanos, double perSecond) {
        System.out.printf("%-18s %6d %6d %6d %9.1fs %13.1fs %12d %12d%n", sim.provider(), tasks, sim.requestCount(),
                sim.rateLimitedCount(), nanos / 1e9, sim.requestCount() / perSecond,
                sim.peakRequests(Duration.ofSeconds(1)), sim.peakRequests(Duration.ofSeconds(60)));
    }

    private static void drop(Path dir, ProviderSimulator sim, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            sim.addTask(SimulatedTask.completing(id, 1));
            ids.add(id);
        }
        try {
            Path folder = Files.createDirectories(dir.resolve("inbox").resolve(sim.provider()));
            Path temp = folder.resolve(".ids.tmp");
            Files.writeString(temp, String.join("\n", ids) + "\n");
            Files.move(temp, folder.resolve("ids.txt"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
