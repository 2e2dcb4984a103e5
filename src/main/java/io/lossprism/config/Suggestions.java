package io.lossprism.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name a mistyped one most likely meant. */
final class Suggestions {

    private Suggestions() {}

    /**
     * The candidate equal to {@code input} ignoring case, else one whose last dotted segment equals
     * the input's (so {@code imageSize} suggests {@code training.imageSize}), else the candidate
     * within a small edit distance, if any.
     */
    static Optional<String> closest(String input, Collection<String> candidates) {
        String wanted = input.toLowerCase(Locale.ROOT);
        Optional<String> sameLeaf = candidates.stream()
                .filter(c -> c.equalsIgnoreCase(input) || lastSegment(c).equalsIgnoreCase(lastSegment(input)))
                .min(Comparator.comparingInt(c -> distance(wanted, c.toLowerCase(Locale.ROOT))));
        if (sameLeaf.isPresent()) {
            return sameLeaf;
        }
        int allowed = Math.max(2, input.length() / 4);
        return candidates.stream()
                .filter(c -> distance(wanted, c.toLowerCase(Locale.ROOT)) <= allowed)
                .min(Comparator.comparingInt(c -> distance(wanted, c.toLowerCase(Locale.ROOT))));
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
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
