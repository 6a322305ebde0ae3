package dev.taskpoller.sim.closient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.RateLimit;
import dev.taskpoller.sim.SimRequest;
import dev.taskpoller.sim.SimResponse;
import dev.taskpoller.sim.SimulatedTask;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/**
 * Closient's bulk QR poll on loopback: {@code GET /products/api/v1/qr/bulk/{task_id}/} with {@code x-api-key}.
 *
 * <p>Choices where the docs are silent (inferred):
 * <ul>
 *   <li>The path without its trailing slash is a 404 {@code NOT_FOUND} envelope. Django would redirect a browser,
 *       but an API client must not depend on following a redirect that drops the credential header.</li>
 *   <li>An id that is not a lower-case UUID4 is a 422 {@code VALIDATION_ERROR}, checked after the key (as documented,
 *       before any lookup).</li>
 *   <li>An unknown UUID4 is {@code pending} for ever, as a Celery result store answers; only a deadline ends it.</li>
 *   <li>Both quotas are fixed windows, enforced together: a request is refused (and counted in neither) when either
 *       is spent. {@code RateLimit-Limit/Remaining/Reset} describe the quota with the fewest requests left, as the
 *       IETF draft says; {@code RateLimit-Policy} lists both. A 401 carries no rate-limit headers: without a valid
 *       key there is no per-key budget to report.</li>
 * </ul>
 * The clock is injectable so that {@code expires_at} (now + 1 h, ISO-8601 with zone as Python prints it) and the
 * signed URL are exact in tests.
 */
public final class ClosientSimulator extends ProviderSimulator {

    public static final String PROVIDER = "closient-bulk-qr";
    public static final int DEFAULT_PER_MINUTE = 300;
    public static final int DEFAULT_PER_DAY = 10_000;
    public static final int DEFAULT_ITEMS = 2500;
    public static final Duration LINK_LIFETIME = Duration.ofHours(1);

    private static final Pattern PATH = Pattern.compile("/products/api/v1/qr/bulk/([^/]+)(/?)");
    private static final Pattern UUID4 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final DateTimeFormatter PYTHON_ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final Clock clock;
    private volatile int items = DEFAULT_ITEMS;
    private volatile RateLimit perMinute = RateLimit.fixedWindow(DEFAULT_PER_MINUTE, Duration.ofMinutes(1));
    private volatile RateLimit perDay = RateLimit.fixedWindow(DEFAULT_PER_DAY, Duration.ofDays(1));

    public ClosientSimulator() {
        this(Clock.systemUTC());
    }

    public ClosientSimulator(Clock clock) {
        this.clock = clock;
        rateLimit(perMinute);
    }

    /** Replaces the per-minute quota (a test may scale it down, say to 20 a second); the daily quota stays. */
    @Override
    public ClosientSimulator rateLimit(RateLimit minuteQuota) {
        this.perMinute = minuteQuota;
        super.rateLimit(RateLimit.allOf(minuteQuota, perDay));
        return this;
    }

    /** Replaces the daily quota; the per-minute quota stays. */
    public ClosientSimulator dailyLimit(RateLimit dayQuota) {
        this.perDay = dayQuota;
        super.rateLimit(RateLimit.allOf(perMinute, dayQuota));
        return this;
    }

