package dev.taskpoller.provider.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.taskpoller.provider.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * config/provider-definition.schema.json, the JSON Schema an editor checks a definition with as it is written, holds
 * for every definition the project ships and refuses what the reader refuses in shape.
 */
class ProviderDefinitionSchemaTest {

    private static final Schema SCHEMA = schema();

    private static Schema schema() {
        try (InputStream in = Files.newInputStream(Path.of("config/provider-definition.schema.json"))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Read as taskpoller reads a definition (anchors and aliases resolved), then checked against the schema. */
    private static List<String> errors(String yaml) {
        JsonNode definition = Json.MAPPER.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(yaml));
        return SCHEMA.validate(definition).stream().map(Error::toString).toList();
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
    void aDefinitionOfAnotherShapeIsRefusedNamingWhereItIsWrong() {
        List<String> errors = errors(ProviderDefinitionCheckTest.VALID.replace("state: running", "state: busy")
                .replace("method: GET", "method: PUT")
                .replace("title: Acme render", "title: Acme render\n    colour: blue"));

        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.stream().anyMatch(error -> error.contains("/spec/acceptors/0/state")), errors.toString());
        assertTrue(errors.stream().anyMatch(error -> error.contains("/spec/statusCall/method")), errors.toString());
        assertTrue(errors.stream().anyMatch(error -> error.contains("colour")), errors.toString());
    }

    @Test
    void aKeyWithADefaultAndATaskIdWithoutItsPatternAreRefused() {
        List<String> errors = errors(ProviderDefinitionCheckTest.VALID.replace("    pattern: 'r_[0-9]{8}'\n", "\n")
                .replace("  version:", "  apiKey: {title: key, type: string, format: password, default: s3cr3t}\n      version:"));

        assertTrue(errors.stream().anyMatch(error -> error.contains("/spec/definition/properties/taskId")), errors.toString());
        assertTrue(errors.stream().anyMatch(error -> error.contains("/spec/definition/properties/apiKey")), errors.toString());
    }
}
