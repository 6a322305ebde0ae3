package dev.taskpoller.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.taskpoller.sim.scandocuments.ScanDocumentsSimulator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark of issue 7: the same workload against the Scan Documents simulator on loopback (hosted in this JVM)
 * through three systems, each in a JVM of its own: taskpoller (the application with its embedded broker), the
 * hand-written Camel loop ({@link CamelLoop}) and the raw limit ({@link RawLimit}); then taskpoller alone accepting
 * from a file and from the requests topic, holding idle tasks (memory) and restarting after kill -9. Writes
 * target/bench/results.md and results.json. Run by bench/compare.sh, which documents the workloads.
 */
public final class Compare {

    static final int MAX_CONCURRENT = 10;
    static final int POLLS_TO_FINISH = 5;
    static final long INTERVAL_MS = 50;
    static final int RAW_TASKS = 1000;

    private static final Pattern REBUILT = Pattern.compile("Rebuilt (\\d+) in-flight task");
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final boolean full;
    private final List<Integer> sizes;
    private final int acceptTasks;
    private final List<Object[]> memoryRuns;
    private final int restartTasks;
    private final long restartIntervalSeconds;
    private final int windowSeconds;
    private final long fillTimeoutSeconds;
    private final Path work;
    private final ScanDocumentsSimulator sim = new ScanDocumentsSimulator();
    private final Results results = new Results();
    private int tags;
    private Double firstRaw;