    /** How many QR codes a completed task reports (0..5000). */
    public ClosientSimulator items(int count) {
        this.items = count;
        return this;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** Closient reports an id it never issued as pending for ever: a short deadline shows how such a task ends. */
    @Override
    public Map<String, String> demoProperties() {
        return Map.of("taskpoller.provider." + PROVIDER + ".deadline", "20s");
    }

    @Override
    protected String credentialOf(SimRequest request) {
        return request.header("x-api-key");
    }

    @Override
    protected SimResponse answer(SimRequest request) {
        Matcher path = PATH.matcher(request.path());
        if (!"GET".equals(request.method()) || !path.matches() || path.group(2).isEmpty()) {
            return error(404, "Not found.");
        }
        String id = path.group(1);
        if (!UUID4.matcher(id).matches()) {
            return envelope(422, "VALIDATION_ERROR", "task_id must be a UUID4.",
                    Json.MAPPER.createArrayNode().add(Json.object().put("field", "task_id").put("message", "not a valid UUID4")));
        }
        SimulatedTask task = task(id);
        SimulatedTask.Phase phase = task == null ? SimulatedTask.Phase.QUEUED : task.poll();
        ObjectNode body = Json.object().put("task_id", id);
        switch (phase) {
            case QUEUED -> body.put("status", "pending");
            case RUNNING -> body.put("status", "running");
            case COMPLETED -> body.put("status", "completed");
            case FAILED -> body.put("status", "failed");
        }
        if (phase == SimulatedTask.Phase.COMPLETED) {
            Instant expires = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(LINK_LIFETIME);
            body.put("download_url", downloadUrl(id, expires))
                    .put("expires_at", PYTHON_ISO.format(expires.atOffset(ZoneOffset.UTC)))
                    .put("items", items);
        } else {
            body.putNull("download_url").putNull("expires_at").putNull("items");
        }
        if (phase == SimulatedTask.Phase.FAILED) {
            body.put("error", task.failureMessage());
        } else {
            body.putNull("error");
        }
        return SimResponse.json(200, Json.write(body));
    }

    @Override
    protected SimResponse error(int status, String message) {
        String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 409 -> "CONFLICT";
            case 422 -> "VALIDATION_ERROR";
            case 429 -> "RATE_LIMITED";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
        return envelope(status, code, message, Json.MAPPER.createArrayNode());
    }

    /** The documented headers: IETF draft {@code RateLimit-*} (Reset in seconds) and legacy {@code X-RateLimit-*}. */
    @Override
    protected SimResponse withRateLimitHeaders(SimResponse response, RateLimit limit, Duration retryAfter) {
        SimResponse answer = super.withRateLimitHeaders(response, limit, retryAfter);
        if (limit.limit() == Long.MAX_VALUE) {
            return answer;
        }
        long remaining = retryAfter == null ? limit.remaining() : 0;
        long reset = seconds(retryAfter == null ? limit.resetIn() : retryAfter);
        return answer
                .withHeader("RateLimit-Policy", limit.parts().stream().filter(part -> part.limit() != Long.MAX_VALUE)
                        .map(part -> part.limit() + ";w=" + part.window().toSeconds())
                        .collect(Collectors.joining(", ")))
                .withHeader("RateLimit-Limit", String.valueOf(limit.limit()))
                .withHeader("RateLimit-Remaining", String.valueOf(remaining))
                .withHeader("RateLimit-Reset", String.valueOf(reset))
                .withHeader("X-RateLimit-Limit", String.valueOf(limit.limit()))
                .withHeader("X-RateLimit-Remaining", String.valueOf(remaining))
                .withHeader("X-RateLimit-Reset", String.valueOf(clock.instant().getEpochSecond() + reset));
    }

    private static SimResponse envelope(int status, String code, String message, JsonNode details) {
        ObjectNode error = Json.object().put("code", code).put("message", message).put("status", status);
        error.set("details", details);
        ObjectNode body = Json.object();
        body.set("error", error);
        return SimResponse.json(status, Json.write(body));
    }

    /** A presigned-looking link whose signature changes with its expiry, as a real re-signed URL would. */
    private static String downloadUrl(String id, Instant expires) {
        try {
            byte[] signature = MessageDigest.getInstance("SHA-256")
                    .digest((id + "|" + expires.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
            return "https://cdn.closient.example/bulk/" + id + ".zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires="
                    + LINK_LIFETIME.toSeconds() + "&X-Amz-Signature=" + HexFormat.of().formatHex(signature);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
