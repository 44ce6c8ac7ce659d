package keyboss.charts.core;

import keyboss.charts.env.BackupRetention;
import keyboss.charts.env.Environment;
import keyboss.charts.model.ImageRef;
import keyboss.charts.model.Names;
import keyboss.charts.model.Size;

import software.constructs.IConstruct;

/** Input checks shared by the constructs; each reports to {@link Problems} and returns whether the value is usable. */
public final class Checks {

    private Checks() {
    }

    /** {@code value} must be set. */
    public static boolean required(IConstruct scope, String property, Object value, String example) {
        if (value == null) {
            Problems.report(scope, property, "(missing)", "this property is required",
                    "set " + property + " on the props builder, for example " + example);
            return false;
        }
        return true;
    }

    /** {@code value} must be a DNS label of at most {@code maxLength} characters. */
    public static boolean dnsLabel(IConstruct scope, String property, String value, int maxLength, String why) {
        String problem = Names.dnsLabelProblem(value, maxLength);
        if (problem != null) {
            Problems.report(scope, property, value == null ? "(missing)" : "'" + value + "'",
                    "a DNS label of lower-case letters, digits and '-', at most " + maxLength + " characters" + why,
                    problem);
            return false;
        }
        return true;
    }

    /** Sentinel master names: the characters Valkey's configuration format allows in a name. */
    public static final java.util.regex.Pattern SENTINEL_NAME = java.util.regex.Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    /** PostgreSQL names written unquoted into SQL, pg_hba.conf and connection URLs. */
    public static final java.util.regex.Pattern SQL_NAME = java.util.regex.Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
    /** Keys of a Secret or ConfigMap, as the API server admits them. */
    public static final java.util.regex.Pattern DATA_KEY = java.util.regex.Pattern.compile("^[-._a-zA-Z0-9]{1,253}$");

    /**
     * {@code value} is written into a configuration file, a script or a URL, so it must match
     * {@code format}, described by {@code allowed}.
     */
    public static boolean format(IConstruct scope, String property, String value, java.util.regex.Pattern format,
            String allowed, String example) {
        if (value == null) {
            return required(scope, property, null, example);
        }
        if (!format.matcher(value).matches()) {
            Problems.report(scope, property, "'" + value + "'", allowed,
                    "use a name such as " + example);
            return false;
        }
        return true;
    }

    /** {@code value} must lie in {@code [min, max]}. */
    public static boolean between(IConstruct scope, String property, int value, int min, int max, String why, String fix) {
        if (value < min || value > max) {
            String allowed = min == max ? "exactly " + min : max == Integer.MAX_VALUE ? "at least " + min
                    : "from " + min + " to " + max;
            Problems.report(scope, property, value, allowed + " " + why, fix);
            return false;
        }
        return true;
    }

    /** The claim size to use: {@code requested}, or the environment's default; reported when above the cap. */
    public static Size storage(IConstruct scope, String property, Size requested, Environment environment) {
        Size size = requested == null ? environment.defaultVolumeSize() : requested;
        volume(scope, property, size, environment);
        return size;
    }

    /** A volume claim must hold something and fit under the environment's cap. */
    static boolean volume(IConstruct scope, String property, Size size, Environment environment) {
        if (size.isZero()) {
            Problems.report(scope, property, size, "a size above zero (the API server rejects an empty claim)",
                    "request a size such as " + environment.defaultVolumeSize() + " (or leave " + property
                            + " unset to use the environment's default)");
            return false;
        }
        if (!environment.admitsVolume(size)) {
            Problems.report(scope, property, size,
                    "environment '" + environment.name() + "' admits volume claims up to " + environment.maxVolumeSize(),
                    "request at most " + environment.maxVolumeSize() + " (or leave " + property
                            + " unset to use the environment's default, " + environment.defaultVolumeSize() + ")");
            return false;
        }
        return true;
    }

    /** A URL path served by a component: it must start and end with '/'. */
    public static boolean path(IConstruct scope, String property, String path) {
        if (path == null || !path.startsWith("/") || !path.endsWith("/") || path.contains("//") || path.contains(" ")) {
            Problems.report(scope, property, path == null ? "(missing)" : "'" + path + "'",
                    "a path that starts and ends with '/' (the app serves everything below it)",
                    "write it as /" + (path == null ? "path" : path.replaceAll("^/+|/+$", "")) + "/");
            return false;
        }
        return true;
    }

    /** An image must be pinned. */
    public static boolean image(IConstruct scope, String property, ImageRef image) {
        if (image == null) {
            Problems.report(scope, property, "(missing)", "a pinned image reference is required",
                    "set " + property + " in the environment's Images");
            return false;
        }
        return true;
    }

    /** Reports a retention outside 1 to 3650 days or 1 to 1000 backups kept. */
    public static void retention(IConstruct scope, String property, BackupRetention retention) {
        between(scope, property + ".days", retention.days(), 1, 3650, "days a backup is kept", "use 28, or leave it unset");
        between(scope, property + ".minCount", retention.minCount(), 1, 1000, "backups of each kind always kept",
                "use 4, or leave it unset");
    }
}
