package dev.taskpoller.embed;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A host's test: its folder, the simulators and topics of its {@link EmbeddingScenario}, and its own bean. */
abstract class EmbeddingTestSupport {

    @TempDir
    Path dir;
    final EmbeddingScenario scenario = new EmbeddingScenario();
    /** The host's own bean, bound as {@code stats}. */
    final HostStats stats = new HostStats();

    @AfterEach
    void closeSimulators() {
        scenario.close();
    }
}
