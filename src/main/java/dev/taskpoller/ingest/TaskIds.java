package dev.taskpoller.ingest;

import java.util.Optional;

/**
 * Characters no task id may hold, whatever the provider. An id is never cleaned up on the sender's behalf: a NUL,
 * a line break or a space around it would make taskpoller poll (and report) another id than the one sent.
 */
final class TaskIds {

    private TaskIds() {
    }

    /** Why these characters cannot be a task id, or empty. */
    static Optional<String> unusableCharacters(String taskId) {
        for (int at = 0; at < taskId.length(); at++) {
            char c = taskId.charAt(at);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return Optional.of(String.format("the task id holds the control character U+%04X at position %d", (int) c, at));
            }
        }
        if (isSpace(taskId.charAt(0)) || isSpace(taskId.charAt(taskId.length() - 1))) {
            return Optional.of("the task id starts or ends with white space; ids are taken exactly as given");
        }
        return Optional.empty();
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
