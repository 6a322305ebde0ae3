package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.Json;
import dev.taskpoller.sim.DefinedSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.AcmeTranscode;
import dev.taskpoller.support.Outbox;
import dev.taskpoller.support.TaskpollerTestSupport;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A fifth provider added by configuration alone (src/test/resources/fifth-provider/: its definition and its
 * configuration block, the files README "Adding a provider" shows; its routes are made from the templates), polled
 * end to end against the generic simulator: an inbox file in, events out.
 */
class FifthProviderTest extends TaskpollerTestSupport {

    private static final Path FOLDER = AcmeTranscode.FILES;
    private final DefinedSimulator acme = AcmeTranscode.simulator();

    @Override
    protected void doPostTearDown() {
        super.doPostTearDown();
        acme.close();
    }

    @Override
    protected Properties properties() {
        Properties p = super.properties();
        try (InputStream block = Files.newInputStream(FOLDER.resolve("acme-transcode.properties"))) {
            p.load(block);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        p.putAll(acme.endpointProperties());
        p.put("taskpoller.provider-definitions", FOLDER.resolve("providers").toString());
        return p;
    }

    @Test
    void aProviderDefinedOnlyByYamlTakesIdsFromTheInboxAndPublishesItsEvents() throws Exception {
        String completing = "job_0123456789ab";
        String failing = "job_ba9876543210";
        acme.addTask(SimulatedTask.completing(completing, 3));
        acme.addTask(SimulatedTask.failing(failing, 2, "codec not supported"));

        drop("acme-transcode/jobs.txt", completing + "\n" + failing + "\nJOB-1\n");

        JsonNode completed = outbox("completed", 1).get(0).get("data");
        JsonNode failed = outbox("failed", 1).get(0).get("data");
        JsonNode rejected = outbox("rejected", 1).get(0);
        assertEquals(completing, completed.get("taskId").asText());
        assertEquals(Json.parse("""
                {"files": [
                  {"url": "https://cdn.acme.example/job_0123456789ab/720p.mp4?sig=ab", "name": "720p.mp4",
                   "contentType": "video/mp4", "size": 1048576, "width": null, "height": null,
                   "expiresAt": "2030-01-01T00:00:00Z"},
                  {"url": "https://cdn.acme.example/job_0123456789ab/thumb.jpg", "name": "thumb.jpg",
                   "contentType": "image/jpeg", "size": 2048, "width": null, "height": null, "expiresAt": null}],
                 "durationSeconds": 12.5}
                """).orElseThrow().toString(), completed.get("result").toString());
        assertEquals(3, completed.get("attempts").asInt());
        assertEquals(failing, failed.get("taskId").asText());
        assertEquals("provider_failed", failed.get("error").get("reason").asText());
        assertEquals("codec not supported", failed.get("error").get("message").asText());
        assertEquals("invalid_task_id", rejected.get("reason").asText());
        assertEquals("an Acme Transcode job id is 'job_' and 12 lower-case letters or digits",
                rejected.get("message").asText());
        assertEquals(List.of(3, 2), List.of(acme.pollsOf(completing), acme.pollsOf(failing)));
    }

    @Test
    void anIdTheProviderDoesNotKnowFailsAsNotFoundWithItsMessage() throws Exception {
        drop("acme-transcode/unknown.txt", "job_zzzzzzzzzzzz\n");

        JsonNode failed = outbox("failed", 1).get(0).get("data");

        assertEquals("not_found", failed.get("error").get("reason").asText());
        assertEquals("task job_zzzzzzzzzzzz not found", failed.get("error").get("message").asText());
        assertEquals(404, failed.get("error").get("httpStatus").asInt());
    }

    private List<JsonNode> outbox(String stream, int atLeast) throws InterruptedException {
        return Outbox.await(dataDir.resolve("outbox").resolve(stream), atLeast, WAIT);
    }
}
