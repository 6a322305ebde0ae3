package dev.taskpoller.support;

import dev.taskpoller.provider.declarative.DefinitionReader;
import dev.taskpoller.provider.declarative.ProviderDefinition;
import dev.taskpoller.sim.DefinedSimulator;
import dev.taskpoller.sim.SimulatedTask.Phase;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fifth provider of README "Adding a provider", defined only by the files of src/test/resources/fifth-provider/,
 * and its simulator: the generic one, given the bodies Acme Transcode answers.
 */
public final class AcmeTranscode {

    public static final String NAME = "acme-transcode";
    /** acme-transcode.properties (its configuration block), providers/acme-transcode.yaml (its definition). */
    public static final Path FILES = folder();

    private AcmeTranscode() {
    }

    public static ProviderDefinition definition() {
        return DefinitionReader.read(NAME + ".yaml", NAME + ".yaml", read("providers/" + NAME + ".yaml"));
    }

    /** Started; completed jobs have two outputs, the first with an expiry. */
    public static DefinedSimulator simulator() {
        return (DefinedSimulator) new DefinedSimulator(definition())
                .reply(Phase.QUEUED, "{\"id\": \"{taskId}\", \"state\": \"queued\"}")
                .reply(Phase.RUNNING, "{\"id\": \"{taskId}\", \"state\": \"processing\"}")
                .reply(Phase.COMPLETED, "{\"id\": \"{taskId}\", \"state\": \"succeeded\", \"duration_seconds\": 12.5,"
                        + " \"outputs\": [{\"url\": \"https://cdn.acme.example/{taskId}/720p.mp4?sig=ab\","
                        + " \"filename\": \"720p.mp4\", \"mime_type\": \"video/mp4\", \"bytes\": 1048576,"
                        + " \"expires_at\": \"2030-01-01T00:00:00Z\"}, {\"url\": \"https://cdn.acme.example/{taskId}/thumb.jpg\","
                        + " \"filename\": \"thumb.jpg\", \"mime_type\": \"image/jpeg\", \"bytes\": 2048}]}")
                .reply(Phase.FAILED, "{\"id\": \"{taskId}\", \"state\": \"failed\", \"failure\": {\"message\": \"{message}\"}}")
                .errorBody("{\"error\": {\"message\": \"{message}\"}}")
                .start();
    }

    public static String read(String file) {
        try {
            return Files.readString(FILES.resolve(file));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path folder() {
        try {
            return Path.of(AcmeTranscode.class.getResource("/fifth-provider/acme-transcode.properties").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
