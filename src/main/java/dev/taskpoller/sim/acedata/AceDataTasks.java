package dev.taskpoller.sim.acedata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.SimulatedTask;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Renders a simulated task as AceData's documented task object. Every made-up field is derived from the task id, so
 * the same task reads the same on every poll, as a stored task would.
 */
final class AceDataTasks {

    static final String CDN = "https://cdn.acedata.example/qrart/";
    static final int IMAGE_SIZE = 768;

    private AceDataTasks() {
    }

    static ObjectNode render(SimulatedTask task, SimulatedTask.Phase phase) {
        String id = task.id();
        byte[] digest = sha256(id);
        ObjectNode object = Json.object();
        object.put("_id", HexFormat.of().formatHex(digest, 0, 12));
        object.put("id", id);
        object.put("application_id", derivedUuid("application", id));
        // epoch seconds with milliseconds, written plainly as the documented example is (not 1.7E9)
        object.put("created_at", BigDecimal.valueOf(task.createdAtMillis()).movePointLeft(3));
        object.put("credential_id", derivedUuid("credential", id));
        ObjectNode request = object.putObject("request");
        request.put("prompt", "a green forest with a river, ultra detailed");
        request.put("content", "https://example.com/qr/" + id);
        request.put("type", "link");
        request.put("aspect_ratio", "1:1");
        request.putNull("callback_url");
        request.put("trace_id", derivedUuid("trace", id));
        switch (phase) {
            case QUEUED -> { } // not picked up yet: no response at all
            case RUNNING -> object.putNull("response");
            case COMPLETED -> object.putObject("response")
                    .put("success", true)
                    .put("image_url", CDN + id + ".png")
                    .put("image_width", IMAGE_SIZE)
                    .put("image_height", IMAGE_SIZE)
                    .put("seed", seed(digest));
            case FAILED -> {
                ObjectNode response = object.putObject("response").put("success", false);
                response.putObject("error").put("code", "generation_failed").put("message", task.failureMessage());
            }
        }
        return object;
    }

    /** The generation seed a completed task reports: a positive number below 2^53, like the documented example. */
    static long seed(String id) {
        return seed(sha256(id));
    }

    private static long seed(byte[] digest) {
        long value = 0;
        for (int i = 12; i < 20; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        return value & ((1L << 53) - 1);
    }

    private static String derivedUuid(String kind, String id) {
        return UUID.nameUUIDFromBytes((kind + ":" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
