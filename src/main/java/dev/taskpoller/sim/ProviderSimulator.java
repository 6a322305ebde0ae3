package dev.taskpoller.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's status API on loopback, behaving as its documentation says. This base class owns the HTTP server,
 * the known tasks, forced faults, the rate limit and the request counters; a subclass knows its provider's paths,
 * credential header, task and error bodies. The simulators of the seed providers are services
 * ({@code META-INF/services/dev.taskpoller.sim.ProviderSimulator}), so that the demo and the benchmarks find each
 * without naming it.
 */
public abstract class ProviderSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderSimulator.class);

    static {
        // without TCP_NODELAY the JDK server's small writes meet the client's delayed ACK: ~40 ms per call
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Map<String, SimulatedTask> tasks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger peakInProgress = new AtomicInteger();
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile int outageStatus;
    private final AtomicInteger rateLimited = new AtomicInteger();
    /** When each request arrived (nanoTime), for the peak rate; the oldest are dropped beyond a bound. */
    private final ConcurrentLinkedDeque<Long> arrivals = new ConcurrentLinkedDeque<>();
    private static final int MAX_ARRIVALS_KEPT = 100_000;
    private volatile String apiKey = "sim-key";
    private volatile RateLimit rateLimit = RateLimit.UNLIMITED;
    private volatile int autoPolls;
    private volatile boolean logPolls;
    private final ConcurrentLinkedQueue<Poll> pollLog = new ConcurrentLinkedQueue<>();
    /** The task ids the request being answered on this thread asked about (only while polls are logged). */
    private static final ThreadLocal<List<String>> ASKED = new ThreadLocal<>();
    private HttpServer server;
    private ExecutorService executor;

    /** The provider name this simulator stands in for, e.g. {@code scan-documents}. */
    public abstract String provider();

    /** Answers one authorised, admitted request (no fault pending). */
    protected abstract SimResponse answer(SimRequest request);

    /** The credential the request carries, read from this provider's auth header. */
    protected abstract String credentialOf(SimRequest request);

    /** The provider's documented error body for this status (401, 404, 422, 429, 500 ...). */
    protected abstract SimResponse error(int status, String message);

    /** Adds the provider's rate-limit headers to any answer; by default none. */
    protected SimResponse withRateLimitHeaders(SimResponse response, RateLimit limit, Duration retryAfter) {
        return retryAfter == null ? response : response.withHeader("Retry-After", String.valueOf(seconds(retryAfter)));
    }

    public synchronized ProviderSimulator start() {
        return start(0);
    }

    public synchronized ProviderSimulator start(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the " + provider() + " simulator: " + e.getMessage(), e);
        }
        // as many requests at once as a client sends: the peak a test reads is the client's, not this pool's
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "sim-" + provider());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("{} simulator listening on {}", provider(), baseUrl());
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String apiKey() {
        return apiKey;
    }

    /** The configuration that points taskpoller at this simulator: its provider's base-url and api-key. */
    public Map<String, String> endpointProperties() {
        return Map.of("taskpoller.provider." + provider() + ".base-url", baseUrl(),
                "taskpoller.provider." + provider() + ".api-key", apiKey);
    }

    /**
     * A fresh id of this provider's form, for demos and benchmarks: a random version-4 UUID (the form most providers
     * use; Closient insists on it) unless the provider's ids look otherwise.
     */
    public String newTaskId(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** What a demo of this provider sets beyond its endpoint, so that each way a task ends shows in minutes; none by default. */
    public Map<String, String> demoProperties() {
        return Map.of();
    }

    public ProviderSimulator apiKey(String key) {
        this.apiKey = key;
        return this;
    }

    public ProviderSimulator rateLimit(RateLimit limit) {
        this.rateLimit = limit;
        return this;
    }

    /**
     * Makes unknown well-formed ids behave as tasks that end after {@code polls} polls (ids whose hash is divisible
     * by 5 fail), for demos and benchmarks; 0 (the default) keeps the provider's own unknown-id behaviour.
     */
    public ProviderSimulator autoCreateTasks(int polls) {
        this.autoPolls = polls;
        return this;
    }

    /**
     * One task's status read: who asked (the request's {@code User-Agent}, which names the taskpoller instance) and
     * when ({@link System#nanoTime()} at the request's arrival and once its answer was sent).
     */
    public record Poll(String taskId, String caller, long arrivedNanos, long answeredNanos) {
    }

    /** From now on every status read is kept, for {@link #pollLog()} (off by default: benchmarks make millions). */
    public ProviderSimulator logPolls() {
        this.logPolls = true;
        return this;
    }

    /** Every status read since {@link #logPolls()}, in the order their answers were sent. */
    public List<Poll> pollLog() {
        return List.copyOf(pollLog);
    }

    public SimulatedTask addTask(SimulatedTask task) {
        tasks.put(task.id(), task);
        return task;
    }

    /** The next request is answered with this fault, whatever it asks. */
    public ProviderSimulator injectFault(Fault fault) {
        faults.add(fault);
        return this;
    }

    /** Every answer is sent this much later, as a provider under load does (a client's timeout may come first). */
    public ProviderSimulator answerDelay(Duration delay) {
        this.answerDelay = delay;
        return this;
    }

    /** Every request is answered with this status (its documented error body) until {@link #endOutage()}. */
    public ProviderSimulator outage(int status) {
        this.outageStatus = status;
        return this;
    }

    public ProviderSimulator endOutage() {
        this.outageStatus = 0;
        return this;
    }

    /** The requests this simulator is answering now. */
    public int concurrentRequests() {
        return inProgress.get();
    }

    /** The most requests this simulator was answering at one time. */
    public int peakConcurrentRequests() {
        return peakInProgress.get();
    }

    public int requestCount() {
        return requests.get();
    }

    /** How many requests this simulator refused with 429 because its rate limit was spent (injected faults aside). */
    public int rateLimitedCount() {
        return rateLimited.get();
    }

    /** The rate limit in force, e.g. to read its {@link RateLimit#peak()}. */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** The most requests that arrived within any span of {@code window} (a sliding window over every request). */
    public int peakRequests(Duration window) {
        long[] times = arrivals.stream().mapToLong(Long::longValue).sorted().toArray();
        int peak = 0;
        for (int first = 0, last = 0; last < times.length; last++) {
            while (times[last] - times[first] >= window.toNanos()) {
                first++;
            }
            peak = Math.max(peak, last - first + 1);
        }
        return peak;
    }

    /** How many times this task's status was read (a batch call counts once per task in it). */
    public int pollsOf(String taskId) {
        SimulatedTask task = tasks.get(taskId);
        return task == null ? 0 : task.polls();
    }

    /** The known task, or an auto-created one when that is on; null for an unknown id. */
    protected SimulatedTask task(String id) {
        List<String> asked = ASKED.get();
        if (asked != null) {
            asked.add(id);
        }
        SimulatedTask known = tasks.get(id);
        if (known != null || autoPolls <= 0) {
            return known;
        }
        return tasks.computeIfAbsent(id, key -> Math.floorMod(key.hashCode(), 5) == 0
                ? SimulatedTask.failing(key, autoPolls, "simulated failure")
                : SimulatedTask.completing(key, autoPolls));
    }

    protected static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        List<String> asked = logPolls ? new ArrayList<>() : null;
        ASKED.set(asked);
        try {
            serve(exchange);
        } finally {
            ASKED.remove();
        }
        if (asked != null) {
            String caller = exchange.getRequestHeaders().getFirst("User-Agent");
            long answered = System.nanoTime();
            asked.forEach(id -> pollLog.add(new Poll(id, caller, arrived, answered)));
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        peakInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        arrivals.add(System.nanoTime());
        if (requests.get() > MAX_ARRIVALS_KEPT) {
            arrivals.pollFirst();
        }
        try (exchange) {
            SimResponse response;
            try {
                pause(answerDelay);
                response = respond(read(exchange));
            } catch (RuntimeException bug) {
                LOG.warn("{} simulator failed on {}", provider(), exchange.getRequestURI(), bug);
                response = error(500, "simulator error");
            } finally {
                // done before the answer leaves: a client's next request may arrive before this thread moves on
                inProgress.decrementAndGet();
            }
            write(exchange, response);
        }
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SimResponse respond(SimRequest request) {
        Fault fault = faults.poll();
        if (fault != null && fault.status() == Fault.LATE) {
            // the answer is made now and sent late, as over a slow network: its poll counts at arrival
            SimResponse answer = respondNormally(request);
            pause(fault.delay());
            return answer;
        }
        if (fault != null && fault.status() == Fault.CUT) {
            return SimResponse.json(Fault.CUT, null);
        }
        if (fault == null && outageStatus != 0) {
            fault = Fault.status(outageStatus);
        }
        if (fault != null) {
            SimResponse forced = fault.body() == null
                    ? error(fault.status(), "injected " + fault.status())
                    : SimResponse.json(fault.status(), fault.body()).withContentType("text/html");
            return fault.retryAfterSeconds() == null ? forced
                    : withRateLimitHeaders(forced, rateLimit, Duration.ofSeconds(fault.retryAfterSeconds()));
        }
        return respondNormally(request);
    }

    private SimResponse respondNormally(SimRequest request) {
        String credential = credentialOf(request);
        if (credential == null || !credential.equals(apiKey)) {
            return error(401, credential == null ? "missing credentials" : "invalid credentials");
        }
        Optional<Duration> wait = rateLimit.tryAcquire();
        if (wait.isPresent()) {
            rateLimited.incrementAndGet();
            return withRateLimitHeaders(error(429, "rate limit exceeded"), rateLimit, wait.get());
        }
        return withRateLimitHeaders(answer(request), rateLimit, null);
    }

    private static SimRequest read(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), values.isEmpty() ? "" : values.get(0)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new SimRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
    }

    private static void write(HttpExchange exchange, SimResponse response) throws IOException {
        if (response.status() == Fault.CUT) {
            // a length is promised and nothing follows: closing the exchange cuts the connection mid-answer
            exchange.sendResponseHeaders(200, 1_000);
            return;
        }
        byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
