package dev.taskpoller.sim.acedata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.ProviderSimulator;
import dev.taskpoller.sim.SimRequest;
import dev.taskpoller.sim.SimResponse;
import dev.taskpoller.sim.SimulatedTask;
import java.util.Optional;
import java.util.UUID;

/**
 * AceData Cloud's Artistic QR tasks API ({@code POST /qrart/tasks}, actions {@code retrieve} and
 * {@code retrieve_batch}) as its documentation describes it. Where the docs are silent it follows providers.md's
 * inferences: an unknown id in a single {@code retrieve} is a 404 {@code not_found}, and a batch simply leaves unknown
 * ids out of {@code items}.
 */
public final class AceDataSimulator extends ProviderSimulator {

    private static final String PATH = "/qrart/tasks";
    private static final String BEARER = "Bearer ";

    @Override
    public String provider() {
        return "acedata-qrart";
    }

    /** The seed a completed task of this id reports, so a test can expect the exact result. */
    public static long seedOf(String taskId) {
        return AceDataTasks.seed(taskId);
    }

    @Override
    protected String credentialOf(SimRequest request) {
        String value = request.header("authorization");
        return value != null && value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? value.substring(BEARER.length()).trim() : value;
    }

    @Override
    protected SimResponse answer(SimRequest request) {
        if (!"POST".equals(request.method()) || !PATH.equals(request.path())) {
            return error(404, "no API at " + request.method() + " " + request.path());
        }
        Optional<JsonNode> body = Json.parse(request.body()).filter(JsonNode::isObject);
        String action = body.map(node -> Json.text(node, "action")).orElse(null);
        if ("retrieve".equals(action) && Json.text(body.get(), "id") != null) {
            return retrieve(Json.text(body.get(), "id"));
        }
        if ("retrieve_batch".equals(action) && body.get().path("ids").isArray()) {
            return retrieveBatch(body.get().get("ids"));
        }
        return error(400, "action " + (action == null ? "(none)" : action) + " with this body is not implemented");
    }

    private SimResponse retrieve(String id) {
        SimulatedTask task = task(id);
        if (task == null) {
            return error(404, "task " + id + " not found");
        }
        return SimResponse.json(200, Json.write(AceDataTasks.render(task, task.poll())));
    }

    private SimResponse retrieveBatch(JsonNode ids) {
        ObjectNode answer = Json.object();
        ArrayNode items = answer.putArray("items");
        ids.forEach(id -> {
            SimulatedTask task = id.isTextual() ? task(id.asText()) : null;
            if (task != null) {
                items.add(AceDataTasks.render(task, task.poll()));
            }
        });
        answer.put("count", items.size());
        return SimResponse.json(200, Json.write(answer));
    }

    @Override
    protected SimResponse error(int status, String message) {
        String code = switch (status) {
            case 400 -> "api_not_implemented";
            case 401 -> "invalid_token";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 429 -> "too_many_requests";
            default -> status >= 500 ? "api_error" : "bad_request";
        };
        ObjectNode body = Json.object().put("success", false);
        body.putObject("error").put("code", code).put("message", message);
        body.put("trace_id", UUID.randomUUID().toString());
        return SimResponse.json(status, Json.write(body));
    }
}
