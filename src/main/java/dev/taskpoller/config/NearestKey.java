package dev.taskpoller.config;

import java.util.Collection;
import java.util.Comparator;

/**
 * The known key closest to a misspelt one, by edit distance. Hand-written: no similarity library is on the class path
 * and one is not worth a dependency for a dozen lines.
 */
final class NearestKey {

    private NearestKey() {
    }

    static String to(String unknown, Collection<String> known) {
        return known.stream().min(Comparator.comparingInt((String key) -> distance(unknown, key))
                .thenComparing(Comparator.naturalOrder())).orElseThrow();
    }

    /** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
