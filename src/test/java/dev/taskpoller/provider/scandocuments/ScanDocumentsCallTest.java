package dev.taskpoller.provider.scandocuments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.support.TestProviders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the Scan Documents adapter accepts and the call it builds, without a network. */
class ScanDocumentsCallTest {

    private static final ProviderEndpoint ENDPOINT = new ProviderEndpoint("https://api.scan.test", "secret-key");
    private final ProviderAdapter adapter = TestProviders.adapter("scan-documents");

    @ParameterizedTest
    @ValueSource(strings = {"task_euyrvozb9302uwhq", "task_a", "task_0123456789"})
    void acceptsTaskPrefixedLowerCaseAlphanumerics(String id) {
        assertEquals(Optional.empty(), adapter.checkTaskId(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "task_",
            "euyrvozb9302uwhq",
            "TASK_euyrvozb9302uwhq",
            "task_EUYRVOZB9302UWHQ",
            "task_euyrvozb-9302uwhq",
            "task_euyrvozb9302uwhq/../x",
            "file_euyrvozb9302uwhq"})
    void rejectsEverythingElse(String id) {
        assertEquals(Optional.of("a Scan Documents task id is task_ followed by 1 to 64 lower-case letters or digits"),
                adapter.checkTaskId(id));
    }

    @Test
    void allowsUpTo64CharactersAfterThePrefix() {
        assertEquals(Optional.empty(), adapter.checkTaskId("task_" + "a1".repeat(32)));
        assertTrue(adapter.checkTaskId("task_" + "a1".repeat(32) + "b").isPresent());
    }

    @Test
    void rejectsAnEmptyOrMissingId() {
        assertTrue(adapter.checkTaskId("").isPresent());
        assertTrue(adapter.checkTaskId(null).isPresent());
    }

    @Test
    void asksForOneTaskWithAGetCarryingTheKey() {
        StatusCall call = adapter.statusCall(List.of("task_euyrvozb9302uwhq"), ENDPOINT);

        assertEquals("GET", call.method());
        assertEquals("https://api.scan.test/v1/tasks/task_euyrvozb9302uwhq", call.url());
        assertEquals(Map.of("x-api-key", "secret-key", "accept", "application/json"), call.headers());
        assertNull(call.body());
        assertEquals(1, adapter.maxBatchSize());
        assertFalse(call.toString().contains("secret-key"));
    }

    @Test
    void isFoundAmongTheAvailableProvidersUnderItsName() {
        DefaultCamelContext context = new DefaultCamelContext();
        Configuration.addDefaults(context.getPropertiesComponent());
        assertTrue(Providers.available(context).stream().anyMatch(provider -> provider.name().equals("scan-documents")));
    }
}
