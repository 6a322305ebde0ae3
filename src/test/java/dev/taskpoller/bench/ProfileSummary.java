package dev.taskpoller.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording of a measured system spent its CPU and its allocation on: from the execution samples
 * ({@code jdk.ExecutionSample}) and the allocation samples ({@code jdk.ObjectAllocationSample}, weighted by the
 * bytes each stands for), the share of samples with a frame of taskpoller, Camel, Apache HttpClient, Jackson or Kafka
 * anywhere on the stack (inclusive: one sample can count for several), the top frames (self time: the frame on top
 * of the stack; and the top frame outside the JDK, which names the library that called into it), and the busiest
 * threads. Only the JDK's own API, so it runs as a single source file: {@code bench/profile-summary.sh FILE.jfr [top]}.
 */
public final class ProfileSummary {

    /** Label → class-name prefixes, in the order printed. */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("taskpoller", List.of("dev.taskpoller."));
        PARTS.put("Camel", List.of("org.apache.camel."));
        PARTS.put("HttpClient", List.of("org.apache.hc."));
        PARTS.put("Jackson", List.of("com.fasterxml.jackson."));
        PARTS.put("Kafka", List.of("org.apache.kafka.", "kafka."));
    }

    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: bench/profile-summary.sh FILE.jfr [top frames, default 20]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Tally cpu = new Tally("CPU (jdk.ExecutionSample)", "samples");
        Tally allocation = new Tally("allocation (jdk.ObjectAllocationSample, weighted by bytes)", "MB");
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    cpu.add(event.getStackTrace(), event.getThread("sampledThread"), null, 1);
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    String objectClass = event.getClass("objectClass") == null ? "?" : event.getClass("objectClass").getName();
                    allocation.add(event.getStackTrace(), event.getThread("eventThread"), objectClass,
                            event.getLong("weight") / (double) (1 << 20));
                }
            }
        }
        System.out.println("# " + args[0]);
        cpu.print(top);
        allocation.print(top);
    }

    /** Weights (samples, or bytes) per part, frame and thread. */
    private static final class Tally {
        private final String title;
        private final String unit;
        private double total;
        private long events;
        private long truncated;
        private final Map<String, Double> inclusive = new HashMap<>();
        private final Map<String, Double> self = new HashMap<>();
        private final Map<String, Double> selfOutsideJdk = new HashMap<>();
        private final Map<String, Double> threads = new HashMap<>();

        Tally(String title, String unit) {
            this.title = title;
            this.unit = unit;
        }

        /** {@code detail}: the allocated class, added to the top frame's name; null for CPU samples. */
        void add(RecordedStackTrace stack, RecordedThread thread, String detail, double weight) {
            events++;
            total += weight;
            threads.merge(threadName(thread), weight, Double::sum);
            if (stack == null || stack.getFrames().isEmpty()) {
                self.merge("(no stack)", weight, Double::sum);
                return;
            }
            if (stack.isTruncated()) {
                truncated++;
            }
            List<RecordedFrame> frames = stack.getFrames();
            String suffix = detail == null ? "" : "  [" + detail + "]";
            self.merge(method(frames.get(0)) + suffix, weight, Double::sum);
            for (RecordedFrame frame : frames) {
                if (!isJdk(frame)) {
                    selfOutsideJdk.merge(method(frame) + suffix, weight, Double::sum);
                    break;
                }
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String type = typeName(frame);
                PARTS.forEach((part, prefixes) -> {
                    if (prefixes.stream().anyMatch(type::startsWith)) {
                        seen.add(part);
                    }
                });
            }
            seen.forEach(part -> inclusive.merge(part, weight, Double::sum));
        }

        void print(int top) {
            System.out.printf(Locale.ROOT, "%n## %s: %,d samples%s%n", title, events,
                    unit.equals("samples") ? "" : String.format(Locale.ROOT, ", %,.1f %s", total, unit));
            if (events == 0) {
                System.out.println("(none in this recording: record with settings=profile)");
                return;
            }
            if (truncated > 0) {
                System.out.printf(Locale.ROOT, "%.1f %% of the stacks were cut at JFR's stack depth: inclusive shares"
                        + " are a lower bound (-XX:FlightRecorderOptions:stackdepth=256 keeps more)%n",
                        100.0 * truncated / events);
            }
            System.out.println("\ninclusive share (a frame of it anywhere on the stack):");
            PARTS.keySet().forEach(part -> System.out.printf(Locale.ROOT, "  %6.1f %%  %s%n",
                    percent(inclusive.getOrDefault(part, 0.0)), part));
            section("top frames, self (the frame on top of the stack):", self, top);
            section("top frames outside the JDK (the first frame from the top not in java.*, jdk.*, sun.*):",
                    selfOutsideJdk, top);
            section("threads (digits as #):", threads, Math.min(top, 10));
        }

        private void section(String heading, Map<String, Double> weights, int top) {
            System.out.println("\n" + heading);
            weights.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                    .forEach(entry -> System.out.printf(Locale.ROOT, "  %6.1f %%  %s%n", percent(entry.getValue()),
                            entry.getKey()));
        }

        private double percent(double weight) {
            return 100 * weight / total;
        }
    }

    private static String typeName(RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : frame.getMethod().getType().getName();
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : typeName(frame) + "." + frame.getMethod().getName();
    }

    private static boolean isJdk(RecordedFrame frame) {
        String type = typeName(frame);
        return JDK.stream().anyMatch(type::startsWith);
    }

    /** Thread names with their numbers folded, so that a pool's threads add up (e.g. "Camel (camel-#) thread #"). */
    private static String threadName(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }
}
