package dev.taskpoller;

import dev.taskpoller.config.Configuration;
import dev.taskpoller.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.main.Main;

/**
 * {@code java -jar taskpoller.jar [--config FILE]} runs the service on {@code config/application.properties};
 * {@code java -jar taskpoller.jar demo [--keep-running]} runs it against simulated providers.
 */
public final class TaskpollerApplication {

    private TaskpollerApplication() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        if (!arguments.isEmpty() && arguments.get(0).equals("demo")) {
            int code = Demo.run(arguments.subList(1, arguments.size()));
            if (!Demo.stoppedBySignal()) {
                System.exit(code);
            }
            return;
        }
        String config = "config/application.properties";
        int at = arguments.indexOf("--config");
        if (at >= 0) {
            if (at + 1 >= arguments.size()) {
                System.err.println("--config needs a file name");
                System.exit(2);
            }
            config = arguments.get(at + 1);
            if (!Files.isRegularFile(Path.of(config))) {
                System.err.println("configuration file not found: " + config);
                System.exit(2);
            }
        }
        Main main = newMain(config);
        main.run();
    }

    /** A Camel Main with taskpoller installed, reading {@code config} when it exists (packaged defaults otherwise). */
    public static Main newMain(String config) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + config + ";optional=true,classpath:"
                + Configuration.DEFAULTS);
        main.configure().addRoutesBuilder(new TaskpollerRoutes());
        return main;
    }
}
