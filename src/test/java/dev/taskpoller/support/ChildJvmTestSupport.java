package dev.taskpoller.support;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests that run the application as child JVMs share: a folder of their own, the provider simulators, and
 * the child JVMs (set {@link #jvm} when the first starts), all stopped after each test, whatever it left running.
 */
public abstract class ChildJvmTestSupport {

    @TempDir
    protected Path dir;
    protected final Simulators sims = new Simulators().start();
    protected ChildJvm jvm;

    @AfterEach
    void stopChildJvmsAndSimulators() throws InterruptedException {
        if (jvm != null) {
            jvm.close();
        }
        sims.close();
    }
}
