package dev.taskpoller.config;

import java.util.List;
import java.util.Optional;

/** The configuration cannot work: every problem found, each naming its key, the value and what was expected. */
public class InvalidConfigurationException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super("Invalid taskpoller configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    /** This exception, where a framework has wrapped it in others. */
    public static Optional<InvalidConfigurationException> in(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException invalid) {
                return Optional.of(invalid);
            }
        }
        return Optional.empty();
    }
}
