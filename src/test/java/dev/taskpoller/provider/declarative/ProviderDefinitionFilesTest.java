package dev.taskpoller.provider.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.provider.ProviderAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where definitions come from: those packaged in the jar, then the installation's folder, whose file wins. */
class ProviderDefinitionFilesTest {

    @TempDir
    Path folder;

    private List<ProviderAdapter> load(Path from) {
        return ProviderDefinitions.load(new DefaultCamelContext(), from);
    }

    @Test
    void thePackagedDefinitionsAreFoundWithoutAFolder() {
        assertEquals(List.of("acedata-qrart", "closient-bulk-qr", "scan-documents", "shoplazza-upload"), load(folder.resolve("absent")).stream().map(ProviderAdapter::name).toList());
    }

    @Test
    void aFileInTheFolderAddsAProviderAndReplacesAPackagedOneOfTheSameName() throws Exception {
        Files.writeString(folder.resolve("acme-render.yaml"), ProviderDefinitionCheckTest.VALID);
        String closient = new String(getClass().getResourceAsStream("/taskpoller-defaults/providers/closient-bulk-qr.yaml")
                .readAllBytes()).replace("(Closient answers 422 otherwise)", "(corrected here)");
        Files.writeString(folder.resolve("closient-bulk-qr.yaml"), closient);

        List<ProviderAdapter> adapters = load(folder);

        assertEquals(List.of("acedata-qrart", "acme-render", "closient-bulk-qr", "scan-documents", "shoplazza-upload"), adapters.stream().map(ProviderAdapter::name).toList());
        assertEquals(Optional.of("a Closient bulk task id is a lower-case UUID version 4 (corrected here)"),
                adapters.get(2).checkTaskId("x"));
    }

    @Test
    void aBrokenFileStopsTheStartNamingItsPathAndField() throws Exception {
        Files.writeString(folder.resolve("acme-render.yaml"), ProviderDefinitionCheckTest.VALID.replace("method: GET", "method: PUT"));

        InvalidConfigurationException invalid = assertThrows(InvalidConfigurationException.class, () -> load(folder));

        assertEquals(List.of(folder.resolve("acme-render.yaml") + ": spec.statusCall.method: 'PUT': expected one of"
                + " [GET, POST]"), invalid.problems());
    }
}
