package dev.taskpoller.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.sim.DefinedSimulator;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.support.AcmeTranscode;
import dev.taskpoller.support.ChildJvm;
import dev.taskpoller.support.ChildJvmTestSupport;
import dev.taskpoller.support.Outbox;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README "Adding a provider" as a user does it: the service (not the demo) on the packaged class path, started in a
 * folder where the only file is one definition dropped into config/providers/, and the provider's two keys, its base
 * URL and its key, given as environment variables. No configuration file, no route, no code.
 */
class SixthProviderTest extends ChildJvmTestSupport {

    private static final String NAME = "acme-sixth";

    @Test
    void aProviderAddedByDroppingOneDefinitionFileAndSettingItsTwoKeysIsPolledToItsEvent() throws Exception {
        Files.createDirectories(dir.resolve("config/providers"));
        Files.writeString(dir.resolve("config/providers/" + NAME + ".yaml"),
                AcmeTranscode.read("providers/acme-transcode.yaml").replace("name: acme-transcode", "name: " + NAME));
        try (DefinedSimulator acme = AcmeTranscode.simulator()) {
            Map<String, String> environment = new HashMap<>();
            acme.endpointProperties().forEach((key, value) -> environment.put(variable(key.replace(AcmeTranscode.NAME, NAME)), value));
            String completing = "job_0123456789ab";
            acme.addTask(SimulatedTask.completing(completing, 2));
            jvm = new ChildJvm(dir);
            Process service = jvm.launch("service", environment);

            Files.createDirectories(dir.resolve("data/inbox/" + NAME));
            Files.writeString(dir.resolve("data/inbox/" + NAME + "/jobs.txt"), completing + "\n");

            List<JsonNode> completed = Outbox.await(dir.resolve("data/outbox/completed"), 1, Duration.ofSeconds(90));
            assertEquals(NAME, completed.get(0).at("/data/provider").asText(), jvm.tail("service"));
            assertEquals(completing, completed.get(0).at("/data/taskId").asText());
            assertEquals("720p.mp4", completed.get(0).at("/data/result/files/0/name").asText());
            assertEquals(2, acme.pollsOf(completing), "polled by the service at the definition's path with its key");
            assertEquals(true, service.isAlive(), jvm.tail("service"));
        }
    }

    /** Camel's rule for a key given as an environment variable. */
    private static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
