package dev.taskpoller;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.config.InvalidConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar taskpoller.jar [--config FILE]} runs the service on {@code config/application.properties};
 * {@code java -jar taskpoller.jar demo [--keep-running]} runs it against simulated providers.
 *
 * <p>Exit codes: 0 after a normal stop, 143 after a graceful stop by SIGTERM (the JVM's code for it), 1 when the
 * service failed to start, 2 for a bad command line or configuration.
 */
public final class TaskpollerApplication {

    private static final Logger LOG = LoggerFactory.getLogger(TaskpollerApplication.class);
    private static final int FAILED_TO_START = 1;
    private static final int BAD_CONFIGURATION = 2;

    private TaskpollerApplication() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        Optional<TaskpollerCommand> command = arguments.isEmpty() ? Optional.empty()
                : ServiceLoader.load(TaskpollerCommand.class).stream().map(ServiceLoader.Provider::get)
                        .filter(each -> each.name().equals(arguments.get(0))).findFirst();
        if (command.isPresent()) {
            int code;
            try {
                code = command.get().run(arguments.subList(1, arguments.size()));
            } catch (Exception e) {
                code = failedToStart(e);
            }
            if (!command.get().stoppedBySignal()) {
                System.exit(code);
            }
            return;
        }
        String config = "config/application.properties";
        int at = arguments.indexOf("--config");
        if (at >= 0) {
            if (at + 1 >= arguments.size()) {
                System.err.println("--config needs a file name");
                System.exit(BAD_CONFIGURATION);
            }
            config = arguments.get(at + 1);
            if (!Files.isRegularFile(Path.of(config))) {
                System.err.println("configuration file not found: " + config);
                System.exit(BAD_CONFIGURATION);
            }
        }
        Main main = newMain(config);
        try {
            main.run();
        } catch (Exception e) {
            // Camel Main's run() hands a start-up failure to its caller and stops nothing: the embedded broker's
            // threads would keep this JVM alive
            int code = failedToStart(e);
            stopQuietly(main);
            System.exit(code);
        }
    }

    /** A Camel Main with taskpoller installed, reading {@code config} when it exists (packaged defaults otherwise). */
    public static Main newMain(String config) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + config + ";optional=true,classpath:"
                + Configuration.DEFAULTS);
        main.configure().addRoutesBuilder(new TaskpollerRoutes());
        return main;
    }

    /** Says why the service did not start: a configuration problem in a few lines, anything else with its trace. */
    private static int failedToStart(Exception e) {
        Optional<InvalidConfigurationException> invalid = InvalidConfigurationException.in(e);
        if (invalid.isPresent()) {
            System.err.println(invalid.get().getMessage());
            return BAD_CONFIGURATION;
        }
        LOG.error("taskpoller failed to start: {}", e.toString(), e);
        return FAILED_TO_START;
    }

    private static void stopQuietly(Main main) {
        try {
            main.stop();
        } catch (RuntimeException e) {
            LOG.warn("Stopping after the failed start: {}", e.toString());
        }
    }
}
