package dev.taskpoller.provider.closient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

class ClosientTaskIdsAndStatusCallTest {

    private static final String ID = "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    private final ProviderAdapter adapter = TestProviders.adapter("closient-bulk-qr");

    @ParameterizedTest
    @ValueSource(strings = {ID, "0f8fad5b-d9cb-469f-a165-70867728950e", "300b5e33-3ac5-41c5-9819-7e2e8aad6a98",
            "7d0c9a1e-4b2f-4c3d-bd5f-a1b2c3d4e5f6"})
    void acceptsLowerCaseUuid4WithAnyOfTheFourVariants(String id) {
        assertEquals(Optional.empty(), adapter.checkTaskId(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8",   // version 1
            "01890a5d-ac96-774b-bcce-b302099a8057",   // version 7
            "9b2f3c4d-5e6f-4a7b-cc9d-0e1f2a3b4c5d",   // variant c
            "9b2f3c4d-5e6f-4a7b-7c9d-0e1f2a3b4c5d",   // variant 7 (NCS)
            "00000000-0000-0000-0000-000000000000",   // nil
            "9B2F3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D",   // not as Celery issues it
            "9b2f3c4d5e6f4a7b8c9d0e1f2a3b4c5d", "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5", "", "../../admin/"})
    void rejectsAnythingButALowerCaseUuid4(String id) {
        assertEquals(Optional.of("a Closient bulk task id is a lower-case UUID version 4 (Closient answers 422 otherwise)"),
                adapter.checkTaskId(id));
    }

    @Test
    void rejectsAMissingId() {
        assertTrue(adapter.checkTaskId(null).isPresent());
    }

    @Test
    void getsTheTaskWithItsTrailingSlashAndTheApiKeyHeader() {
        StatusCall call = adapter.statusCall(List.of(ID), new ProviderEndpoint("https://www.closient.example/", "secret-key"));

        assertEquals("GET", call.method());
        assertEquals("https://www.closient.example/products/api/v1/qr/bulk/" + ID + "/", call.url());
        assertEquals(Map.of("X-API-Key", "secret-key", "accept", "application/json"), call.headers());
        assertEquals(null, call.body());
        assertFalse(call.toString().contains("secret-key"));
    }

    @Test
    void asksForOneTaskPerCall() {
        assertEquals(1, adapter.maxBatchSize());
        assertThrows(IllegalArgumentException.class,
                () -> adapter.statusCall(List.of(), new ProviderEndpoint("https://www.closient.example", "k")));
    }

    @Test
    void isFoundAmongTheAvailableProvidersUnderItsName() {
        DefaultCamelContext context = new DefaultCamelContext();
        Configuration.addDefaults(context.getPropertiesComponent());
        List<String> names = Providers.available(context).stream().map(ProviderAdapter::name).toList();

        assertTrue(names.contains("closient-bulk-qr"), names.toString());
    }
}
