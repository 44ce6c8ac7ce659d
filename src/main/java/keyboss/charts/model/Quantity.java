package keyboss.charts.model;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 250m}, {@code 1.5Gi}, {@code 2e3}), parsed the way the
 * API server parses one, so that offline checks can compare requests with limits and reject
 * what the server rejects.
 */
public record Quantity(String text, BigDecimal value) implements Comparable<Quantity> {

    private static final Pattern FORMAT = Pattern.compile(
            "^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");
    private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(2).pow(10)), Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
            Map.entry("Gi", BigDecimal.valueOf(2).pow(30)), Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
            Map.entry("Pi", BigDecimal.valueOf(2).pow(50)), Map.entry("Ei", BigDecimal.valueOf(2).pow(60)),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")));

    /** The quantity in {@code raw} (a string or a YAML number), or null when it is not one. */
    public static Quantity parse(Object raw) {
        if (raw instanceof Number n) {
            return new Quantity(String.valueOf(n), new BigDecimal(String.valueOf(n)));
        }
        if (!(raw instanceof String text)) {
            return null;
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches() || text.length() > 100) {
            return null;
        }
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return new Quantity(text, number);
        }
        if (suffix.startsWith("e") || suffix.startsWith("E")) {
            int exponent;
            try {
                exponent = Integer.parseInt(suffix.substring(1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (Math.abs(exponent) > 1000) {
                return null;
            }
            return new Quantity(text, number.scaleByPowerOfTen(exponent));
        }
        return new Quantity(text, number.multiply(SUFFIX.get(suffix)));
    }

    /** The form the messages quote. */
    public static final String FORMAT_HELP = "a quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti"
            + " (for example 250m, 1, 512Mi, 2Gi)";

    public int signum() {
        return value.signum();
    }

    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return text;
    }
}
