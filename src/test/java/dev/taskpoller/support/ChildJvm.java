package dev.taskpoller.support;

import static org.junit.jupiter.api.Assertions.fail;

import dev.taskpoller.TaskpollerApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** The application in a child JVM on the test class path, as a user starts it: its output in {@code <name>.log}. */
public final class ChildJvm implements AutoCloseable {

    private final Path workingDir;
    private final List<Process> children = new ArrayList<>();

    public ChildJvm(Path workingDir) {
        this.workingDir = workingDir;
    }

    public Process launch(String name, String... args) throws IOException {
        return launch(name, Map.of(), args);
    }

    /** With these environment variables added to this JVM's own. */
    public Process launch(String name, Map<String, String> environment, String... args) throws IOException {
        return start(name, environment, runtimeClassPath(), TaskpollerApplication.class.getName(), args);
    }

    /** Another main class (a host application's), on this class path. */
    public Process launchMain(String name, String classPath, String mainClass, String... args)
            throws IOException {
        return start(name, Map.of(), classPath, mainClass, args);
    }

    private Process start(String name, Map<String, String> environment, String classPath, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // several instances at once on this machine: each its own management port
                "-Xmx512m", "-Dcamel.management.port=0", "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log(name).toFile())
                .start();
        children.add(process);
        // should this JVM end without close() (a killed fork), the child must not outlive it
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /**
     * The application's own classes and its runtime dependencies only (target/runtime.classpath, written by the
     * build), as the packaged jar has them: not the test class path, which holds more than the application ships.
     */
    public static String runtimeClassPath() throws IOException {
        return Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator,
                dependencies());
    }

    /** The jars of target/runtime.classpath. */
    public static List<String> dependencies() throws IOException {
        return List.of(Files.readString(Path.of("target", "runtime.classpath")).strip().split(java.io.File.pathSeparator));
    }

    /**
     * Waits until {@code condition} holds; fails, with the last lines of each child's log, when one of {@code running}
     * (name → process) exits first or after {@code wait}.
     */
    public void await(String what, Duration wait, Map<String, Process> running, BooleanSupplier condition)
            throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            for (Map.Entry<String, Process> each : running.entrySet()) {
                if (!each.getValue().isAlive()) {
                    fail(each.getKey() + " exited (" + each.getValue().exitValue() + ") before " + what + tail(each.getKey()));
                }
            }
            if (System.nanoTime() > until) {
                fail("still waiting after " + wait.toSeconds() + " s for " + what
                        + running.keySet().stream().map(this::tail).collect(Collectors.joining()));
            }
            Thread.sleep(100);
        }
    }

    /** Writes {@code settings} as a configuration file for {@code --config}. */
    public static Path writeConfig(Path file, Map<?, ?> settings) throws IOException {
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
        return Files.writeString(file, text);
    }

    public Path log(String name) {
        return workingDir.resolve(name + ".log");
    }

    /**
     * The environment for a child that logs input read again (the logger {@code dev.taskpoller.input} at DEBUG), the
     * packaged log configuration otherwise (Log4j reads {@code LOG4J_CONFIGURATION_FILE}).
     */
    public Map<String, String> loggingInputReadAgain() throws IOException {
        Path file = workingDir.resolve("log4j2-input-read-again.xml");
        if (!Files.exists(file)) {
            String packaged;
            try (var in = ChildJvm.class.getResourceAsStream("/log4j2.xml")) {
                packaged = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            Files.writeString(file, packaged.replace("<Loggers>",
                    "<Loggers>\n    <Logger name=\"dev.taskpoller.input\" level=\"DEBUG\"/>"));
        }
        return Map.of("LOG4J_CONFIGURATION_FILE", file.toString());
    }

    /** How many inputs of this kind ("kafka", "file") a child logged as read again after their task was accepted. */
    public int inputReadAgain(String name, String input) throws IOException {
        return (int) Files.readAllLines(log(name)).stream()
                .filter(line -> line.contains("Read again, already accepted: " + input + ":")).count();
    }

    /** The last lines a child printed, for assertion messages. */
    public String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(log(name));
            return "\n--- last lines of " + name + ".log ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "\n(no " + name + ".log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
