package dev.taskpoller.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.acedata.AceDataSimulator;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark of issue 7: the same workload against the Scan Documents simulator on loopback (hosted in this JVM)
 * through three systems, each in a JVM of its own: taskpoller (the application with its embedded broker), the
 * hand-written Camel loop ({@link CamelLoop}) and the raw limit ({@link RawLimit}); the same below saturation (a long
 * interval: latency); taskpoller polling AceData in batch calls; then taskpoller alone accepting from a file and from
 * the requests topic, holding idle tasks (memory) and restarting after kill -9. Writes target/bench/results.md and
 * results.json. Run by bench/compare.sh, which documents the workloads and the environment variables read here.
 */
public final class Compare {

    static final int MAX_CONCURRENT = 10;
    static final int POLLS_TO_FINISH = 5;
    static final long INTERVAL_MS = setting("BENCH_INTERVAL_MS", 50);
    static final int RAW_TASKS = 1000;
    /** Ids per AceData batch call in the finish burst. */
    static final int BURST_BATCH = 100;
    /** Tasks finishing (not counted) before a finish burst is measured. */
    static final int BURST_WARM_UP = 2_000;
    /** No step waits longer than this in full mode: a step that would is stopped and says what it reached. */
    static final long STEP_CAP_SECONDS = 15 * 60;

    /**
     * What a poll run asks of the system: its provider and interval, and how its tasks finish after the window: at
     * their {@code pollsToFinish}-th next poll, released all at once or one after another over {@code releaseIntervals}
     * intervals.
     */
    private record Workload(String key, String name, String provider, long intervalMs, int pollsToFinish,
            int releaseIntervals, boolean againstRaw, Map<String, String> settings) {

        Workload(String key, String name, String provider, long intervalMs, int pollsToFinish, int releaseIntervals,
                boolean againstRaw) {
            this(key, name, provider, intervalMs, pollsToFinish, releaseIntervals, againstRaw, Map.of());
        }

        long releaseSpreadMs() {
            return releaseIntervals * intervalMs;
        }
    }

    /** Saturating: a short interval, measured against the raw limit; all tasks finish at their 5th poll (finished/s). */
    private static final Workload POLL = new Workload("poll", "poll", TaskGroup.SCAN_DOCUMENTS, INTERVAL_MS,
            POLLS_TO_FINISH, 0, true);
    /**
     * Below saturation: then the provider finishes the tasks at a steady rate (all within 5 intervals), each one's
     * next poll sees it (finish → event).
     */
    private static final Workload LATENCY = new Workload("latency", "latency", TaskGroup.SCAN_DOCUMENTS,
            setting("BENCH_LATENCY_INTERVAL_MS", 1000), 1, 5, false);
    /**
     * AceData's batch call at its packaged batch-size and batch-window: HTTP calls against tasks polled; then the
     * provider finishes every task at once (a burst of events).
     */
    private static final Workload ACEDATA = new Workload("acedata", "AceData batches", TaskGroup.ACEDATA,
            setting("BENCH_ACEDATA_INTERVAL_MS", 5000), 1, 0, false);

    /**
     * Publishing at its limit: every task completes at its next poll. The polls are AceData batch calls of 100 ids
     * every 50 ms: on 2 cores one call per task (Scan Documents) decides a few thousand tasks a second at most, so the
     * burst would measure the polling, not the publishing. Events/s from the first to the last, next to a plain
     * producer writing as many event-sized records to the same broker.
     */
    private static final Workload BURST = new Workload("burst", "finish burst", TaskGroup.ACEDATA,
            INTERVAL_MS, 1, 0, false, Map.of(
                    "taskpoller.provider.acedata-qrart.batch-size", String.valueOf(BURST_BATCH),
                    "taskpoller.provider.acedata-qrart.batch-window", INTERVAL_MS + "ms"));

