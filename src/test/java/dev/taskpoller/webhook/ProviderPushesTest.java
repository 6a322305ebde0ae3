package dev.taskpoller.webhook;

import static dev.taskpoller.support.ConfigurationFiles.configuration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.Push;
import dev.taskpoller.provider.declarative.DeclarativeAdapter;
import dev.taskpoller.provider.declarative.DefinitionReader;
import dev.taskpoller.provider.declarative.ProviderDefinitionCheckTest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which providers take pushes, and what a definition's spec.push reads from one. */
class ProviderPushesTest {

    private static final String PUSHING = ProviderDefinitionCheckTest.VALID.replace("  result:", String.join("\n",
            "  push:",
            "    verify: standard-webhooks",
            "    ends: [{path: $.event, equals: [render.done, render.failed]}]",
            "    task: $.render",
            "    taskId: $.key",
            "  result:"));

    private static ProviderAdapter adapter(String yaml) {
        return new DeclarativeAdapter(DefinitionReader.read("f", "acme-render.yaml", yaml));
    }

    @Test
    void aDefinitionsPushEndsTheTaskItsConditionsAndPathsFindAndNoOther() {
        Push push = adapter(PUSHING).push().orElseThrow();

        assertEquals(Push.Verification.STANDARD_WEBHOOKS, push.verification());
        Optional<Push.Ended> ended = push.reader().apply(Json.parse(
                "{\"event\": \"render.done\", \"render\": {\"key\": \"r_12345678\", \"state\": \"done\"}}").orElseThrow());
        assertEquals("r_12345678", ended.orElseThrow().taskId());
        assertEquals("done", ended.get().task().path("state").asText(), "the task object, as a status call answers it");
        assertEquals(Optional.empty(), push.reader().apply(Json.parse(
                "{\"event\": \"render.started\", \"render\": {\"key\": \"r_12345678\"}}").orElseThrow()), "another event");
        assertEquals(Optional.empty(), push.reader().apply(Json.parse(
                "{\"event\": \"render.done\", \"render\": {\"state\": \"done\"}}").orElseThrow()), "no task id");
        assertEquals(Optional.empty(), adapter(ProviderDefinitionCheckTest.VALID).push(), "no spec.push: no pushes");
    }

    @Test
    void pushesTurnedOnWhereAProviderPushesNothingOrHasNoSecretStopTheStartNamingTheKeys() {
        InvalidConfigurationException invalid = assertThrows(InvalidConfigurationException.class, () -> ProviderPushes.of(
                configuration(Map.of("taskpoller.provider.acme-render.webhook-enabled", "true")), List.of(adapter(PUSHING))));
        assertEquals(List.of("taskpoller.provider.acme-render.webhook-secret is not set: acme-render's pushes are on and"
                + " are checked with it (the signing secret, whsec_...)"), invalid.problems());

        ProviderAdapter silent = new DeclarativeAdapter(DefinitionReader.read("f", "acme-silent.yaml",
                ProviderDefinitionCheckTest.VALID.replace("name: acme-render", "name: acme-silent")));
        invalid = assertThrows(InvalidConfigurationException.class, () -> ProviderPushes.of(configuration(Map.of(
                "taskpoller.provider.acme-silent.webhook-enabled", "true",
                "taskpoller.provider.acme-silent.webhook-secret", "t0ken")), List.of(silent)));
        assertEquals(List.of("taskpoller.provider.acme-silent.webhook-enabled = true: acme-silent pushes nothing (its"
                + " definition has no spec.push)"), invalid.problems());

        invalid = assertThrows(InvalidConfigurationException.class, () -> ProviderPushes.of(configuration(Map.of(
                "taskpoller.provider.acme-render.webhook-enabled", "true",
                "taskpoller.provider.acme-render.webhook-secret", "whsec_")), List.of(adapter(PUSHING))));
        assertEquals(List.of("taskpoller.provider.acme-render.webhook-secret: whsec_ with no key after it: every push"
                + " would be refused"), invalid.problems());

        assertEquals(List.of(), ProviderPushes.of(configuration(Map.of()), List.of(adapter(PUSHING), silent)).providers(),
                "pushes are off unless turned on");
    }
}
