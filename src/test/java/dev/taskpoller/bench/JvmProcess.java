package dev.taskpoller.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One measured system in a JVM of its own, and what Linux and the JVM tell about it from outside: process CPU time
 * (/proc/&lt;pid&gt;/stat), peak RSS (VmHWM), threads (sampled every 200 ms, the peak kept), the heap after each GC
 * (its -Xlog:gc file) and the live heap after a forced full GC (jcmd).
 */
final class JvmProcess implements AutoCloseable {

    private static final Pattern HEAP_AFTER_GC = Pattern.compile("\\d+M->(\\d+)M\\(\\d+M\\)");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    final String name;
    private final Path dir;
    private final Process process;
    private final Path gcLog;
    private final AtomicInteger peakThreads = new AtomicInteger();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private long lastPeakRssKb;

    private JvmProcess(String name, Path dir, Process process, Path gcLog) {
        this.name = name;
        this.dir = dir;
        this.process = process;
        this.gcLog = gcLog;
        sampler.scheduleAtFixedRate(() -> peakThreads.accumulateAndGet(threads(), Math::max), 0, 200,
                TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    /** Starts {@code mainClass} with these JVM options; its output goes to {@code <dir>/<name>.log}. */
    static JvmProcess start(String name, Path dir, List<String> jvmOptions, String classPath, String mainClass,
            List<String> args) throws IOException {
        Files.createDirectories(dir);
        Path gcLog = dir.resolve(name + "-gc.log");
        Files.deleteIfExists(gcLog);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.add("-Xlog:gc:file=" + gcLog);
        // e.g. a JFR recording of each system: -XX:StartFlightRecording=filename={name}.jfr,settings=profile
        String extra = System.getenv().getOrDefault("BENCH_SYSTEM_JAVA_OPTS", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.replace("{name}", name).split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(args);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        return new JvmProcess(name, dir, process, gcLog);
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Path log() {
        return dir.resolve(name + ".log");
    }

    boolean logContains(String text) {
        try {
            return Files.exists(log()) && Files.readString(log()).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** User plus system CPU time of the whole process so far, in seconds. */
    double cpuSeconds() {
        String stat = read("/proc/" + pid() + "/stat");
        if (stat == null) {
            return Double.NaN;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command name: state is field 3, utime 14 and stime 15 (1-based, as in proc(5))
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Peak resident set size so far (VmHWM), in MB. */
    double peakRssMb() {
        long kb = statusField("VmHWM");
        if (kb > 0) {
            lastPeakRssKb = kb;
        }
        return lastPeakRssKb / 1024.0;
    }

    int peakThreads() {
        return peakThreads.get();
    }

    private int threads() {
        return (int) statusField("Threads");
    }

    private long statusField(String field) {
        String status = read("/proc/" + pid() + "/status");
        if (status == null) {
            return -1;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /** The largest heap left after any GC so far (its GC log), in MB; null before the first GC. */
    Double peakHeapAfterGcMb() {
        try {
            if (!Files.exists(gcLog)) {
                return null;
            }
            Matcher m = HEAP_AFTER_GC.matcher(Files.readString(gcLog));
            Double peak = null;
            while (m.find()) {
                double after = Double.parseDouble(m.group(1));
                peak = peak == null ? after : Math.max(peak, after);
            }
            return peak;
        } catch (IOException e) {
            return null;
        }
    }

    /** How many full GC pauses the GC log shows, forced ones (System.gc(), jcmd) left out. */
    int unforcedFullGcs() {
        try {
            return Files.exists(gcLog) ? (int) Files.readAllLines(gcLog).stream()
                    .filter(line -> line.contains("Pause Full") && !line.contains("System.gc()") && !line.contains("Diagnostic Command")).count() : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    /** A full GC now (jcmd GC.run), then the heap in use after it (jcmd GC.heap_info), in MB. */
    double liveHeapMb() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd GC.heap_info");
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid()), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, nothing flushed. */
    void kill() throws InterruptedException {
        peakRssMb();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        sampler.shutdownNow();
    }

    boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** SIGTERM, then kill -9 after 20 s. Read the figures first: /proc forgets the process. */
    @Override
    public void close() throws InterruptedException {
        peakRssMb();
        sampler.shutdownNow();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return null;
        }
    }
}
