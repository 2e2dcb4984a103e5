package io.lossprism.npy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed header dict of a {@code .npy} file, e.g.
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}.
 *
 * <p>The header is parsed as a small subset of Python literals (strings, integers, True, False,
 * None, tuples, lists, dicts), which is all numpy ever writes; whitespace and trailing commas are
 * tolerated, anything else is refused. The dict must hold exactly the keys descr, fortran_order and
 * shape.
 */
record NpyHeader(NpyDtype.Descr descr, boolean fortranOrder, long[] shape, long size) {

    /** Deeper nesting than this is refused rather than risking the stack. */
    private static final int MAX_DEPTH = 32;

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * Parses and validates a header.
     *
     * @param text the decoded header bytes
     * @param name the file's name, the first word of every message
     * @param maxElements the largest element count accepted
     */
    static NpyHeader parse(String text, String name, long maxElements) throws NpyFormatException {
        Lit top = new Parser(text, name).parseAll();
        if (!(top.value() instanceof Dict dict)) {
            throw new NpyFormatException(name + ": malformed header: expected a dict, found " + describe(top, text)
                    + " in " + preview(text));
        }
        Lit descr = null;
        Lit fortran = null;
        Lit shape = null;
        for (Lit[] entry : dict.entries()) {
            Lit key = entry[0];
            if (!(key.value() instanceof String k)) {
                throw malformed(
                        name,
                        text,
                        "unexpected key " + key.raw(text) + "; expected exactly 'descr', 'fortran_order', 'shape'");
            }
            Lit previous = switch (k) {
                case "descr" -> {
                    Lit p = descr;
                    descr = entry[1];
                    yield p;
                }
                case "fortran_order" -> {
                    Lit p = fortran;
                    fortran = entry[1];
                    yield p;
                }
                case "shape" -> {
                    Lit p = shape;
                    shape = entry[1];
                    yield p;
                }
                default ->
                    throw malformed(
                            name,
                            text,
                            "unexpected key " + key.raw(text) + "; expected exactly 'descr', 'fortran_order', 'shape'");
            };
            if (previous != null) {
                throw malformed(name, text, "duplicate key " + key.raw(text));
            }
        }
        if (descr == null) {
            throw malformed(name, text, "missing key 'descr'");
        }
        if (fortran == null) {
            throw malformed(name, text, "missing key 'fortran_order'");
        }
        if (shape == null) {
            throw malformed(name, text, "missing key 'shape'");
        }

        NpyDtype.Descr dtype = descr.value() instanceof String s ? NpyDtype.lookup(s) : null;
        if (dtype == null) {
            String kind = descr.value() instanceof PyList ? " (structured)" : "";
            throw new NpyFormatException(name + ": unsupported dtype " + oneLine(descr.raw(text)) + kind
                    + "; supported: " + NpyDtype.SUPPORTED);
        }
        if (!(fortran.value() instanceof Boolean fortranOrder)) {
            throw malformed(name, text, "fortran_order must be True or False, found " + describe(fortran, text));
        }
        long[] dims = dimensions(shape, text, name);
        long size = 1;
        boolean tooLarge = false;
        for (long d : dims) {
            if (d == 0) {
                size = 0;
                tooLarge = false;
                break;
            }
            if (!tooLarge) {
                if (size > Long.MAX_VALUE / d) {
                    tooLarge = true;
                } else {
                    size *= d;
                }
            }
        }
        if (tooLarge || size > maxElements) {
            throw new NpyFormatException(
                    name + ": array too large: shape " + shape.raw(text).strip() + " has "
                            + (tooLarge ? "more than " + Long.MAX_VALUE : Long.toString(size))
                            + " elements (limit " + maxElements + ")");
        }
        return new NpyHeader(dtype, fortranOrder, dims, size);
    }

    private static long[] dimensions(Lit shape, String text, String name) throws NpyFormatException {
        if (!(shape.value() instanceof Tuple tuple)) {
            throw malformed(
                    name, text, "shape must be a tuple of non-negative integers, found " + describe(shape, text));
        }
        long[] dims = new long[tuple.items().size()];
        for (int i = 0; i < dims.length; i++) {
            Lit item = tuple.items().get(i);
            if (!(item.value() instanceof BigInteger n) || n.signum() < 0) {
                throw malformed(
                        name, text, "shape must be a tuple of non-negative integers, found " + describe(shape, text));
            }
            if (n.compareTo(LONG_MAX) > 0) {
                throw new NpyFormatException(name + ": array too large: dimension " + n + " in shape "
                        + shape.raw(text).strip());
            }
            dims[i] = n.longValueExact();
        }
        return dims;
    }

    // ---- literal values ---------------------------------------------------------------------

    /** A parsed literal and where its text lies in the header, for messages. */
    private record Lit(Object value, int start, int end) {
        String raw(String text) {
            return text.substring(start, end);
        }
    }

    private record Tuple(List<Lit> items) {}

    private record PyList(List<Lit> items) {}

    private record Dict(List<Lit[]> entries) {}

    private enum None {
        NONE
    }

    private static String describe(Lit lit, String text) {
        return oneLine(lit.raw(text));
    }

