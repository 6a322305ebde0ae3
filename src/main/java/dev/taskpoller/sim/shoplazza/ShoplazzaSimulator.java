package dev.taskpoller.sim.shoplazza;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shoplazza's "Get Upload File Task" on loopback: {@code GET /openapi/2022-01/file/task/{id}} answers the plain task
 * object, {@code /openapi/2025-06/...} the same fields wrapped as {@code {"code": "Success", "data": {...}}}.
 *
 * <p>Choices where the docs are silent (all inferred):
 * <ul>
 *   <li>A bad {@code access-token} gets HTTP 401 with the documented {@code {"error": "store is not active"}}; the docs
 *       list that body and "invalid credentials" under 400, and an adapter must handle both.</li>
 *   <li>A malformed or unknown id gets 404 {@code {"error": "page not found"}} ("missing or invalid data"); a missing
 *       id 400 {@code {"errors": ["No Context"]}}. On 2025-06 a missing or malformed id is 400
 *       {@code {"code": "InvalidParameter", "message": ""}} and an unknown one 404 {@code {"code": "NotFound", ...}}.
 *       Errors the base class raises (401, 429, faults) do not know the version asked and use the 2022-01 bodies.</li>
 *   <li>{@code failure_list} items are {@code {"origin_link", "reason"}}; the docs do not show them.</li>
 *   <li>The rate limit is the documented leaky bucket: burst 60 and 2 requests a second (the documented "2 calls per
 *       second"; the docs also say "drains 1/s", which the 429 text contradicts). Tests shrink it with
 *       {@link #rateLimit(RateLimit)}.</li>
 * </ul>
 * Files are named deterministically from the task id, so a test can assert exact values.
 */
public final class ShoplazzaSimulator extends ProviderSimulator {

    public static final String PROVIDER = "shoplazza-upload";
    public static final int DEFAULT_BURST = 60;
    public static final double DEFAULT_DRAIN_PER_SECOND = 2.0;
    public static final String RATE_LIMIT_MESSAGE =
            "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.";

    private static final Pattern PATH = Pattern.compile("/openapi/(\\d{4}-\\d{2})/file/task(?:/([^/]*))?/?");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String WRAPPED_VERSION = "2025-06";

    /** How a finished task's files split between the lists. */
    private record Upload(int succeeded, int failed) {
        int total() {
            return succeeded + failed;
        }
    }

    private final int filesPerTask;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    public ShoplazzaSimulator() {
        this(2);
    }

    /** @param filesPerTask how many files a task added with {@link #addTask} uploads */
    public ShoplazzaSimulator(int filesPerTask) {
        this.filesPerTask = filesPerTask;
        rateLimit(RateLimit.leakyBucket(DEFAULT_BURST, DEFAULT_DRAIN_PER_SECOND));
    }

    /**
     * Adds a task whose upload ends with {@code succeeded} files in {@code success_list} and {@code failed} in
     * {@code failure_list} (whatever the task's own ending), e.g. a partial failure or an empty upload.
     */
    public SimulatedTask addUploadTask(SimulatedTask task, int succeeded, int failed) {
        uploads.put(task.id(), new Upload(succeeded, failed));
        return addTask(task);
    }

    /** The {@code file_uri} the simulator gives file {@code index} (from 0) of a task: 32 hex digits and ".jpeg". */
    public static String fileUri(String taskId, int index) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((taskId + "/" + index).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest) + ".jpeg";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String originLink(String taskId, int index) {
        return "https://merchant.example/images/" + taskId + "/" + (index + 1) + ".jpg";
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    protected String credentialOf(SimRequest request) {
        return request.header("access-token");
    }

    @Override
    protected SimResponse answer(SimRequest request) {
        Matcher path = PATH.matcher(request.path());
        if (!"GET".equals(request.method()) || !path.matches()) {
            return error(404, "page not found");
        }
        boolean wrapped = WRAPPED_VERSION.equals(path.group(1));
        String id = path.group(2);
        if (id == null || id.isEmpty()) {
            return wrapped ? versionedError(400, "InvalidParameter") : error(400, "No Context");
        }
        if (!UUID.matcher(id).matches()) {
            return wrapped ? versionedError(400, "InvalidParameter") : error(404, "page not found");
        }
        SimulatedTask task = task(id);
        if (task == null) {
            return wrapped ? versionedError(404, "NotFound") : error(404, "page not found");
        }
        ObjectNode body = taskBody(task, task.poll());
        if (wrapped) {
            ObjectNode envelope = Json.object().put("code", "Success");
            envelope.set("data", body);
            body = envelope;
        }
        return SimResponse.json(200, Json.write(body));
    }

    @Override
    protected SimResponse error(int status, String message) {
        ObjectNode body = Json.object();
        switch (status) {
            case 400 -> body.putArray("errors").add("No Context");
            case 401 -> body.put("error", "store is not active");
            case 404 -> body.put("error", "page not found");
            case 429 -> body.putArray("errors").add(RATE_LIMIT_MESSAGE);
            case 500 -> body.put("error", "internal error");
            default -> body.put("error", message);
        }
        return SimResponse.json(status, Json.write(body));
    }

    private static SimResponse versionedError(int status, String code) {
        return SimResponse.json(status, Json.write(Json.object().put("code", code)
                .put("message", status == 404 ? "page not found" : "")));
    }

    private ObjectNode taskBody(SimulatedTask task, SimulatedTask.Phase phase) {
        Upload planned = uploads.get(task.id());
        boolean done = phase == SimulatedTask.Phase.COMPLETED || phase == SimulatedTask.Phase.FAILED;
        Upload upload = planned != null ? planned
                : phase == SimulatedTask.Phase.FAILED ? new Upload(0, filesPerTask) : new Upload(filesPerTask, 0);
        // while running, half of a planned upload's good files are through (an unplanned task's fate is unknown yet)
        int succeeded = done ? upload.succeeded()
                : phase == SimulatedTask.Phase.RUNNING && planned != null ? planned.succeeded() / 2 : 0;
        int failed = done ? upload.failed() : 0;

        ObjectNode body = Json.object()
                .put("task_id", task.id())
                .put("total", upload.total())
                .put("finished", succeeded)
                .put("status", done ? 0 : 1);
        ArrayNode successes = body.putArray("success_list");
        for (int i = 0; i < succeeded; i++) {
            String uri = fileUri(task.id(), i);
            successes.addObject()
                    .put("file_uri", uri)
                    .put("origin_link", originLink(task.id(), i))
                    .put("upload_link", "https://cdn.shoplazza.example/" + uri);
        }
        ArrayNode failures = body.putArray("failure_list");
        for (int i = upload.succeeded(); i < upload.succeeded() + failed; i++) {
            failures.addObject().put("origin_link", originLink(task.id(), i)).put("reason", task.failureMessage());
        }
        ArrayNode origins = body.putArray("origin_list");
        for (int i = 0; i < upload.total(); i++) {
            origins.add(originLink(task.id(), i));
        }
        return body;
    }
}
