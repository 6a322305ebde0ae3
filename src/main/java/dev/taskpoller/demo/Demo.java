package dev.taskpoller.demo;

import dev.taskpoller.TaskpollerApplication;
import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.ProviderStats;
import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.config.Settings;
import dev.taskpoller.provider.declarative.DefinitionReader;
import dev.taskpoller.provider.declarative.ProviderDefinition;
import dev.taskpoller.sim.DefinedSimulator;
import dev.taskpoller.sim.ProviderSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code taskpoller demo}: the real service (embedded broker, real routes) against a simulator of every provider on
 * loopback (the seed providers' own, found as services; the generic one for each other provider defined in the
 * definitions folder), fed with a sample through both inputs. Prints progress while it runs and a summary table at
 * the end.
 */
public final class Demo {

    private static final long TIMEOUT_MILLIS = 180_000;
    private static final PrintStream OUT = System.out;
    private static volatile boolean stoppedBySignal;

    private Demo() {
    }

    /** Whether the JVM is already shutting down (Ctrl-C): then System.exit would wait for ever. */
    public static boolean stoppedBySignal() {
        return stoppedBySignal;
    }

    public static int run(List<String> args) throws Exception {
        boolean keepRunning = args.contains("--keep-running");
        // the progress lines and the table are the demo's output; Camel's own start-up lines would bury them
        Configurator.setLevel("org.apache.camel", Level.WARN);
        Map<String, ProviderDefinition> defined = definitions(definitionsFolder());
        List<ProviderSimulator> sims = simulators(defined);
        sims.forEach(ProviderSimulator::start);
        Path demoKafka = Path.of("data", "demo-kafka");
        deleteRecursively(demoKafka);

        Main main = TaskpollerApplication.newMain("config/application.properties");
        demoSettings(sims, demoKafka).forEach((key, value) -> main.addOverrideProperty((String) key, (String) value));
        try {
            main.start();
        } catch (RuntimeException e) {
            sims.forEach(ProviderSimulator::close);
            main.stop();
            throw e;
        }
        CamelContext context = main.getCamelContext();
        ProviderStats stats = context.getRegistry().lookupByNameAndType("taskpollerStats", ProviderStats.class);
        InFlightTasks inFlight = context.getRegistry().lookupByNameAndType("taskpollerInFlightTasks", InFlightTasks.class);
        try {
            List<DemoTasks.Feed> feeds = new DemoTasks().build(sims);
            List<String> badLines = DemoTasks.badLines(sims, defined);
            // and the repeated line: a duplicate
            int expectedRejected = badLines.size() + 1;
            feed(context, feeds, badLines);
            OUT.printf("demo: %d tasks and %d bad inputs fed (half through Kafka, half through %s)%n",
                    feeds.size(), expectedRejected, context.resolvePropertyPlaceholders("{{taskpoller.inbox}}"));
            long start = System.currentTimeMillis();
            long lastLine = 0;
            while (!done(stats, feeds.size(), expectedRejected) && System.currentTimeMillis() - start < TIMEOUT_MILLIS) {
                if (System.currentTimeMillis() - lastLine >= 2000) {
                    lastLine = System.currentTimeMillis();
                    OUT.println(progress(stats, inFlight, System.currentTimeMillis() - start));
                }
                Thread.sleep(100);
            }
            OUT.println(progress(stats, inFlight, System.currentTimeMillis() - start));
            OUT.println();
            OUT.print(summary(stats, sims.stream().map(ProviderSimulator::provider).toList()));
            OUT.printf("%nEvents: %s/{completed,failed,rejected}/*.jsonl%n",
                    context.resolvePropertyPlaceholders("{{taskpoller.outbox}}"));
            if (keepRunning) {
                // from now on the simulators know every well-formed id: it completes after 3 polls (one in five fails)
                sims.forEach(sim -> sim.autoCreateTasks(3));
                OUT.println("Still running: drop *.jsonl, *.csv or <provider>/*.txt files into the inbox; Ctrl-C to stop.");
                CountDownLatch stop = new CountDownLatch(1);
                Thread demoThread = Thread.currentThread();
                // Ctrl-C: let this thread stop Camel and the simulators before the JVM goes
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stoppedBySignal = true;
                    stop.countDown();
                    try {
                        demoThread.join(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                stop.await();
            }
            return done(stats, feeds.size(), expectedRejected) ? 0 : 1;
        } finally {
            main.stop();
            sims.forEach(ProviderSimulator::close);
        }
    }

    /**
     * The simulators on the class path (the seed providers' own, as services), then the generic one for every other
     * provider defined in the folder {@code taskpoller.provider-definitions} whose definition gives its replies
     * ({@code spec.simulator}).
     */
    private static List<ProviderSimulator> simulators(Map<String, ProviderDefinition> defined) {
        List<ProviderSimulator> sims = new ArrayList<>();
        ServiceLoader.load(ProviderSimulator.class).forEach(sims::add);
        List<String> served = sims.stream().map(ProviderSimulator::provider).toList();
        defined.values().stream().filter(definition -> !served.contains(definition.name())).forEach(definition -> {
            if (DefinedSimulator.canSimulate(definition)) {
                sims.add(new DefinedSimulator(definition));
            } else {
                OUT.printf("demo: %s left out: its definition has no spec.simulator to answer with%n", definition.name());
            }
        });
        return sims;
    }

    private static Path definitionsFolder() throws IOException {
        Properties config = new Properties();
        Path file = Path.of("config", "application.properties");
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                config.load(in);
            }
        }
        return Path.of(System.getProperty(Settings.PROVIDER_DEFINITIONS.name(),
                config.getProperty(Settings.PROVIDER_DEFINITIONS.name(), "config/providers")));
    }

