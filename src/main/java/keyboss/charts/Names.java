package keyboss.charts;

import java.util.regex.Pattern;

/** The naming rules the Kubernetes API server enforces, as checks that explain themselves. */
public final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    /** Longest DNS label (RFC 1123). */
    public static final int MAX_LABEL = 63;

    private Names() {
    }

    /** Why {@code value} is not an RFC 1123 DNS label of at most {@value #MAX_LABEL} characters, or null. */
    public static String dnsLabelProblem(String value) {
        return dnsLabelProblem(value, MAX_LABEL);
    }

    /**
     * Why {@code value} is not a DNS label of at most {@code maxLength} characters, or null. A
     * shorter limit applies where Kubernetes appends to the name (StatefulSet pods add
     * {@code -N}, CronJobs add an 11-character job suffix).
     */
    public static String dnsLabelProblem(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "a name is required: lower-case letters, digits and '-', at most " + maxLength + " characters";
        }
        if (value.length() > maxLength) {
            return "'" + value + "' is " + value.length() + " characters long; at most " + maxLength
                    + " are allowed here. Use a shorter name";
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            return "'" + value + "' is not a DNS label: use lower-case letters, digits and '-', starting and ending"
                    + " with a letter or digit (for example " + suggestion(value) + ")";
        }
        return null;
    }

    /** Why {@code value} is not a DNS subdomain (dot-separated labels, at most 253 characters), or null. */
    public static String dnsSubdomainProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "a DNS name is required, such as keyboss.example";
        }
        if (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches()) {
            return "'" + value + "' is not a DNS name: dot-separated labels of lower-case letters, digits and '-'"
                    + " (for example keyboss.example)";
        }
        return null;
    }

    private static String suggestion(String value) {
        String s = value.toLowerCase().replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "keyboss" : s;
    }
}