    private Compare(String mode, List<String> only, List<Integer> sizesGiven) throws IOException {
        full = mode.equals("full");
        sizes = sizesGiven != null ? sizesGiven : full ? List.of(1_000, 10_000, 100_000) : List.of(1_000);
        acceptTasks = full ? 20_000 : 2_000;
        memoryRuns = full ? List.of(new Object[] {100_000, "512m"}, new Object[] {1_000_000, "1g"})
                : List.<Object[]>of(new Object[] {5_000, "512m"});
        restartTasks = full ? 100_000 : 3_000;
        restartIntervalSeconds = full ? 30 : 10;
        windowSeconds = full ? 10 : 5;
        fillTimeoutSeconds = full ? 1800 : 300;
        work = Path.of("target", "bench", "work-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")))
                .toAbsolutePath();
        this.only = only;
    }

    private final List<String> only;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "quick";
        if (!mode.equals("quick") && !mode.equals("full")) {
            System.err.println("usage: bench/compare.sh [quick|full] [raw,taskpoller,loop,accept,memory,restart] [N,N...]");
            System.exit(2);
        }
        List<String> only = args.length > 1 ? Arrays.asList(args[1].split(","))
                : List.of("raw", "taskpoller", "loop", "accept", "memory", "restart");
        List<Integer> sizes = args.length > 2 ? Arrays.stream(args[2].split(",")).map(Integer::valueOf).toList() : null;
        new Compare(mode, only, sizes).run(mode);
        System.exit(0);
    }

    private void run(String mode) throws Exception {
        sim.start();
        describe(mode);
        if (only.contains("raw")) {
            for (int threads : List.of(MAX_CONCURRENT, 2 * MAX_CONCURRENT, 4 * MAX_CONCURRENT)) {
                attempt("raw limit, " + threads + " threads", () -> raw(threads));
            }
        }
        for (int n : sizes) {
            if (only.contains("taskpoller")) {
                attempt("taskpoller, " + n + " in flight", () -> pollTaskpoller(n));
            }
            if (only.contains("loop")) {
                attempt("Camel loop, " + n + " in flight", () -> pollCamelLoop(n));
            }
        }
        if (only.contains("accept")) {
            attempt("accept " + acceptTasks, () -> accept(acceptTasks));
        }
        if (only.contains("memory")) {
            for (Object[] run : memoryRuns) {
                attempt("memory " + run[0], () -> memory((Integer) run[0], (String) run[1]));
            }
        }
        if (only.contains("restart")) {
            attempt("restart " + restartTasks, () -> restart(restartTasks));
        }
        sim.close();
        results.write(Path.of("target", "bench", "results.json"), Path.of("target", "bench", "results.md"));
        System.out.println();
        System.out.println(results.markdown());
        System.out.println("written: target/bench/results.md, target/bench/results.json; logs under " + work);
    }

    private interface Run {
        void run() throws Exception;
    }

    /** A run that fails is reported and the others still run. */
    private void attempt(String what, Run run) {
        System.out.println("== " + what);
        try {
            run.run();
        } catch (Exception e) {
            System.out.println("   FAILED: " + e);
            results.notes.add(what + " failed: " + e.getMessage());
        }
    }

    private void describe(String mode) throws IOException {
        results.about.put("mode", mode);
        results.about.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + cpuModel() + ", " + OS.getTotalMemorySize() / (1 << 20) + " MB RAM");
        results.about.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        results.about.put("workload", "Scan Documents simulator on loopback (in the harness JVM), one GET per poll; "
                + "interval " + INTERVAL_MS + " ms, backoff multiplier 1, max-concurrent " + MAX_CONCURRENT
                + "; N tasks answer pending until all N are being polled, then a " + windowSeconds
                + " s window measures polls/s, CPU and lateness; then each task completes at its "
                + POLLS_TO_FINISH + "th next poll (finished/s, done→event)");
    }

    private static String cpuModel() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
        }
    }

    private String tag() {
        String tag = Integer.toString(tags++, 36);
        return "0000".substring(tag.length()) + tag;
    }

    // ---------------------------------------------------------------- the raw limit

    private void raw(int threads) throws Exception {
        Map<String, Object> row = row("raw limit (HttpClient 5, " + threads + " threads)", "status calls", RAW_TASKS);
        double perSecond = rawLimit(threads, row);
        if (threads == MAX_CONCURRENT) {
            firstRaw = perSecond;
        }
        row.put("polls_vs_raw", firstRaw == null ? null : perSecond / firstRaw);
        results.throughput.add(row);
        System.out.printf("   %.0f calls/s%n", perSecond);
    }

    /** Runs the raw client once; its figures go into the row when one is given. Returns its calls per second. */
    private double rawLimit(int threads, Map<String, Object> row) throws Exception {
        TaskGroup group = new TaskGroup(tag(), RAW_TASKS, INTERVAL_MS).addPending(sim);
        SimMeter meter = new SimMeter();
        JvmProcess process = JvmProcess.start("raw-" + threads + "-" + group.tag, work, List.of("-Xmx256m"),
                testClassPath(), RawLimit.class.getName(), List.of(sim.baseUrl(), sim.apiKey(),
                        group.tag, String.valueOf(RAW_TASKS), String.valueOf(threads), "2",
                        String.valueOf(windowSeconds)));
        try {
            awaitFor(process, () -> process.logContains("RAW "), windowSeconds + 60, "the raw client's figures");
            String[] line = Files.readAllLines(process.log()).stream().filter(l -> l.startsWith("RAW ")).findFirst()
                    .orElseThrow().split(" ");
            long calls = Long.parseLong(line[1]);
            double perSecond = calls / Double.parseDouble(line[2]);
            if (row != null) {
                row.put("polls_per_s", perSecond);
                row.put("cpu_s_per_1k_polls", Double.parseDouble(line[3]) / calls * 1000);
                meter.into(row);
                figures(row, process);
            }
            return perSecond;
        } finally {
            process.close();
        }
    }

    /**
     * The raw limit with 10 threads measured again just before a system's run: on a shared machine the load moves
     * between runs, so each ratio is taken against the raw limit of its own moment.
     */
    private double adjacentRawLimit(Map<String, Object> row) throws Exception {
        double raw = rawLimit(MAX_CONCURRENT, null);
        row.put("raw_per_s", raw);
        return raw;
    }

    // ---------------------------------------------------------------- N in flight, polled

    private void pollTaskpoller(int n) throws Exception {
        Map<String, Object> row = row("taskpoller", "poll", n);
        adjacentRawLimit(row);
        TaskGroup group = new TaskGroup(tag(), n, INTERVAL_MS).addPending(sim);
        TaskpollerProcess taskpoller = new TaskpollerProcess(work.resolve("taskpoller-" + n), sim, Map.of(
                "taskpoller.poll.initial-delay", INTERVAL_MS + "ms",
                "taskpoller.poll.interval", INTERVAL_MS + "ms",
                "taskpoller.poll.max-interval", INTERVAL_MS + "ms"));
        JvmProcess process = taskpoller.start("taskpoller", "1g");
        try (BenchKafka kafka = new BenchKafka(taskpoller.bootstrap())) {
            long start = System.nanoTime();
            kafka.sendRequests(TaskpollerProcess.REQUESTS, group);
            awaitFor(() -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) >= n, fillTimeoutSeconds, "all accepted");
            row.put("accepted_per_s", n / seconds(start));
            measurePolling(row, group, process, () -> {
                Map<Integer, Long> events = kafka.events(TaskpollerProcess.COMPLETED, group, finishTimeout(n));
                long[] micros = new long[n];
                events.forEach((index, millis) -> micros[index] = millis * 1000);
                return micros;
            });
        } finally {
            process.close();
        }
    }

    private void pollCamelLoop(int n) throws Exception {
        Map<String, Object> row = row("hand-written Camel loop", "poll", n);
        adjacentRawLimit(row);
        TaskGroup group = new TaskGroup(tag(), n, INTERVAL_MS).addPending(sim);
        Path events = work.resolve("loop-" + n + "-events.txt");
        JvmProcess process = JvmProcess.start("loop-" + n, work, List.of("-Xmx1g"),
                testClassPath(), CamelLoop.class.getName(), List.of(sim.baseUrl(),
                        sim.apiKey(), group.tag, String.valueOf(n), String.valueOf(INTERVAL_MS), events.toString()));
        try {
            measurePolling(row, group, process, () -> {
                awaitFor(process, () -> process.logContains("LOOP done"), finishTimeout(n).toSeconds(),
                        "the loop's end");
                long[] micros = new long[n];
                for (String line : Files.readAllLines(events)) {
                    String[] fields = line.split(" ");
                    micros[Integer.parseInt(fields[0])] = Long.parseLong(fields[1]);
                }
                return micros;
            });
        } finally {
            process.close();
        }
    }

    private interface Events {
        /** Per task index, when its event was out (wall clock µs), 0 when it never came. */
        long[] await() throws Exception;
    }

    /**
     * Once every task is being polled: the window (polls/s, the system's CPU, lateness), the live heap, then the
     * release and the events (finished/s, provider done → event).
     */
    private void measurePolling(Map<String, Object> row, TaskGroup group, JvmProcess process, Events events)
            throws Exception {
        int n = group.size;
        awaitFor(process, () -> group.polledOnce() >= n, fillTimeoutSeconds, "every task polled once");
        group.measureLateness(true);
        SimMeter meter = new SimMeter();
        double cpu = process.cpuSeconds();
        Thread.sleep(windowSeconds * 1000L);
        double polls = meter.requests() / meter.seconds();
        double cpuSpent = process.cpuSeconds() - cpu;
        meter.into(row);
        group.measureLateness(false);
        row.put("polls_per_s", polls);
        row.put("cpu_s_per_1k_polls", cpuSpent / (polls * meter.seconds()) * 1000);
        row.put("lateness_p50_ms", group.lateness.percentileMillis(50));
        row.put("lateness_p99_ms", group.lateness.percentileMillis(99));
        row.put("live_heap_mb", process.liveHeapMb());

        long released = TaskGroup.nowMicros();
        group.release(sim, POLLS_TO_FINISH);
        long[] eventAt = events.await();
        LatencyHistogram doneToEvent = new LatencyHistogram();
        long last = 0;
        int ended = 0;
        for (int i = 0; i < n; i++) {
            if (eventAt[i] != 0) {
                ended++;
                last = Math.max(last, eventAt[i]);
                if (group.terminalAt(i) != 0) {
                    doneToEvent.record(eventAt[i] - group.terminalAt(i));
                }
            }
        }
        if (ended < n) {
            results.notes.add(row.get("system") + " at " + n + ": only " + ended + " events came");
        }
        row.put("finished_per_s", ended / ((last - released) / 1e6));
        row.put("event_p50_ms", doneToEvent.percentileMillis(50));
        row.put("event_p99_ms", doneToEvent.percentileMillis(99));
        double raw = (Double) row.get("raw_per_s");
        row.put("polls_vs_raw", polls / raw);
        row.put("finished_vs_raw", (Double) row.get("finished_per_s") / (raw / POLLS_TO_FINISH));
        figures(row, process);
        results.throughput.add(row);
        System.out.printf("   %.0f polls/s, %.0f finished/s, lateness p99 %s ms, done→event p99 %s ms%n", polls,
                row.get("finished_per_s"), row.get("lateness_p99_ms"), row.get("event_p99_ms"));
    }

    private Duration finishTimeout(int n) {
        return Duration.ofSeconds(60 + (long) n * POLLS_TO_FINISH / 500);
    }

    // ---------------------------------------------------------------- taskpoller alone

    /** Idle tasks (first poll an hour away): the time from the file's drop / the first send until all are in flight. */
    private void accept(int n) throws Exception {
        TaskpollerProcess taskpoller = new TaskpollerProcess(work.resolve("accept"), sim,
                Map.of("taskpoller.poll.initial-delay", "1h", "taskpoller.poll.interval", "30s"));
        JvmProcess process = taskpoller.start("taskpoller", "1g");
        try (BenchKafka kafka = new BenchKafka(taskpoller.bootstrap())) {
            TaskGroup fromFile = new TaskGroup(tag(), n, INTERVAL_MS);
            Path folder = Files.createDirectories(taskpoller.dir.resolve("inbox").resolve("scan-documents"));
            Path part = folder.resolve("ids.txt.part");
            StringBuilder ids = new StringBuilder();
            for (int i = 0; i < n; i++) {
                ids.append(fromFile.id(i)).append('\n');
            }
            Files.writeString(part, ids);
            long start = System.nanoTime();
            Files.move(part, folder.resolve("ids.txt"));
            awaitFor(() -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) >= n && Files.notExists(folder.resolve("ids.txt")),
                    fillTimeoutSeconds, "the file accepted");
            Map<String, Object> file = row("taskpoller", "accept: one inbox file", n);
            file.put("accepted_per_s", n / seconds(start));

            TaskGroup fromTopic = new TaskGroup(tag(), n, INTERVAL_MS);
            start = System.nanoTime();
            kafka.sendRequests(TaskpollerProcess.REQUESTS, fromTopic);
            awaitFor(() -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) >= 2L * n, fillTimeoutSeconds,
                    "the topic's requests accepted");
            Map<String, Object> topic = row("taskpoller", "accept: requests topic", n);
            topic.put("accepted_per_s", n / seconds(start));

            Map<String, Object> reference = row("plain Kafka producer (reference)", "the same records, acks=all", n);
            reference.put("accepted_per_s", kafka.plainProducerRate("bench.reference", TaskpollerProcess.PARTITIONS,
                    new TaskGroup(tag(), n, INTERVAL_MS)));
            figures(file, process);
            figures(topic, process);
            results.throughput.addAll(List.of(file, topic, reference));
            System.out.printf("   file %.0f/s, topic %.0f/s, plain producer %.0f/s%n", file.get("accepted_per_s"),
                    topic.get("accepted_per_s"), reference.get("accepted_per_s"));
        } finally {
            process.close();
        }
    }

    /** N tasks held idle (first poll an hour away, then every 30 s): the live heap per task after a full GC. */
    private void memory(int n, String heap) throws Exception {
        TaskpollerProcess taskpoller = new TaskpollerProcess(work.resolve("memory-" + n), sim,
                Map.of("taskpoller.poll.initial-delay", "1h", "taskpoller.poll.interval", "30s"));
        JvmProcess process = taskpoller.start("taskpoller", heap);
        try (BenchKafka kafka = new BenchKafka(taskpoller.bootstrap())) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("n", n);
            row.put("xmx", heap);
            Thread.sleep(2000);
            double baseline = process.liveHeapMb();
            row.put("baseline_heap_mb", baseline);
            long start = System.nanoTime();
            kafka.sendRequests(TaskpollerProcess.REQUESTS, new TaskGroup(tag(), n, INTERVAL_MS));
            long[] reached = {0};
            try {
                awaitFor(() -> !process.isAlive() || (reached[0] = kafka.endOffsets(TaskpollerProcess.INFLIGHT)) >= n,
                        fillTimeoutSeconds, "all accepted");
            } catch (IllegalStateException timedOut) {
                results.notes.add("memory " + n + ": " + timedOut.getMessage() + "; measured with " + reached[0]);
            }
            row.put("reached", reached[0]);
            row.put("accepted_per_s", reached[0] / seconds(start));
            if (!process.isAlive()) {
                results.notes.add("memory " + n + ": taskpoller died (see " + process.log() + ")");
            } else {
                Thread.sleep(2000);
                double live = process.liveHeapMb();
                row.put("live_heap_mb", live);
                row.put("bytes_per_task", (live - baseline) * (1 << 20) / Math.max(1, reached[0]));
            }
            row.put("peak_heap_after_gc_mb", process.peakHeapAfterGcMb());
            row.put("unforced_full_gcs", process.unforcedFullGcs());
            row.put("peak_rss_mb", process.peakRssMb());
            row.put("threads", process.peakThreads());
            results.memory.add(row);
            System.out.printf("   %s in flight: live heap %s MB, %s bytes/task%n", reached[0], row.get("live_heap_mb"),
                    row.get("bytes_per_task"));
        } finally {
            process.close();
        }
    }

    /**
     * N tasks in flight and each polled once, then kill -9 and the same configuration started again: how long until
     * Camel started, the in-flight tasks were rebuilt (the log's "Rebuilt" lines), and every task was polled again,
     * and how those first polls spread (seconds after the relaunch).
     */
    private void restart(int n) throws Exception {
        TaskGroup group = new TaskGroup(tag(), n, restartIntervalSeconds * 1000).addPending(sim);
        TaskpollerProcess taskpoller = new TaskpollerProcess(work.resolve("restart"), sim, Map.of(
                "taskpoller.poll.initial-delay", "1s",
                "taskpoller.poll.interval", restartIntervalSeconds + "s",
                "taskpoller.poll.max-interval", restartIntervalSeconds + "s"));
        JvmProcess first = taskpoller.start("taskpoller", "1g");
        try (BenchKafka kafka = new BenchKafka(taskpoller.bootstrap())) {
            kafka.sendRequests(TaskpollerProcess.REQUESTS, group);
            awaitFor(() -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) >= n, fillTimeoutSeconds, "all accepted");
        }
        awaitFor(() -> group.polledOnce() >= n, fillTimeoutSeconds, "every task polled once");
        first.kill();
        group.mark();
        long launched = TaskGroup.nowMicros();
        long launchedNanos = System.nanoTime();
        JvmProcess second = taskpoller.start("taskpoller-restarted", "1g");
        Map<String, Object> row = new LinkedHashMap<>();
        try {
            row.put("n", n);
            row.put("interval_s", restartIntervalSeconds);
            row.put("started_s", seconds(launchedNanos));
            row.put("broker_ready_s", brokerReady(second, (Double) row.get("started_s")));
            long until = System.nanoTime() + Duration.ofSeconds(fillTimeoutSeconds).toNanos();
            while (group.polledSinceMark() < n && System.nanoTime() < until) {
                if (!row.containsKey("rebuilt_s") && rebuilt(second) >= n) {
                    row.put("rebuilt_s", seconds(launchedNanos));
                }
                Thread.sleep(50);
            }
            if (!row.containsKey("rebuilt_s") && rebuilt(second) >= n) {
                row.put("rebuilt_s", seconds(launchedNanos));
            }
            long[] firstPolls = group.firstPollsSinceMarkMillis(launched);
            if (firstPolls.length < n) {
                results.notes.add("restart: only " + firstPolls.length + " of " + n + " tasks polled again");
            } else {
                row.put("all_polled_s", seconds(launchedNanos));
            }
            if (firstPolls.length > 0) {
                row.put("first_poll_p0_s", firstPolls[0] / 1000.0);
                row.put("first_poll_p50_s", firstPolls[firstPolls.length / 2] / 1000.0);
                row.put("first_poll_p99_s", firstPolls[(int) Math.min(firstPolls.length - 1,
                        Math.ceil(firstPolls.length * 0.99) - 1)] / 1000.0);
                row.put("first_poll_max_s", firstPolls[firstPolls.length - 1] / 1000.0);
            }
            row.put("peak_rss_mb", second.peakRssMb());
            row.put("threads", second.peakThreads());
            results.restart.add(row);
            System.out.println("   " + row);
        } finally {
            second.close();
        }
    }

    /**
     * Seconds from the launch until the embedded broker was ready: the log's time from its "ready" line to Camel's
     * "started" line, taken from the launch → started time; null when the log has no such lines.
     */
    private static Double brokerReady(JvmProcess process, double startedSeconds) throws IOException {
        LocalTime ready = null;
        LocalTime started = null;
        for (String line : Files.readAllLines(process.log())) {
            if (line.length() > 12 && line.contains("Embedded Kafka broker ready")) {
                ready = LocalTime.parse(line.substring(0, 12));
            } else if (line.length() > 12 && line.contains(" started in ")) {
                started = LocalTime.parse(line.substring(0, 12));
            }
        }
        return ready == null || started == null ? null
                : startedSeconds - Duration.between(ready, started).toMillis() / 1000.0;
    }

    /** The tasks the log says were rebuilt so far (the sum of its "Rebuilt N in-flight task(s)" lines). */
    private static long rebuilt(JvmProcess process) throws IOException {
        Matcher m = REBUILT.matcher(Files.readString(process.log()));
        long sum = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> row(String system, String workload, int n) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("system", system);
        row.put("workload", workload);
        row.put("n", n);
        return row;
    }

    /** Heap after GC, RSS and threads of the system's JVM, read before it stops. */
    private static void figures(Map<String, Object> row, JvmProcess process) {
        row.put("peak_heap_after_gc_mb", process.peakHeapAfterGcMb());
        row.put("peak_rss_mb", process.peakRssMb());
        row.put("threads", process.peakThreads());
    }

    /** This JVM's class path with absolute entries: the systems' JVMs run in folders of their own. */
    private static String testClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void awaitFor(Check done, long timeoutSeconds, String what) throws Exception {
        awaitFor(null, done, timeoutSeconds, what);
    }

    /** Fails at once when the system's JVM has ended. */
    private static void awaitFor(JvmProcess system, Check done, long timeoutSeconds, String what) throws Exception {
        long until = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!done.check()) {
            if (system != null && !system.isAlive()) {
                throw new IllegalStateException(system.name + " ended while waiting for " + what + "; see "
                        + system.log());
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private interface Check {
        boolean check() throws Exception;
    }

    /** The simulator's requests and this JVM's CPU (the simulator's, plus the harness's own small share) since made. */
    private final class SimMeter {
        private final long startNanos = System.nanoTime();
        private final long startCpu = OS.getProcessCpuTime();
        private final int startRequests = sim.requestCount();

        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        long requests() {
            return sim.requestCount() - startRequests;
        }

        /** Puts the simulator's CPU (cores busy, and CPU s per 1,000 requests) into the row. */
        void into(Map<String, Object> row) {
            double cpu = (OS.getProcessCpuTime() - startCpu) / 1e9;
            row.put("sim_cpu_cores", cpu / seconds());
            row.put("sim_cpu_s_per_1k", requests() == 0 ? null : cpu / requests() * 1000);
        }
    }
}