    private static final Pattern REBUILT = Pattern.compile("Rebuilt (\\d+) in-flight task");
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final boolean full;
    private final List<Integer> sizes;
    private final List<Integer> burstSizes;
    private final int latencyTasks;
    private final int aceDataTasks;
    private final int acceptTasks;
    private final List<Object[]> memoryRuns;
    private final int restartTasks;
    private final long restartIntervalSeconds;
    private final int windowSeconds;
    private final long fillTimeoutSeconds;
    private final Path work;
    private final ScanDocumentsSimulator sim = new ScanDocumentsSimulator();
    private final AceDataSimulator aceSim = new AceDataSimulator();
    private final Results results = new Results();
    private int tags;
    private Double firstRaw;

    private Compare(String mode, List<String> only, List<Integer> sizesGiven) throws IOException {
        full = mode.equals("full");
        sizes = sizesGiven != null ? sizesGiven : full ? List.of(1_000, 10_000, 100_000) : List.of(1_000);
        String burst = System.getenv("BENCH_BURST_N");
        burstSizes = burst != null && !burst.isBlank()
                ? Arrays.stream(burst.split(",")).map(String::strip).map(Integer::valueOf).toList()
                : full ? List.of(1_000, 10_000, 100_000) : List.of(1_000, 10_000);
        latencyTasks = (int) setting("BENCH_LATENCY_N", 2_000);
        aceDataTasks = (int) setting("BENCH_ACEDATA_N", full ? 10_000 : 1_000);
        acceptTasks = full ? 20_000 : 2_000;
        memoryRuns = full ? List.of(new Object[] {100_000, "512m"}, new Object[] {1_000_000, "1g"})
                : List.<Object[]>of(new Object[] {5_000, "512m"});
        restartTasks = full ? 100_000 : 3_000;
        restartIntervalSeconds = full ? 30 : 10;
        windowSeconds = full ? 10 : 5;
        fillTimeoutSeconds = full ? STEP_CAP_SECONDS : 300;
        work = Path.of("target", "bench", "work-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")))
                .toAbsolutePath();
        this.only = only;
    }

    private final List<String> only;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "quick";
        if (!mode.equals("quick") && !mode.equals("full")) {
            System.err.println("usage: bench/compare.sh [quick|full] "
                    + "[raw,taskpoller,loop,latency,burst,acedata,accept,memory,restart] [N,N...]");
            System.exit(2);
        }
        List<String> only = args.length > 1 ? Arrays.asList(args[1].split(","))
                : List.of("raw", "taskpoller", "loop", "latency", "burst", "acedata", "accept", "memory", "restart");
        List<Integer> sizes = args.length > 2 ? Arrays.stream(args[2].split(",")).map(Integer::valueOf).toList() : null;
        new Compare(mode, only, sizes).run(mode);
        System.exit(0);
    }

    /** A whole number from the environment, or the default. */
    private static long setting(String name, long defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : Long.parseLong(value.strip());
    }

    private void run(String mode) throws Exception {
        sim.start();
        aceSim.start();
        describe(mode);
        if (only.contains("raw")) {
            for (int threads : List.of(MAX_CONCURRENT, 2 * MAX_CONCURRENT, 4 * MAX_CONCURRENT)) {
                attempt("raw limit, " + threads + " threads", () -> raw(threads));
            }
        }
        for (int n : sizes) {
            if (only.contains("taskpoller")) {
                attempt("taskpoller, " + n + " in flight", () -> pollTaskpoller(POLL, n));
            }
            if (only.contains("loop")) {
                attempt("Camel loop, " + n + " in flight", () -> pollCamelLoop(POLL, n));
            }
        }
        if (only.contains("latency")) {
            String what = latencyTasks + " in flight, every " + LATENCY.intervalMs + " ms";
            attempt("latency: taskpoller, " + what, () -> pollTaskpoller(LATENCY, latencyTasks));
            attempt("latency: Camel loop, " + what, () -> pollCamelLoop(LATENCY, latencyTasks));
        }
        if (only.contains("burst")) {
            for (int n : burstSizes) {
                attempt("finish burst: taskpoller, " + n + " done at the same poll", () -> pollTaskpoller(BURST, n));
            }
        }
        if (only.contains("acedata")) {
            attempt("AceData batches: taskpoller, " + aceDataTasks + " in flight, every " + ACEDATA.intervalMs + " ms",
                    () -> pollTaskpoller(ACEDATA, aceDataTasks));
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
        aceSim.close();
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
                + "; N tasks answer pending until all N are being polled, then a window of at least " + windowSeconds
                + " s measures polls/s, CPU and lateness; then each task completes at its "
                + POLLS_TO_FINISH + "th next poll (finished/s, done→event)");
        results.about.put("latency", latencyTasks + " tasks, interval " + LATENCY.intervalMs
                + " ms (below saturation), otherwise as above; after the window the provider finishes the tasks one"
                + " after another over " + LATENCY.releaseIntervals + " intervals, each one's next poll answers"
                + " completed (finish→event)");
        results.about.put("finish burst", burstSizes + " AceData tasks, interval " + BURST.intervalMs + " ms, batch calls of "
                + BURST_BATCH + " ids (batch-window " + BURST.intervalMs + " ms), after a warm-up burst of " + BURST_WARM_UP + " other tasks (not counted), then every one completes at its next poll; events/s from the first event to the last (record timestamps, read read_committed),"
                + " and a plain producer (acks=all, linger 5 ms, no transactions) writing as many event-sized records"
                + " to the same broker just after");
        results.about.put("AceData batches", aceDataTasks + " AceData tasks, interval " + ACEDATA.intervalMs
                + " ms, the packaged batch-size and batch-window (retrieve_batch calls); tasks/call = task polls ÷ "
                + "HTTP calls in the window; then the provider finishes every task at once");
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
        SimMeter meter = new SimMeter(sim);
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

    private void pollTaskpoller(Workload workload, int n) throws Exception {
        Map<String, Object> row = row("taskpoller", workload.name, n);
        row.put("interval_ms", workload.intervalMs);
        if (workload.againstRaw) {
            adjacentRawLimit(row);
        }
        ProviderSimulator simulator = simulatorFor(workload);
        long interval = workload.intervalMs;
        TaskGroup group = new TaskGroup(workload.provider, tag(), n, interval).addPending(simulator);
        Map<String, String> settings = new HashMap<>(simulator.endpointProperties());
        settings.putAll(Map.of(
                "taskpoller.poll.initial-delay", interval + "ms",
                "taskpoller.poll.interval", interval + "ms",
                "taskpoller.poll.max-interval", interval + "ms"));
        settings.putAll(workload.settings);
        String name = "taskpoller-" + workload.key + "-" + n;
        TaskpollerProcess taskpoller = new TaskpollerProcess(work.resolve(name), sim, settings);
        JvmProcess process = taskpoller.start(name, "1g");
        // a burst is measured on an instance that has published before, as one in service has: other tasks finish
        // first, their events not counted (the JIT, the broker's transaction paths, the producer's connections)
        TaskGroup warm = workload == BURST ? new TaskGroup(workload.provider, tag(), BURST_WARM_UP, interval)
                .addPending(simulator) : null;
        int accepting = n + (warm == null ? 0 : warm.size);
        try (BenchKafka kafka = new BenchKafka(taskpoller.bootstrap())) {
            long start = System.nanoTime();
            kafka.sendRequests(TaskpollerProcess.REQUESTS, group);
            if (warm != null) {
                kafka.sendRequests(TaskpollerProcess.REQUESTS, warm);
            }
            awaitFor(process, () -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) >= accepting, fillTimeoutSeconds,
                    "all accepted", () -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) + " of " + accepting);
            row.put("accepted_per_s", accepting / seconds(start));
            if (warm != null) {
                awaitFor(process, () -> warm.polledOnce() >= warm.size, fillTimeoutSeconds, "warm-up tasks polled");
                warm.release(simulator, 1, 0);
                int warmEvents = kafka.events(TaskpollerProcess.COMPLETED, warm, Duration.ofMinutes(2)).size();
                if (warmEvents < warm.size) {
                    results.notes.add("finish burst at " + n + ": only " + warmEvents + " of the warm-up's events came");
                }
            }
            measurePolling(row, workload, group, simulator, process, () -> {
                Map<Integer, Long> events = kafka.events(TaskpollerProcess.COMPLETED, group, finishTimeout(workload, n));
                long[] micros = new long[n];
                events.forEach((index, millis) -> micros[index] = millis * 1000);
                if (workload == BURST) {
                    // taskpoller is idle now: its broker takes the same number of records from a plain producer
                    int bytes = (int) Math.round(kafka.averageEventBytes());
                    row.put("event_bytes", bytes);
                    row.put("plain_per_s", kafka.plainProducerRate("bench.burst-reference-" + group.tag,
                            TaskpollerProcess.PARTITIONS, events.size(), bytes));
                }
                return micros;
            });
        } finally {
            process.close();
        }
    }

    private void pollCamelLoop(Workload workload, int n) throws Exception {
        Map<String, Object> row = row("hand-written Camel loop", workload.name, n);
        row.put("interval_ms", workload.intervalMs);
        if (workload.againstRaw) {
            adjacentRawLimit(row);
        }
        TaskGroup group = new TaskGroup(tag(), n, workload.intervalMs).addPending(sim);
        String name = "loop-" + workload.key + "-" + n;
        Path events = work.resolve(name + "-events.txt");
        JvmProcess process = JvmProcess.start(name, work, List.of("-Xmx1g"),
                testClassPath(), CamelLoop.class.getName(), List.of(sim.baseUrl(), sim.apiKey(), group.tag,
                        String.valueOf(n), String.valueOf(workload.intervalMs), events.toString()));
        try {
            measurePolling(row, workload, group, sim, process, () -> {
                awaitFor(process, () -> process.logContains("LOOP done"), finishTimeout(workload, n).toSeconds(),
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

    private ProviderSimulator simulatorFor(Workload workload) {
        return workload.provider.equals(TaskGroup.ACEDATA) ? aceSim : sim;
    }

    private interface Events {
        /** Per task index, when its event was out (wall clock µs), 0 when it never came. */
        long[] await() throws Exception;
    }

    /**
     * Once every task is being polled and a warm-up passed: the window (task polls and HTTP calls per s, the system's
     * CPU, lateness), the live heap, then the release and the events (finished/s when released at once, provider's
     * terminal answer → event, and where a task finished at its release, finish → event).
     */
    private void measurePolling(Map<String, Object> row, Workload workload, TaskGroup group,
            ProviderSimulator simulator, JvmProcess process, Events events) throws Exception {
        int n = group.size;
        awaitFor(process, () -> group.polledOnce() >= n, fillTimeoutSeconds, "every task polled once",
                () -> group.polledOnce() + " of " + n);
        // warmed up (JIT) for at least one interval; measured over at least two, so that every task is polled in it
        // and a batch provider's clumps of calls at the window's edges weigh little
        // BENCH_WARMUP_MS: how long at least (default 2 s); the JIT needs tens of seconds under full load on 2 cores
        Thread.sleep(Math.max(Long.parseLong(System.getenv().getOrDefault("BENCH_WARMUP_MS", "2000")), workload.intervalMs));
        long window = Math.max(windowSeconds, (2 * workload.intervalMs + 999) / 1000);
        group.measureLateness(true);
        SimMeter meter = new SimMeter(simulator);
        long taskPollsBefore = group.polls();
        double cpu = process.cpuSeconds();
        Thread.sleep(window * 1000L);
        long taskPolls = group.polls() - taskPollsBefore;
        long calls = meter.requests();
        double seconds = meter.seconds();
        double cpuSpent = process.cpuSeconds() - cpu;
        meter.into(row);
        group.measureLateness(false);
        double polls = taskPolls / seconds;
        row.put("polls_per_s", polls);
        row.put("calls_per_s", calls / seconds);
        row.put("tasks_per_call", calls == 0 ? null : (double) taskPolls / calls);
        row.put("cpu_s_per_1k_polls", cpuSpent / taskPolls * 1000);
        row.put("lateness_p50_ms", group.lateness.percentileMillis(50));
        row.put("lateness_p99_ms", group.lateness.percentileMillis(99));
        row.put("live_heap_mb", process.liveHeapMb());

        long released = TaskGroup.nowMicros();
        double cpuAtRelease = process.cpuSeconds();
        group.release(simulator, workload.pollsToFinish, workload.releaseSpreadMs());
        long[] eventAt = events.await();
        double cpuToEvents = process.cpuSeconds() - cpuAtRelease;
        LatencyHistogram doneToEvent = new LatencyHistogram();
        LatencyHistogram finishToEvent = new LatencyHistogram();
        long first = Long.MAX_VALUE;
        long last = 0;
        int ended = 0;
        for (int i = 0; i < n; i++) {
            if (eventAt[i] != 0) {
                ended++;
                first = Math.min(first, eventAt[i]);
                last = Math.max(last, eventAt[i]);
                if (group.terminalAt(i) != 0) {
                    doneToEvent.record(eventAt[i] - group.terminalAt(i));
                }
                finishToEvent.record(eventAt[i] - group.releasedAt(i));
            }
        }
        if (ended < n) {
            results.notes.add(row.get("system") + ", " + workload.name + " at " + n + ": only " + ended
                    + " events came");
        }
        if (workload.releaseIntervals == 0) {
            row.put("finished_per_s", ended / ((last - released) / 1e6));
            if (ended > 1 && last > first) {
                row.put("events_per_s", (ended - 1) / ((last - first) / 1e6));
            }
            // the answers' status calls, mapping and publishing together, until the last event was read
            row.put("cpu_ms_per_event", cpuToEvents * 1000 / Math.max(1, ended));
        }
        if (row.get("plain_per_s") instanceof Double plain && row.get("events_per_s") instanceof Double perSecond) {
            row.put("events_vs_plain", perSecond / plain);
        }
        row.put("event_p50_ms", doneToEvent.percentileMillis(50));
        row.put("event_p99_ms", doneToEvent.percentileMillis(99));
        if (workload.pollsToFinish == 1) {
            row.put("finish_event_p50_ms", finishToEvent.percentileMillis(50));
            row.put("finish_event_p99_ms", finishToEvent.percentileMillis(99));
        }
        if (row.get("raw_per_s") instanceof Double raw && row.get("finished_per_s") != null) {
            row.put("polls_vs_raw", polls / raw);
            row.put("finished_vs_raw", (Double) row.get("finished_per_s") / (raw / workload.pollsToFinish));
        }
        figures(row, process);
        results.throughput.add(row);
        System.out.printf("   %.0f polls/s (%.1f tasks/call), %s finished/s, %s events/s first→last (plain producer %s), lateness p50 %s / p99 %s ms, "
                + "done→event p99 %s ms, finish→event p50 %s / p99 %s ms%n", polls, row.get("tasks_per_call"),
                row.get("finished_per_s") instanceof Double f ? String.format("%.0f", f) : "–",
                row.get("events_per_s") instanceof Double e ? String.format("%.0f", e) : "–",
                row.get("plain_per_s") instanceof Double pl ? String.format("%.0f", pl) : "–", row.get("lateness_p50_ms"), row.get("lateness_p99_ms"),
                row.get("event_p99_ms"), row.getOrDefault("finish_event_p50_ms", "–"),
                row.getOrDefault("finish_event_p99_ms", "–"));
    }

    /** Time for every task's remaining polls at 500 tasks' polls per s, at least a minute, at most the step cap. */
    private Duration finishTimeout(Workload workload, int n) {
        long seconds = 60 + (workload.releaseSpreadMs() + workload.intervalMs * workload.pollsToFinish) / 1000
                + (long) n * workload.pollsToFinish / 500;
        return Duration.ofSeconds(Math.min(STEP_CAP_SECONDS, seconds));
    }

    // ---------------------------------------------------------------- taskpoller alone

    /** Idle tasks (first poll an hour away): the time from the file's drop / the first send until all are in flight. */
    private void accept(int n) throws Exception {
        TaskpollerProcess taskpoller = new TaskpollerProcess(work.resolve("accept"), sim,
                Map.of("taskpoller.poll.initial-delay", "1h", "taskpoller.poll.interval", "30s"));
        JvmProcess process = taskpoller.start("taskpoller-accept", "1g");
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
                    fillTimeoutSeconds, "the file accepted",
                    () -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) + " of " + n + " in flight");
            Map<String, Object> file = row("taskpoller", "accept: one inbox file", n);
            file.put("accepted_per_s", n / seconds(start));

            TaskGroup fromTopic = new TaskGroup(tag(), n, INTERVAL_MS);
            start = System.nanoTime();
            kafka.sendRequests(TaskpollerProcess.REQUESTS, fromTopic);
            awaitFor(() -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) >= 2L * n, fillTimeoutSeconds,
                    "the topic's requests accepted",
                    () -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) - n + " of " + n + " in flight");
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
        JvmProcess process = taskpoller.start("taskpoller-memory-" + n, heap);
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
                        fillTimeoutSeconds, "all accepted", () -> reached[0] + " of " + n);
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
        JvmProcess first = taskpoller.start("taskpoller-restart", "1g");
        try (BenchKafka kafka = new BenchKafka(taskpoller.bootstrap())) {
            kafka.sendRequests(TaskpollerProcess.REQUESTS, group);
            awaitFor(first, () -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) >= n, fillTimeoutSeconds, "all accepted",
                    () -> kafka.endOffsets(TaskpollerProcess.INFLIGHT) + " of " + n);
        }
        awaitFor(first, () -> group.polledOnce() >= n, fillTimeoutSeconds, "every task polled once",
                () -> group.polledOnce() + " of " + n);
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

    private static void awaitFor(Check done, long timeoutSeconds, String what, Reached reached) throws Exception {
        awaitFor(null, done, timeoutSeconds, what, reached);
    }

    private static void awaitFor(JvmProcess system, Check done, long timeoutSeconds, String what) throws Exception {
        awaitFor(system, done, timeoutSeconds, what, null);
    }

    /** Fails at once when the system's JVM has ended; a timeout says what was reached by then. */
    private static void awaitFor(JvmProcess system, Check done, long timeoutSeconds, String what, Reached reached)
            throws Exception {
        long until = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!done.check()) {
            if (system != null && !system.isAlive()) {
                throw new IllegalStateException(system.name + " ended while waiting for " + what + "; see "
                        + system.log());
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s waiting for " + what
                        + (reached == null ? "" : " (reached " + reached.describe() + ")"));
            }
            Thread.sleep(50);
        }
    }

    private interface Check {
        boolean check() throws Exception;
    }

    private interface Reached {
        String describe() throws Exception;
    }

    /**
     * A simulator's requests and this JVM's CPU (the simulators', plus the harness's own small share) since made.
     */
    private static final class SimMeter {
        private final ProviderSimulator sim;
        private final long startNanos = System.nanoTime();
        private final long startCpu = OS.getProcessCpuTime();
        private final int startRequests;

        SimMeter(ProviderSimulator sim) {
            this.sim = sim;
            this.startRequests = sim.requestCount();
        }

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
