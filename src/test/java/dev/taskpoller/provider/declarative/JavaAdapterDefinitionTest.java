package dev.taskpoller.provider.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.support.EveryIdRunningAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The escape hatch: a definition that names a Java class for the calls and answers its format cannot express. */
class JavaAdapterDefinitionTest {

    static final String DEFINITION = String.join("\n",
            "apiVersion: taskpoller.dev/v1",
            "kind: Provider",
            "metadata:",
            "  name: acme-render",
            "spec:",
            "  definition:",
            "    title: Acme render",
            "    required: [taskId]",
            "    properties:",
            "      taskId: {title: Render id, description: an Acme render id is 'r_' and 8 digits, type: string,"
                    + " pattern: 'r_[0-9]{8}'}",
            "      batchSize: {default: 20}",
            "  adapter: " + EveryIdRunningAdapter.class.getName(),
            "");

    @TempDir
    Path folder;

    private ProviderAdapter load(String yaml) throws Exception {
        Files.writeString(folder.resolve("acme-render.yaml"), yaml);
        return ProviderDefinitions.load(new DefaultCamelContext(), folder).stream()
                .filter(adapter -> adapter.name().equals("acme-render")).findFirst().orElseThrow();
    }

    @Test
    void theDefinitionGivesTheNameIdsAndDefaultsAndTheClassMakesTheCallsAndReadsTheAnswers() throws Exception {
        ProviderAdapter adapter = load(DEFINITION);

        assertEquals(Optional.of("an Acme render id is 'r_' and 8 digits"), adapter.checkTaskId("r_1"));
        assertEquals(Optional.empty(), adapter.checkTaskId("r_12345678"));
        assertEquals(Map.of("batch-size", "20"), adapter.defaults());
        assertEquals(25, adapter.maxBatchSize());
        assertEquals("https://acme.example/renders?ids=r_12345678,r_87654321", adapter.statusCall(
                List.of("r_12345678", "r_87654321"), new ProviderEndpoint("https://acme.example", "k")).url());
        assertEquals(PollOutcome.Status.RUNNING, adapter.interpret(List.of("r_12345678"), new ProviderReply(200, "{}"))
                .get("r_12345678").status());
    }

    @Test
    void aClassThatIsMissingOrIsNoAdapterAndRulesLeftBesideItAreNamed() {
        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class, () -> load(
                DEFINITION.replace(EveryIdRunningAdapter.class.getName(), "com.example.NoSuchAdapter")));
        InvalidConfigurationException notAnAdapter = assertThrows(InvalidConfigurationException.class, () -> load(
                DEFINITION.replace(EveryIdRunningAdapter.class.getName(), String.class.getName())
                        + "  acceptors: [{status: 200, state: running}]\n"));

        String file = folder.resolve("acme-render.yaml").toString();
        assertEquals(List.of(file + ": spec.adapter: 'com.example.NoSuchAdapter': no such class on the class path"),
                missing.problems());
        assertEquals(List.of(file + ": spec.acceptors: left to spec.adapter: a definition with a Java adapter makes no"
                + " status call and reads no answer of its own", file + ": spec.adapter: 'java.lang.String' does not implement"
                + " dev.taskpoller.provider.ProviderAdapter"), notAnAdapter.problems());
    }
}
