package dev.taskpoller.provider;

import java.util.Optional;
import java.util.regex.Pattern;

/** The shape a provider's task ids have, and the sentence that tells a user who sent another shape. */
public record TaskIdFormat(Pattern pattern, String rule) {

    private static final String HEX_UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final String LOWER_UUID4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    /** Any UUID in its 8-4-4-4-12 form. */
    public static TaskIdFormat uuid(String rule) {
        return new TaskIdFormat(Pattern.compile(HEX_UUID), rule);
    }

    /** A lower-case UUID of version 4. */
    public static TaskIdFormat uuid4(String rule) {
        return new TaskIdFormat(Pattern.compile(LOWER_UUID4), rule);
    }

    public static TaskIdFormat matching(String regex, String rule) {
        return new TaskIdFormat(Pattern.compile(regex), rule);
    }

    /** Empty when the id has this shape, otherwise why not. */
    public Optional<String> check(String taskId) {
        return taskId != null && pattern.matcher(taskId).matches() ? Optional.empty() : Optional.of(rule);
    }
}
