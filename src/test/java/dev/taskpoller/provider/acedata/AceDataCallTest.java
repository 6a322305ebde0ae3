package dev.taskpoller.provider.acedata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.provider.Json;
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

/** What the AceData adapter accepts and the calls it builds, without a network. */
class AceDataCallTest {

    private static final ProviderEndpoint ENDPOINT = new ProviderEndpoint("https://api.acedata.test/", "secret-token");
    private final ProviderAdapter adapter = TestProviders.adapter("acedata-qrart");

    @ParameterizedTest
    @ValueSource(strings = {
            "e2c65b20-a970-431e-99c1-76721e799df8",
            "E2C65B20-A970-431E-99C1-76721E799DF8",
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "00000000-0000-0000-0000-000000000000"})
    void acceptsUuidsOfAnyVersion(String id) {
        assertEquals(Optional.empty(), adapter.checkTaskId(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "e2c65b20a970431e99c176721e799df8",
            "{e2c65b20-a970-431e-99c1-76721e799df8}",
            "e2c65b20-a970-431e-99c1-76721e799df8 ",
            "g2c65b20-a970-431e-99c1-76721e799df8",
            "e2c65b20-a970-431e-99c1-76721e799df8e2c65b20",
            "task_euyrvozb9302uwhq",
            "../qrart/tasks"})
    void rejectsAnythingButACanonicalUuid(String id) {
        assertEquals(Optional.of("an AceData task id is a UUID (8-4-4-4-12 hex digits)"), adapter.checkTaskId(id));
    }

    @Test
    void rejectsAnEmptyOrMissingId() {
        assertTrue(adapter.checkTaskId("").isPresent());
        assertTrue(adapter.checkTaskId(null).isPresent());
    }

    @Test
    void oneIdIsASingleRetrieve() {
        StatusCall call = adapter.statusCall(List.of("e2c65b20-a970-431e-99c1-76721e799df8"), ENDPOINT);

        assertEquals("POST", call.method());
        assertEquals("https://api.acedata.test/qrart/tasks", call.url());
        assertEquals(Map.of("accept", "application/json", "content-type", "application/json",
                "authorization", "Bearer secret-token"), call.headers());
        assertEquals(Json.parse("{\"id\":\"e2c65b20-a970-431e-99c1-76721e799df8\",\"action\":\"retrieve\"}"),
                Json.parse(call.body()));
    }

    @Test
    void severalIdsAreOneRetrieveBatch() {
        StatusCall call = adapter.statusCall(List.of("a", "b", "c"), ENDPOINT);

        assertEquals(Json.parse("{\"ids\":[\"a\",\"b\",\"c\"],\"action\":\"retrieve_batch\"}"), Json.parse(call.body()));
        assertEquals(50, adapter.maxBatchSize());
    }

    @Test
    void theCallNeverShowsTheKey() {
        assertFalse(adapter.statusCall(List.of("a", "b"), ENDPOINT).toString().contains("secret-token"));
    }

    @Test
    void isAPackagedDefinitionWithNoJavaOfItsOwn() {
        assertTrue(adapter instanceof DeclarativeAdapter);
        assertTrue(ServiceLoader.load(ProviderAdapter.class).stream().noneMatch(provider -> provider.get().name()
                .equals("acedata-qrart")), "no Java adapter on the class path");
    }
}
