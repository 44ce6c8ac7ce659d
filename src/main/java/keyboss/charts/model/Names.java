package keyboss.charts.model;

import java.util.List;
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

    // The API server's own formats (k8s.io/apimachinery/pkg/util/validation), for checks of any manifest.
    private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
    private static final Pattern CONFIG_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("^[-a-z0-9]+$");
    private static final Pattern WILDCARD_SUBDOMAIN = Pattern.compile("^\\*\\." + DNS_SUBDOMAIN.pattern().substring(1));

    /** Longest DNS subdomain (RFC 1123). */
    public static final int MAX_SUBDOMAIN = 253;

    /** Whether {@code value} is an RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters. */
    public static boolean isDnsLabel(String value) {
        return value != null && value.length() <= MAX_LABEL && DNS_LABEL.matcher(value).matches();
    }

    /** Whether {@code value} is an RFC 1123 subdomain: dot-separated labels, at most 253 characters. */
    public static boolean isDnsSubdomain(String value) {
        return value != null && value.length() <= MAX_SUBDOMAIN && DNS_SUBDOMAIN.matcher(value).matches();
    }

    /** Whether {@code value} is a DNS-1035 label: a label that starts with a letter (Service names). */
    public static boolean isDns1035Label(String value) {
        return value != null && value.length() <= MAX_LABEL && DNS_1035_LABEL.matcher(value).matches();
    }

    /** Whether {@code value} is a wildcard DNS name such as {@code *.example.com}. */
    public static boolean isWildcardSubdomain(String value) {
        return value != null && value.length() <= MAX_SUBDOMAIN && WILDCARD_SUBDOMAIN.matcher(value).matches();
    }

    /**
     * Why {@code value} is not a qualified name (a label or annotation key: an optional DNS
     * subdomain prefix and '/', then a name of at most 63 alphanumerics, '-', '_' and '.'
     * starting and ending with an alphanumeric), or null.
     */
    public static String qualifiedNameProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "a name is required";
        }
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                return "the prefix before '/' must not be empty";
            }
            if (!isDnsSubdomain(prefix)) {
                return "the prefix '" + shorten(prefix) + "' must be a DNS subdomain (lower-case, at most 253 characters)";
            }
        } else {
            return "a qualified name has at most one '/' (prefix/name)";
        }
        if (name.isEmpty()) {
            return "the name part must not be empty";
        }
        if (name.length() > MAX_LABEL) {
            return "the name part is " + name.length() + " characters long; at most 63 are allowed";
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            return "the name part must consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric";
        }
        return null;
    }

    /** Why {@code value} is not a label value (empty, or at most 63 alphanumerics, '-', '_', '.' starting and ending alphanumeric), or null. */
    public static String labelValueProblem(String value) {
        if (value == null) {
            return "a label value must be a string";
        }
        if (value.length() > MAX_LABEL) {
            return "a label value is at most 63 characters; this one has " + value.length();
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            return "a label value must be empty or consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
        }
        return null;
    }

    /**
     * Why {@code value} is not a named port (IANA_SVC_NAME: at most 15 lower-case alphanumerics
     * and '-', at least one letter, no '--', not starting or ending with '-'), or null.
     */
    public static String portNameProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "a port name must not be empty";
        }
        List<String> problems = new java.util.ArrayList<>();
        if (value.length() > 15) {
            problems.add("at most 15 characters (this one has " + value.length() + ")");
        }
        if (!PORT_NAME_CHARS.matcher(value).matches()) {
            problems.add("only lower-case letters, digits and '-'");
        }
        if (value.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            problems.add("at least one letter");
        }
        if (value.contains("--")) {
            problems.add("no consecutive '-'");
        }
        if (value.startsWith("-") || value.endsWith("-")) {
            problems.add("no '-' at the start or end");
        }
        return problems.isEmpty() ? null : "a port name needs " + String.join(", ", problems);
    }

    /** Why {@code value} is not a ConfigMap or Secret key (alphanumerics, '-', '_', '.', at most 253, not '.' or '..'-prefixed), or null. */
    public static String configKeyProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "a key must not be empty";
        }
        if (value.length() > MAX_SUBDOMAIN) {
            return "a key is at most 253 characters";
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            return "a key consists of alphanumerics, '-', '_' or '.'";
        }
        if (value.equals(".") || value.equals("..") || value.startsWith("..")) {
            return "a key must not be '.' or '..' nor start with '..'";
        }
        return null;
    }

    /** Why {@code value} is not an environment variable name (printable ASCII except '=', Kubernetes 1.32+), or null. */
    public static String envVarNameProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "a variable name must not be empty";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '=') {
                return "a variable name consists of printable ASCII characters other than '='";
            }
        }
        return null;
    }

    /** Why {@code value} cannot be a URL path segment (RBAC and autoscaler names: not '.' or '..', no '/' or '%'), or null. */
    public static String pathSegmentProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "a name is required";
        }
        if (value.equals(".") || value.equals("..")) {
            return "a name may not be '" + value + "'";
        }
        if (value.contains("/") || value.contains("%")) {
            return "a name may not contain '/' or '%'";
        }
        return null;
    }

    /** A value cut short for a message, so no message repeats a whole file. */
    static String shorten(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }

    private static String suggestion(String value) {
        String s = value.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "keyboss" : s;
    }
}
