package dev.taskpoller.provider.shoplazza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.declarative.DeclarativeAdapter;
import dev.taskpoller.support.TestProviders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShoplazzaTaskIdsAndStatusCallTest {

    private static final String ID = "300b5e33-3ac5-41c5-9819-7e2e8aad6a98";
    private final ProviderAdapter adapter = TestProviders.adapter("shoplazza-upload");

    @ParameterizedTest
    @ValueSource(strings = {ID, "300B5E33-3AC5-41C5-9819-7E2E8AAD6A98", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"})
    void acceptsAnyCanonicalUuid(String id) {
        assertEquals(Optional.empty(), adapter.checkTaskId(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "300b5e333ac541c598197e2e8aad6a98", "{300b5e33-3ac5-41c5-9819-7e2e8aad6a98}",
            "300b5e33-3ac5-41c5-9819-7e2e8aad6a9", "300b5e33-3ac5-41c5-9819-7e2e8aad6a98\n", "../../admin",
            "300b5e33-3ac5-41c5-9819-7e2e8aad6g98"})
    void rejectsAnythingElseBeforeCalling(String id) {
        assertEquals(Optional.of("a Shoplazza upload task id is a UUID (8-4-4-4-12 hex digits)"), adapter.checkTaskId(id));
    }

    @Test
    void rejectsAMissingId() {
        assertTrue(adapter.checkTaskId(null).isPresent());
    }

    @Test
    void getsTheTaskOnTheDefaultVersionWithTheAccessTokenHeader() {
        StatusCall call = adapter.statusCall(List.of(ID), new ProviderEndpoint("https://shop.example/", "secret-token"));

        assertEquals("GET", call.method());
        assertEquals("https://shop.example/openapi/2022-01/file/task/" + ID, call.url());
        assertEquals(Map.of("Access-Token", "secret-token", "accept", "application/json"), call.headers());
        assertEquals(null, call.body());
        assertFalse(call.toString().contains("secret-token"));
    }

    @Test
    void namesAnotherApiVersionInThePathWhenConfigured() {
        StatusCall call = TestProviders.definedWith("shoplazza-upload", "default: '2022-01'", "default: '2025-06'").statusCall(List.of(ID), new ProviderEndpoint("https://shop.example", "k"));

        assertEquals("https://shop.example/openapi/2025-06/file/task/" + ID, call.url());
    }

    @Test
    void refusesAVersionThatIsNotAShoplazzaVersion() {
        assertThrows(IllegalArgumentException.class, () -> TestProviders.definedWith("shoplazza-upload", "default: '2022-01'", "default: 'latest/../x'"));
    }

    @Test
    void asksForOneTaskPerCall() {
        assertEquals(1, adapter.maxBatchSize());
        assertThrows(IllegalArgumentException.class,
                () -> adapter.statusCall(List.of(ID, ID), new ProviderEndpoint("https://shop.example", "k")));
    }

    @Test
    void isAPackagedDefinitionWithNoJavaOfItsOwn() {
        List<String> javaAdapters = ServiceLoader.load(ProviderAdapter.class).stream().map(p -> p.get().name()).toList();

        assertTrue(adapter instanceof DeclarativeAdapter);
        assertTrue(!javaAdapters.contains("shoplazza-upload"), javaAdapters.toString());
    }
}
