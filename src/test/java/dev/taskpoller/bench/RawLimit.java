package dev.taskpoller.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * The raw limit: the most Scan Documents status calls per second a keep-alive Apache HttpClient 5 client (the one
 * camel-http uses) gets from the simulator with {@code threads} threads, each calling in a loop over the group's
 * task ids and reading every body, with no polling logic at all. Prints one line: {@code RAW <calls> <seconds>
 * <cpu-seconds>} (this process's CPU time over the measured seconds).
 * Started by {@link Compare} in a JVM of its own.
 *
 * <p>Arguments: base-url api-key tag tasks threads warm-up-seconds seconds
 */
public final class RawLimit {

    private RawLimit() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        String apiKey = args[1];
        TaskGroup group = new TaskGroup(args[2], Integer.parseInt(args[3]), 0);
        int threads = Integer.parseInt(args[4]);
        long warmUpMillis = Long.parseLong(args[5]) * 1000;
        long measureMillis = Long.parseLong(args[6]) * 1000;
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(threads).setMaxConnPerRoute(threads).build();
        LongAdder calls = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(connections)
                .disableAutomaticRetries().build()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                Thread worker = new Thread(() -> {
                    for (int i = first; running.get(); i = (i + threads) % group.size) {
                        HttpGet get = new HttpGet(baseUrl + "/v1/tasks/" + group.id(i));
                        get.setHeader("x-api-key", apiKey);
                        try {
                            client.execute(get, response -> EntityUtils.toString(response.getEntity()));
                        } catch (Exception e) {
                            System.out.println("RAW error " + e);
                            continue;
                        }
                        if (counting.get()) {
                            calls.increment();
                        }
                    }
                }, "raw-" + t);
                worker.start();
                workers.add(worker);
            }
            Thread.sleep(warmUpMillis);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            counting.set(true);
            long start = System.nanoTime();
            Thread.sleep(measureMillis);
            counting.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
            running.set(false);
            for (Thread worker : workers) {
                worker.join();
            }
            System.out.println("RAW " + calls.sum() + " " + seconds + " " + cpuSeconds);
        }
        // stays up until the harness has read its figures and stops it
        Thread.currentThread().join();
    }
}