    private static NpyFormatException malformed(String name, String text, String what) {
        return new NpyFormatException(name + ": malformed header: " + what + " in " + preview(text));
    }

    /** The header on one line, shortened, with control characters escaped. */
    static String preview(String text) {
        String stripped = text.strip();
        boolean cut = stripped.length() > 120;
        return oneLine(cut ? stripped.substring(0, 117) : stripped) + (cut ? "..." : "");
    }

    private static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Recursive descent over the header text. */
    private static final class Parser {
        private final String text;
        private final String name;
        private int pos;

        Parser(String text, String name) {
            this.text = text;
            this.name = name;
        }

        Lit parseAll() throws NpyFormatException {
            skipSpace();
            if (pos == text.length()) {
                throw new NpyFormatException(name + ": malformed header: header is empty");
            }
            Lit value = value(0);
            skipSpace();
            if (pos < text.length()) {
                throw error("unexpected " + charAt(pos) + " after the dict");
            }
            return value;
        }

        private Lit value(int depth) throws NpyFormatException {
            if (depth > MAX_DEPTH) {
                throw error("nested more than " + MAX_DEPTH + " levels deep");
            }
            skipSpace();
            if (pos == text.length()) {
                throw error("unexpected end of header");
            }
            int start = pos;
            char c = text.charAt(pos);
            if (c == '{') {
                pos++;
                List<Lit[]> entries = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (peek('}')) {
                        break;
                    }
                    Lit key = value(depth + 1);
                    skipSpace();
                    expect(':', "':' after a dict key");
                    Lit val = value(depth + 1);
                    entries.add(new Lit[] {key, val});
                    skipSpace();
                    if (peek('}')) {
                        break;
                    }
                    expect(',', "',' or '}'");
                }
                pos++;
                return new Lit(new Dict(entries), start, pos);
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                pos++;
                List<Lit> items = new ArrayList<>();
                boolean comma = false;
                while (true) {
                    skipSpace();
                    if (peek(close)) {
                        break;
                    }
                    items.add(value(depth + 1));
                    skipSpace();
                    if (peek(close)) {
                        break;
                    }
                    expect(',', "',' or '" + close + "'");
                    comma = true;
                }
                pos++;
                if (c == '[') {
                    return new Lit(new PyList(items), start, pos);
                }
                if (items.size() == 1 && !comma) {
                    // (x) is x in parentheses, not a tuple
                    return new Lit(items.get(0).value(), start, pos);
                }
                return new Lit(new Tuple(items), start, pos);
            }
            if (c == '\'' || c == '"') {
                return string(c);
            }
            if (c == '-' || c == '+' || isDigit(c)) {
                return integer();
            }
            if (Character.isLetter(c) || c == '_') {
                while (pos < text.length()
                        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                    pos++;
                }
                String word = text.substring(start, pos);
                Object v = switch (word) {
                    case "True" -> Boolean.TRUE;
                    case "False" -> Boolean.FALSE;
                    case "None" -> None.NONE;
                    default -> null;
                };
                if (v == null) {
                    pos = start;
                    throw error("unexpected name '" + oneLine(word) + "'");
                }
                return new Lit(v, start, pos);
            }
            throw error("unexpected " + charAt(pos));
        }

        private Lit string(char quote) throws NpyFormatException {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos == text.length() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r') {
                    pos = start;
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == quote) {
                    return new Lit(sb.toString(), start, pos);
                }
                if (c == '\\') {
                    char e = pos < text.length() ? text.charAt(pos) : 0;
                    if (e != '\\' && e != '\'' && e != '"') {
                        pos--;
                        throw error("unsupported escape in string");
                    }
                    pos++;
                    sb.append(e);
                } else {
                    sb.append(c);
                }
            }
        }

        private Lit integer() throws NpyFormatException {
            int start = pos;
            boolean negative = false;
            char sign = text.charAt(pos);
            if (sign == '-' || sign == '+') {
                negative = sign == '-';
                pos++;
            }
            int digits = pos;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                pos = start;
                throw error("expected an integer");
            }
            String number = text.substring(digits, pos);
            if (number.length() > 1 && number.charAt(0) == '0') {
                pos = start;
                throw error("integer with a leading zero");
            }
            // numpy files written by Python 2 may say 3L
            if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
                pos++;
            }
            if (pos < text.length()
                    && (Character.isLetterOrDigit(text.charAt(pos))
                            || text.charAt(pos) == '.'
                            || text.charAt(pos) == '_')) {
                throw error("unexpected " + charAt(pos) + " in a number");
            }
            BigInteger n = new BigInteger(number);
            return new Lit(negative ? n.negate() : n, start, pos);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c, String what) throws NpyFormatException {
            if (!peek(c)) {
                throw error("expected " + what + ", found " + (pos == text.length() ? "end of header" : charAt(pos)));
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                    return;
                }
                pos++;
            }
        }

        private String charAt(int at) {
            return "'" + oneLine(String.valueOf(text.charAt(at))) + "'";
        }

        private NpyFormatException error(String what) {
            return new NpyFormatException(
                    name + ": malformed header: " + what + " at offset " + pos + " in " + preview(text));
        }
    }
}