    /** Read as the service reads them; a definition it would refuse stops the demo at start-up, as it stops the service. */
    private static Map<String, ProviderDefinition> definitions(Path folder) throws IOException {
        Map<String, ProviderDefinition> definitions = new java.util.TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return definitions;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                try {
                    ProviderDefinition definition = DefinitionReader.read(file.toString(), file.getFileName().toString(),
                            Files.readString(file));
                    definitions.put(definition.name(), definition);
                } catch (InvalidConfigurationException invalid) {
                    // the service's own start-up reports it, with every other problem
                }
            }
        }
        return definitions;
    }

    /** Loopback endpoints, a fresh broker directory, and polling fast enough for a demo. */
    private static Properties demoSettings(List<ProviderSimulator> sims, Path demoKafka) {
        Properties p = new Properties();
        sims.forEach(sim -> {
            p.putAll(sim.endpointProperties());
            p.putAll(sim.demoProperties());
        });
        p.put("taskpoller.kafka.brokers", "");
        p.put("taskpoller.kafka.embedded.data-dir", demoKafka.toString());
        p.put("taskpoller.poll.initial-delay", "1s");
        p.put("taskpoller.poll.interval", "1s");
        p.put("taskpoller.poll.backoff-multiplier", "1.5");
        p.put("taskpoller.poll.max-interval", "4s");
        p.put("taskpoller.inbox.settle-ms", "500");
        return p;
    }

    private static void feed(CamelContext context, List<DemoTasks.Feed> feeds, List<String> badLines) throws IOException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.resolvePropertyPlaceholders("{{taskpoller.kafka.brokers}}"));
        String topic = context.resolvePropertyPlaceholders("{{taskpoller.topic.requests}}");
        List<String> fileLines = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < feeds.size(); i++) {
                if (i % 2 == 0) {
                    producer.send(new ProducerRecord<>(topic, feeds.get(i).json()));
                } else {
                    fileLines.add(feeds.get(i).json());
                }
            }
            producer.send(new ProducerRecord<>(topic, badLines.get(badLines.size() - 1)));
        }
        fileLines.addAll(1, badLines.subList(0, badLines.size() - 1));
        fileLines.add(fileLines.get(0));
        Path inbox = Path.of(context.resolvePropertyPlaceholders("{{taskpoller.inbox}}"));
        Files.createDirectories(inbox);
        Path temp = inbox.resolve(".demo.tmp");
        Files.write(temp, fileLines);
        Files.move(temp, inbox.resolve("demo-" + System.currentTimeMillis() + ".jsonl"));
    }

    private static boolean done(ProviderStats stats, int tasks, int rejected) {
        long finished = stats.snapshot().values().stream().mapToLong(ProviderStats.Counts::finished).sum();
        long rejectedSoFar = stats.snapshot().values().stream().mapToLong(c -> c.rejected.sum()).sum();
        return finished >= tasks && rejectedSoFar >= rejected;
    }

    private static String progress(ProviderStats stats, InFlightTasks inFlight, long elapsed) {
        Map<String, ProviderStats.Counts> all = stats.snapshot();
        return String.format("[%3ds] accepted %d, completed %d, failed %d, rejected %d, in flight %d, polls %d",
                elapsed / 1000,
                all.values().stream().mapToLong(c -> c.accepted.sum()).sum(),
                all.values().stream().mapToLong(c -> c.completed.sum()).sum(),
                all.values().stream().mapToLong(c -> c.failed.sum()).sum(),
                all.values().stream().mapToLong(c -> c.rejected.sum()).sum(),
                inFlight.size(),
                all.values().stream().mapToLong(c -> c.polls.sum()).sum());
    }

    /** One row per provider; input that named no known provider is counted on a row of its own. */
    static String summary(ProviderStats stats, List<String> providers) {
        StringBuilder table = new StringBuilder();
        String row = "%-18s %9s %10s %7s %9s %6s %8s%n";
        table.append(String.format(row, "provider", "accepted", "completed", "failed", "rejected", "polls", "time"));
        long[] total = new long[5];
        Map<String, ProviderStats.Counts> rows = new java.util.LinkedHashMap<>();
        providers.stream().sorted().forEach(provider -> rows.put(provider, stats.of(provider)));
        ProviderStats.Counts other = new ProviderStats.Counts();
        stats.snapshot().forEach((provider, counts) -> {
            if (!providers.contains(provider)) {
                other.rejected.add(counts.rejected.sum());
            }
        });
        rows.put("(no provider)", other);
        for (Map.Entry<String, ProviderStats.Counts> entry : rows.entrySet()) {
            ProviderStats.Counts c = entry.getValue();
            long[] values = {c.accepted.sum(), c.completed.sum(), c.failed.sum(), c.rejected.sum(), c.polls.sum()};
            for (int i = 0; i < values.length; i++) {
                total[i] += values[i];
            }
            table.append(String.format(row, entry.getKey(), values[0], values[1], values[2], values[3], values[4],
                    String.format("%.1fs", c.activeMillis() / 1000.0)));
        }
        table.append(String.format(row, "total", total[0], total[1], total[2], total[3], total[4], ""));
        return table.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
