package dev.taskpoller.sim.scandocuments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimRequest;
import dev.taskpoller.sim.SimResponse;
import dev.taskpoller.sim.SimulatedTask;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scan Documents' {@code GET /v1/tasks/{id}} as documented: task objects, RFC 7807 problems. Tasks are
 * {@code apply-effect} tasks producing one PNG unless registered with {@link #addExtractTextTask}.
 *
 * <p>The id format is checked as strictly as the documented examples show ({@code task_} + 16 lower-case
 * alphanumerics), so a shorter id reaches the documented 422 validation error.
 */
public final class ScanDocumentsSimulator extends ProviderSimulator {

    private static final Pattern ROUTE = Pattern.compile("/v1/tasks/([^/]+)");
    private static final Pattern TASK_ID = Pattern.compile("task_[a-z0-9]{16}");
    private static final String ERRORS = "https://scan-documents.com/docs/errors/";
    private static final String UNEXPECTED = "An unexpected error occurred. Contact support if the problem persists.";

    private final Map<String, ScanDocumentsTasks.Text> texts = new ConcurrentHashMap<>();

    @Override
    public String provider() {
        return "scan-documents";
    }

    /** Scan Documents' ids are {@code task_} and 16 letters and digits. */
    @Override
    public String newTaskId(Random random) {
        return "task_" + super.newTaskId(random).replace("-", "").substring(0, 16);
    }

    /** An {@code extract-text} task that completes after {@code polls} polls with this plain-text content. */
    public SimulatedTask addExtractTextTask(String id, int polls, String content) {
        texts.put(id, new ScanDocumentsTasks.Text("plain", content));
        return addTask(SimulatedTask.completing(id, polls));
    }

    @Override
    protected String credentialOf(SimRequest request) {
        return request.header("x-api-key");
    }

    @Override
    protected SimResponse answer(SimRequest request) {
        Matcher route = ROUTE.matcher(request.path());
        if (!"GET".equals(request.method()) || !route.matches()) {
            return error(404, "Route " + request.method() + " " + request.path() + " not found.");
        }
        String id = route.group(1);
        if (!TASK_ID.matcher(id).matches()) {
            return validationError("id", "The id must be task_ followed by 16 lower-case letters or digits.");
        }
        SimulatedTask task = task(id);
        if (task == null) {
            return error(404, "Task with id " + id + " not found.");
        }
        ObjectNode body = ScanDocumentsTasks.render(task, task.poll(), texts.get(id));
        return SimResponse.json(200, Json.write(body));
    }

    @Override
    protected SimResponse error(int status, String message) {
        return switch (status) {
            case 401 -> problem(401, "unauthorized", "Unauthorized", message);
            case 404 -> problem(404, "not-found", "Not Found", message);
            case 422 -> validationError("id", message);
            case 429 -> problem(429, "rate-limit-error", "Rate Limit Exceeded",
                    "Rate limit exceeded. Please try again later or contact support.");
            default -> status >= 500
                    ? problem(status, "internal-error", UNEXPECTED, UNEXPECTED)
                    : problem(status, "bad-request", "Bad Request", message);
        };
    }

    private static SimResponse validationError(String field, String message) {
        ObjectNode body = problemBody(422, "validation-error", "Validation Error");
        body.putObject("errors").putArray(field).add(message);
        return asProblem(422, body);
    }

    private static SimResponse problem(int status, String kind, String title, String message) {
        return asProblem(status, problemBody(status, kind, title).put("message", message));
    }

    private static ObjectNode problemBody(int status, String kind, String title) {
        return Json.object().put("type", ERRORS + kind).put("title", title).put("status", status);
    }

    private static SimResponse asProblem(int status, ObjectNode body) {
        return SimResponse.json(status, Json.write(body)).withContentType("application/problem+json");
    }
}
