package keyboss.charts.model;

import java.util.List;
import java.util.Map;

/**
 * What a message may quote of a user's file: the offending value, cut short, on one line, with
 * control characters escaped (a value must not move the terminal's cursor or forge a line).
 * Maps and lists are rendered only as far as the excerpt reaches: they can hold a whole file.
 */
public final class Excerpt {

    /** How many characters of a value a message quotes. */
    public static final int VALUE = 80;

    private Excerpt() {
    }

    /** The fix for a value that must be text: quote it (the message shows at most an excerpt of it). */
    public static String quoteFix(Object value) {
        return "quote the value in YAML (\"" + of(value) + "\")";
    }

    /** {@code value} for a message: at most {@link #VALUE} characters of it. */
    public static String of(Object value) {
        return of(value, VALUE);
    }

    public static String of(Object value, int max) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            StringBuilder out = new StringBuilder();
            render(value, out, max + 1);
            return out.length() > max ? cut(out.substring(0, max), max) + "…" : cut(out.toString(), max);
        }
        return cut(String.valueOf(value), max);
    }

    /** Maps and lists as {@code {k=v, ...}} and {@code [a, ...]}, stopping once {@code out} holds {@code budget} characters. */
    private static void render(Object value, StringBuilder out, int budget) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (out.length() >= budget) {
                    return;
                }
                out.append(out.charAt(out.length() - 1) == '{' ? "" : ", ");
                render(e.getKey(), out, budget);
                out.append('=');
                render(e.getValue(), out, budget);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (Object item : list) {
                if (out.length() >= budget) {
                    return;
                }
                out.append(out.charAt(out.length() - 1) == '[' ? "" : ", ");
                render(item, out, budget);
            }
            out.append(']');
        } else {
            String text = String.valueOf(value);
            out.append(text, 0, Math.min(text.length(), Math.max(0, budget - out.length())));
        }
    }

    /** {@code text} on one line, at most {@code max} characters of it, and how long it was when cut. */
    public static String cut(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 24);
        int shown = 0;
        int i = 0;
        while (i < text.length() && shown < max) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 || cp == 0x200e
                    || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
                // Also bidirectional overrides: they reorder what a reader sees.
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        if (i < text.length()) {
            out.append("… (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }
}
