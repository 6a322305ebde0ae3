package dev.taskpoller.text;

/**
 * Text taskpoller writes is valid Unicode: JSON may spell an unpaired UTF-16 surrogate ({@code "\ud800"}), but it
 * has no UTF-8 form, so a file write of it fails every time.
 */
public final class Unicode {

    private Unicode() {
    }

    /** The text with every unpaired UTF-16 surrogate replaced by U+FFFD; null stays null. */
    public static String wellFormed(String text) {
        if (text == null || firstUnpairedSurrogate(text) < 0) {
            return text;
        }
        StringBuilder fixed = new StringBuilder(text.length());
        for (int at = 0; at < text.length(); at++) {
            char c = text.charAt(at);
            if (Character.isHighSurrogate(c) && at + 1 < text.length() && Character.isLowSurrogate(text.charAt(at + 1))) {
                fixed.append(c).append(text.charAt(++at));
            } else {
                fixed.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return fixed.toString();
    }

    /** Where the text's first unpaired surrogate is, or -1 when it has none. */
    public static int firstUnpairedSurrogate(String text) {
        for (int at = 0; at < text.length(); at++) {
            char c = text.charAt(at);
            if (Character.isHighSurrogate(c) && at + 1 < text.length() && Character.isLowSurrogate(text.charAt(at + 1))) {
                at++;
            } else if (Character.isSurrogate(c)) {
                return at;
            }
        }
        return -1;
    }
}
