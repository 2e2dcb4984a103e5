package io.lossprism.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL structure to take an alert condition apart: the operands of its top-level set
 * operators ({@code and}, {@code or}, {@code unless}) and, in each operand, the value before its
 * top-level comparison. "Top level" means outside parentheses, brackets, braces, string literals and
 * comments. Precedence makes this exact: {@code or} and {@code and}/{@code unless} bind looser than the
 * comparisons, which bind looser than arithmetic, so {@code a - b > 0.25 and c >= 300} has the operands
 * {@code a - b > 0.25} and {@code c >= 300}, and the first one's value is {@code a - b}.
 */
final class PromQl {

    private static final Pattern LEADING_MODIFIERS = Pattern.compile(
            "^\\s*(?:(?:on|ignoring|group_left|group_right)\\s*(?:\\([^()]*\\))?\\s*|bool\\s+)+",
            Pattern.CASE_INSENSITIVE);
    private static final List<String> SET_OPERATORS = List.of("or", "and", "unless");

    private PromQl() {}

    /**
     * The operands of the expression's top-level {@code and}, {@code or} and {@code unless} operators, in
     * order, without their vector-matching modifiers ({@code on (..)}, {@code ignoring (..)},
     * {@code group_left (..)}); the expression itself, trimmed, when it has none.
     */
    static List<String> setOperands(String expr) {
        List<String> operands = new ArrayList<>();
        int start = 0;
        for (int[] op : topLevelWords(expr, SET_OPERATORS)) {
            operands.add(expr.substring(start, op[0]));
            start = op[1];
        }
        operands.add(expr.substring(start));
        List<String> cleaned = new ArrayList<>();
        for (String operand : operands) {
            cleaned.add(stripModifiers(operand).strip());
        }
        return cleaned;
    }

    /**
     * The part of {@code expr} before its first top-level comparison operator ({@code == != > < >= <=}),
     * trimmed; {@code expr} trimmed when it has none. Call it on an operand of {@link #setOperands}.
     */
    static String beforeComparison(String expr) {
        int cut = firstTopLevelComparison(expr);
        return (cut < 0 ? expr : expr.substring(0, cut)).strip();
    }

    /** Whether the expression has a top-level comparison operator. */
    static boolean hasComparison(String expr) {
        return firstTopLevelComparison(expr) >= 0;
    }

    private static String stripModifiers(String operand) {
        Matcher m = LEADING_MODIFIERS.matcher(operand);
        return m.find() ? operand.substring(m.end()) : operand;
    }

    /** Start and end of each top-level occurrence of one of {@code words} as a whole word. */
    private static List<int[]> topLevelWords(String expr, List<String> words) {
        List<int[]> found = new ArrayList<>();
        Scanner s = new Scanner(expr);
        while (s.next()) {
            if (s.depth == 0 && identifierStart(expr, s.pos)) {
                int end = s.pos;
                while (end < expr.length() && identifierPart(expr.charAt(end))) {
                    end++;
                }
                String word = expr.substring(s.pos, end).toLowerCase();
                if (words.contains(word)) {
                    found.add(new int[] {s.pos, end});
                }
                s.skipTo(end);
            }
        }
        return found;
    }

    private static int firstTopLevelComparison(String expr) {
        Scanner s = new Scanner(expr);
        while (s.next()) {
            if (s.depth != 0) {
                continue;
            }
            char c = expr.charAt(s.pos);
            char n = s.pos + 1 < expr.length() ? expr.charAt(s.pos + 1) : '\0';
            if ((c == '=' && n == '=') || (c == '!' && n == '=') || c == '>' || c == '<') {
                return s.pos;
            }
            if (identifierStart(expr, s.pos)) {
                int end = s.pos;
                while (end < expr.length() && identifierPart(expr.charAt(end))) {
                    end++;
                }
                s.skipTo(end);
            }
        }
        return -1;
    }

    private static boolean identifierStart(String expr, int i) {
        char c = expr.charAt(i);
        return (Character.isLetter(c) || c == '_') && (i == 0 || !identifierPart(expr.charAt(i - 1)));
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    /**
     * Walks an expression character by character, reporting only characters outside string literals and
     * comments, with the bracket depth at each.
     */
    private static final class Scanner {
        private final String text;
        private int pos = -1;
        private int depth;
        private int nextPos;

        Scanner(String text) {
            this.text = text;
        }

        /** Advances to the next character outside strings and comments; false at the end. */
        boolean next() {
            pos = Math.max(pos + 1, nextPos);
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '"' || c == '\'' || c == '`') {
                    pos = endOfString(pos, c);
                    continue;
                }
                if (c == '#') {
                    int eol = text.indexOf('\n', pos);
                    pos = eol < 0 ? text.length() : eol + 1;
                    continue;
                }
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                    pos++;
                    continue;
                }
                if (c == ')' || c == ']' || c == '}') {
                    depth--;
                    pos++;
                    continue;
                }
                if (Character.isWhitespace(c)) {
                    pos++;
                    continue;
                }
                nextPos = pos + 1;
                return true;
            }
            return false;
        }

        void skipTo(int end) {
            nextPos = end;
        }

        private int endOfString(int open, char quote) {
            int i = open + 1;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '\\' && quote != '`') {
                    i += 2;
                    continue;
                }
                if (c == quote) {
                    return i + 1;
                }
                i++;
            }
            throw new IllegalArgumentException("unterminated string literal in: " + text);
        }
    }
}
