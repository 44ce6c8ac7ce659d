package keyboss.charts.model;

import java.math.BigInteger;
import java.util.List;

/**
 * The problems of one object as the checks find them: where the object is (environment, file,
 * kind and name), and one call per problem naming the field, the value, the rule and the fix.
 * Also reads values the way the checks need them, tolerating the wrong types the schema check
 * reports on its own.
 */
public final class Findings {

    private final String where;
    private final List<Problem> out;

    public Findings(String where, List<Problem> out) {
        this.where = where;
        this.out = out;
    }

    /** The problems of {@code m} in {@code environment}, added to {@code out}. */
    public static Findings of(String environment, Manifest m, List<Problem> out) {
        return new Findings(environment + "/" + m.file() + " " + m.id(), out);
    }

    String where() {
        return where;
    }

    /** Records that {@code field} holds {@code value}, which breaks {@code rule}; {@code fix} says what to do. */
    public void add(String field, Object value, String rule, String fix) {
        out.add(new Problem(where, field, value instanceof String s ? Names.shorten(s) : value, rule, fix));
    }

    /** How many problems have been found so far (of every object sharing the list). */
    public int count() {
        return out.size();
    }

    /** {@code value} as a whole number, or null when it is none (absent, text, a fraction). */
    public static Long integer(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }

    /**
     * An unmodifiable set whose {@code contains(null)} is false (that of {@code Set.of} throws),
     * for the allowed values a field is compared with: the field may be absent.
     */
    public static java.util.Set<String> setOf(String... values) {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.Arrays.asList(values)));
    }

    /** {@code value} as text, or null. */
    static String string(Object value) {
        return value instanceof String s ? s : null;
    }

    /** Whether {@code value} is the boolean true. */
    public static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value);
    }
}
