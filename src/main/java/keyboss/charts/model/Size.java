package keyboss.charts.model;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A storage size in Kubernetes quantity notation ({@code 512Mi}, {@code 1Gi}, {@code 10G}),
 * kept as text for the manifest and as bytes for comparison against an environment's cap.
 */
public record Size(String quantity, BigDecimal bytes) implements Comparable<Size> {

    private static final Pattern QUANTITY = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$");
    private static final Map<String, BigDecimal> SUFFIX = Map.of(
            "Ki", BigDecimal.valueOf(1L << 10), "Mi", BigDecimal.valueOf(1L << 20),
            "Gi", BigDecimal.valueOf(1L << 30), "Ti", BigDecimal.valueOf(1L << 40),
            "Pi", BigDecimal.valueOf(1L << 50), "k", BigDecimal.valueOf(1_000L),
            "M", BigDecimal.valueOf(1_000_000L), "G", BigDecimal.valueOf(1_000_000_000L),
            "T", BigDecimal.valueOf(1_000_000_000_000L), "P", BigDecimal.valueOf(1_000_000_000_000_000L));

    /** Parses a quantity such as {@code 1Gi}; throws {@link IllegalArgumentException} naming the allowed form. */
    public static Size parse(String quantity) {
        if (quantity == null) {
            throw new IllegalArgumentException("size is missing; expected a quantity such as 1Gi or 512Mi");
        }
        Matcher m = QUANTITY.matcher(quantity.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + quantity + "' is not a storage quantity; expected a number with an"
                    + " optional suffix Ki, Mi, Gi, Ti, Pi, k, M, G, T or P (for example 1Gi or 512Mi)");
        }
        BigDecimal unit = m.group(2) == null ? BigDecimal.ONE : SUFFIX.get(m.group(2));
        return new Size(quantity.trim(), new BigDecimal(m.group(1)).multiply(unit));
    }

    public static Size gi(int gibibytes) {
        return parse(gibibytes + "Gi");
    }

    public static Size mi(int mebibytes) {
        return parse(mebibytes + "Mi");
    }

    /** This size and {@code other} together, in Mi when that is exact, otherwise in bytes. */
    public Size plus(Size other) {
        BigDecimal total = bytes.add(other.bytes);
        BigDecimal mi = BigDecimal.valueOf(1L << 20);
        BigDecimal[] division = total.divideAndRemainder(mi);
        return division[1].signum() == 0 ? parse(division[0].toBigInteger() + "Mi") : parse(total.toBigInteger().toString());
    }

    /** Whether this is zero bytes ({@code 0}, {@code 0Gi}, ...). */
    public boolean isZero() {
        return bytes.signum() == 0;
    }

    public boolean isGreaterThan(Size other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Size other) {
        return bytes.compareTo(other.bytes);
    }

    @Override
    public String toString() {
        return quantity;
    }
}
