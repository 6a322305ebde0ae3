package dev.taskpoller.provider.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * config/provider-definition.schema.json, the JSON Schema an editor checks a definition with as it is written and
 * taskpoller checks it with as it starts, holds for every definition the project ships; its errors are told in the
 * reader's words.
 */
class ProviderDefinitionSchemaTest {

    /** Read as taskpoller reads a definition (anchors and aliases resolved), then checked against the packaged schema. */
    private static List<String> errors(String yaml) {
        JsonNode definition = Json.MAPPER.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(yaml));
        return DefinitionSchema.problems(definition).stream().map(problem -> problem.field() + ": " + problem.what())
                .toList();
    }

    @Test
    void thePackagedSchemaIsTheOneInConfig() throws IOException {
        try (var packaged = DefinitionSchema.class.getClassLoader().getResourceAsStream(DefinitionSchema.RESOURCE)) {
            assertEquals(Json.MAPPER.readTree(Files.readString(Path.of("config/provider-definition.schema.json"))),
                    Json.MAPPER.readTree(packaged));
        }
    }

    @Test
    void everyShippedDefinitionAndTheReadmesExampleHoldTheSchema() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : List.of(Path.of("config/providers"), Path.of("src/test/resources/fifth-provider/providers"))) {
            try (Stream<Path> each = Files.list(folder)) {
                each.filter(file -> file.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() >= 4, "the seed definitions and the fifth provider's: " + files);
        for (Path file : files) {
            assertEquals(List.of(), errors(Files.readString(file)), file.toString());
        }
        assertEquals(List.of(), errors(ProviderDefinitionCheckTest.VALID));
        assertEquals(List.of(), errors(JavaAdapterDefinitionTest.DEFINITION), "one with a Java adapter");
        assertEquals(1, errors(JavaAdapterDefinitionTest.DEFINITION + "  acceptors: [{status: 200, state: running}]\n")
                .size(), "a Java adapter's definition has no rules of its own");
    }

    @Test
    void aDefinitionOfAnotherShapeIsRefusedNamingEachFieldInTheReadersWords() {
        List<String> errors = errors(ProviderDefinitionCheckTest.VALID.replace("state: running", "state: busy")
                .replace("method: GET", "method: PUT")
                .replace("title: Acme render", "title: Acme render\n    colour: blue")
                .replaceFirst("status: 200\n", "status: [200, 20]\n")
                .replace("files: {url: $.output.url", "extras: {n: {type: text}, files: $.x}\n    files: {url: 7"));

        assertEquals(List.of(
                "spec.definition.colour: not a field of this definition (expected one of [description, properties,"
                        + " required, title, type])",
                "spec.statusCall.method: 'PUT': expected one of [GET, POST]",
                "spec.acceptors[0].status[1]: '20': must have a minimum value of 100",
                "spec.acceptors[0].state: 'busy': expected one of [running, completed, failed, retry]",
                "spec.result.files.url: '7': expected a JSONPath, a list of them (the first with a value winning), or a"
                        + " constant text",
                "spec.result.extras.files: files is the mapped files' name: give the extra another",
                "spec.result.extras.n: expected one of path, object or holds"), errors);
    }

    @Test
    void aKeyWithADefaultAndATaskIdWithoutItsPatternAreRefused() {
        List<String> errors = errors(ProviderDefinitionCheckTest.VALID.replace("    pattern: 'r_[0-9]{8}'\n", "\n")
                .replace("  version:", "  apiKey: {title: key, type: string, format: password, default: s3cr3t}\n      version:"));

        assertEquals(List.of("spec.definition.properties.taskId.pattern: missing: the task ids this provider accepts"
                        + " (checked before any call)",
                "spec.definition.properties.apiKey.default: a credential never lives in a definition: the status"
                        + " call's auth header takes taskpoller.provider.<name>.api-key (a property or an environment"
                        + " variable)"), errors);
    }
}
