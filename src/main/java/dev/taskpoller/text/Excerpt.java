package dev.taskpoller.text;

/** Input echoed in a log line, a message or a rejected record is cut short: its size is the sender's choice. */
public final class Excerpt {

    /** How much of an input a log line or a message quotes. */
    public static final int FOR_LOG = 200;

    private Excerpt() {
    }

    /** The text, or its first {@code max - 1} characters and an ellipsis, always valid Unicode; null stays null. */
    public static String of(String text, int max) {
        if (text == null || text.length() <= max) {
            return Unicode.wellFormed(text);
        }
        int end = max - 1;
        // never cut a surrogate pair in two: half a character is not valid UTF-16
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return Unicode.wellFormed(text.substring(0, end)) + "…";
    }

    /** {@link #of(String, int)} at the length a log line quotes. */
    public static String forLog(String text) {
        return of(text, FOR_LOG);
    }
}
