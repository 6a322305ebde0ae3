package dev.taskpoller;

import java.util.List;

/**
 * A command of {@code java -jar taskpoller.jar <name> [args]} besides the service itself, such as {@code demo}: found
 * as a service ({@code META-INF/services/dev.taskpoller.TaskpollerCommand}), so that the application does not depend
 * on the code that provides it.
 */
public interface TaskpollerCommand {

    /** The first argument that runs it. */
    String name();

    /** Runs it with the arguments after its name; the result is the process's exit code. */
    int run(List<String> args) throws Exception;

    /** Whether the JVM is already shutting down (Ctrl-C): then System.exit would wait for ever. */
    boolean stoppedBySignal();
}
