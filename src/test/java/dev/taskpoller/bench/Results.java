package dev.taskpoller.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The measured rows, three tables of them, printed as Markdown and written as JSON. */
final class Results {

    /** Column key → heading, per table. */
    static final Map<String, String> THROUGHPUT = columns(
            "system", "system", "workload", "workload", "n", "N", "interval_ms", "interval ms",
            "accepted_per_s", "accepted/s", "polls_per_s", "polls/s", "calls_per_s", "calls/s",
            "tasks_per_call", "tasks/call", "finished_per_s", "finished/s",
            "events_per_s", "events/s first→last", "cpu_ms_per_event", "CPU ms/event", "event_bytes", "event bytes", "plain_per_s", "plain producer/s",
            "events_vs_plain", "events ÷ plain",
            "cpu_s_per_1k_polls", "CPU s/1k polls", "peak_heap_after_gc_mb", "heap after GC MB",
            "peak_rss_mb", "RSS MB", "threads", "threads",
            "lateness_p50_ms", "late p50 ms", "lateness_p99_ms", "late p99 ms",
            "event_p50_ms", "done→event p50 ms", "event_p99_ms", "done→event p99 ms",
            "finish_event_p50_ms", "finish→event p50 ms", "finish_event_p99_ms", "finish→event p99 ms",
            "live_heap_mb", "live heap MB", "raw_per_s", "raw/s (then)", "polls_vs_raw", "polls ÷ raw", "finished_vs_raw", "finished ÷ raw/k", "sim_cpu_cores", "sim CPU cores",
            "sim_cpu_s_per_1k", "sim CPU s/1k");
    static final Map<String, String> MEMORY = columns(
            "n", "N in flight", "xmx", "-Xmx", "reached", "reached", "accepted_per_s", "accepted/s",
            "baseline_heap_mb", "live heap empty MB", "live_heap_mb", "live heap MB", "bytes_per_task", "bytes/task",
            "peak_heap_after_gc_mb", "heap after GC MB", "unforced_full_gcs", "full GCs", "peak_rss_mb", "RSS MB",
            "threads", "threads");
    static final Map<String, String> RESTART = columns(
            "n", "N in flight", "interval_s", "interval s", "broker_ready_s", "launch→broker ready s", "started_s", "launch→started s",
            "rebuilt_s", "launch→rebuilt s", "all_polled_s", "launch→all polled s",
            "first_poll_p0_s", "1st poll min s", "first_poll_p50_s", "1st poll p50 s",
            "first_poll_p99_s", "1st poll p99 s", "first_poll_max_s", "1st poll max s",
            "peak_rss_mb", "RSS MB", "threads", "threads");

    final Map<String, Object> about = new LinkedHashMap<>();
    final List<Map<String, Object>> throughput = new ArrayList<>();
    final List<Map<String, Object>> memory = new ArrayList<>();
    final List<Map<String, Object>> restart = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    String markdown() {
        StringBuilder out = new StringBuilder();
        about.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
        out.append("\n### Throughput and latency\n\n").append(table(THROUGHPUT, throughput));
        out.append("\n### Memory (idle tasks in flight, after a forced full GC)\n\n").append(table(MEMORY, memory));
        out.append("\n### Restart (kill -9 with N in flight, then the same configuration again)\n\n")
                .append(table(RESTART, restart));
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(note -> out.append("- ").append(note).append('\n'));
        }
        return out.toString();
    }

    void write(Path json, Path md) throws IOException {
        Files.createDirectories(json.getParent());
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("about", about);
        all.put("throughput", throughput);
        all.put("memory", memory);
        all.put("restart", restart);
        all.put("notes", notes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), all);
        Files.writeString(md, markdown());
    }

    private static String table(Map<String, String> columns, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "(not run)\n";
        }
        StringBuilder out = new StringBuilder("|");
        columns.values().forEach(heading -> out.append(' ').append(heading).append(" |"));
        out.append("\n|");
        columns.values().forEach(heading -> out.append("---|"));
        out.append('\n');
        for (Map<String, Object> row : rows) {
            out.append('|');
            columns.keySet().forEach(key -> out.append(' ').append(format(row.get(key))).append(" |"));
            out.append('\n');
        }
        return out.toString();
    }

    private static String format(Object value) {
        if (value == null) {
            return "–";
        }
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return "–";
            }
            double abs = Math.abs(d);
            return abs >= 100 ? String.format(Locale.ROOT, "%,.0f", d)
                    : abs >= 10 ? String.format(Locale.ROOT, "%.1f", d) : String.format(Locale.ROOT, "%.2f", d);
        }
        if (value instanceof Integer || value instanceof Long) {
            return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
        }
        return value.toString();
    }

    private static Map<String, String> columns(String... keysAndHeadings) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < keysAndHeadings.length; i += 2) {
            columns.put(keysAndHeadings[i], keysAndHeadings[i + 1]);
        }
        return columns;
    }
}
