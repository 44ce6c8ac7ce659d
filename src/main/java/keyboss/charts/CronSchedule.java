package keyboss.charts;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CronJob schedules and time zones as the API server accepts them. The server parses a schedule
 * with robfig/cron's standard parser: five fields (minute 0-59, hour 0-23, day of month 1-31,
 * month 1-12 or jan-dec, day of week 0-6 or sun-sat), each a comma list of {@code *}, {@code ?},
 * numbers, names, ranges {@code a-b} and steps {@code /n}; or a descriptor ({@code @yearly},
 * {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight},
 * {@code @hourly}, {@code @every <duration>}). {@code TZ=} in the schedule is refused (the
 * timeZone field replaces it); a timeZone must be an IANA zone name.
 */
final class CronSchedule {

    private record Bounds(int min, int max, Map<String, Integer> names) {
    }

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
            "fri", 5, "sat", 6);
    private static final List<Bounds> FIELDS = List.of(new Bounds(0, 59, Map.of()), new Bounds(0, 23, Map.of()),
            new Bounds(1, 31, Map.of()), new Bounds(1, 12, MONTHS), new Bounds(0, 6, DAYS));
    private static final List<String> FIELD_NAMES = List.of("minute", "hour", "day of month", "month", "day of week");
    private static final Set<String> DESCRIPTORS = Findings.setOf("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");
    private static final Pattern DURATION = Pattern.compile(
            "^[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$");
    private static final Pattern ZONE_PART = Pattern.compile("^[A-Za-z.\\-_0-9+]{1,14}$");

    private CronSchedule() {
    }

    /** Why the API server rejects {@code schedule}, or null when it parses. */
    static String problem(String schedule) {
        if (schedule == null || schedule.isEmpty()) {
            return "a schedule is required";
        }
        if (schedule.contains("TZ")) {
            return "TZ or CRON_TZ in the schedule is refused; set spec.timeZone instead";
        }
        if (schedule.startsWith("@")) {
            if (DESCRIPTORS.contains(schedule)) {
                return null;
            }
            if (schedule.startsWith("@every ")) {
                String duration = schedule.substring("@every ".length());
                return DURATION.matcher(duration).matches() ? null
                        : "'" + Names.shorten(duration) + "' is not a duration such as 1h30m, 15m or 90s";
            }
            return "unknown descriptor " + Names.shorten(schedule) + "; use @yearly, @monthly, @weekly, @daily, @hourly"
                    + " or @every <duration>";
        }
        // Go's strings.Fields: split on any Unicode white space.
        String[] fields = schedule.strip().split("[\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+");
        if (schedule.isBlank() || fields.length != 5) {
            return "a schedule has exactly 5 fields (minute hour day-of-month month day-of-week), found "
                    + (schedule.isBlank() ? 0 : fields.length);
        }
        for (int i = 0; i < 5; i++) {
            String problem = field(fields[i], FIELDS.get(i));
            if (problem != null) {
                return "the " + FIELD_NAMES.get(i) + " field '" + Names.shorten(fields[i]) + "': " + problem;
            }
        }
        return null;
    }

    private static String field(String field, Bounds b) {
        for (String expr : field.split(",")) {
            if (expr.isEmpty()) {
                continue; // Go's FieldsFunc drops empty parts
            }
            String problem = range(expr, b);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String range(String expr, Bounds b) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        long start;
        long end;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = b.min();
            end = b.max(); // robfig/cron ignores anything after "*-", so the server accepts it
        } else {
            Long low = number(lowAndHigh[0], b);
            if (low == null) {
                return "'" + lowAndHigh[0] + "' is not a number" + (b.names().isEmpty() ? "" : " or name");
            }
            start = low;
            if (lowAndHigh.length == 1) {
                end = start;
            } else if (lowAndHigh.length == 2) {
                Long high = number(lowAndHigh[1], b);
                if (high == null) {
                    return "'" + lowAndHigh[1] + "' is not a number" + (b.names().isEmpty() ? "" : " or name");
                }
                end = high;
            } else {
                return "too many hyphens";
            }
        }
        if (rangeAndStep.length > 2) {
            return "too many slashes";
        }
        if (rangeAndStep.length == 2) {
            Long step = number(rangeAndStep[1], new Bounds(0, 0, Map.of()));
            if (step == null) {
                return "'" + rangeAndStep[1] + "' is not a step";
            }
            if (step == 0) {
                return "a step is a positive number";
            }
            if (lowAndHigh.length == 1) {
                end = b.max();
            }
        }
        if (start < b.min()) {
            return "starts below the minimum " + b.min();
        }
        if (end > b.max()) {
            return "ends above the maximum " + b.max();
        }
        if (start > end) {
            return "the range starts after it ends";
        }
        return null;
    }

    /** A number as Go's strconv.Atoi reads it (optional sign, decimal digits), or a name of the field. */
    private static Long number(String text, Bounds b) {
        Integer named = b.names().get(text.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named.longValue();
        }
        if (!text.matches("[+-]?[0-9]{1,18}")) {
            return null;
        }
        long n = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        return n < 0 || n > Integer.MAX_VALUE ? null : n;
    }

    /** Why the API server rejects the CronJob timeZone {@code zone}, or null. */
    static String timeZoneProblem(String zone) {
        if (zone.isEmpty()) {
            return "timeZone is left out or names a zone; it is never empty";
        }
        for (String part : zone.split("/", -1)) {
            if (part.equals(".") || part.equals("..") || part.startsWith("-") || !ZONE_PART.matcher(part).matches()) {
                return "'" + Names.shorten(zone) + "' is not an IANA time zone name (such as Europe/Lisbon or UTC)";
            }
        }
        if (zone.equalsIgnoreCase("Local")) {
            return "timeZone must be an explicit zone, not Local";
        }
        if (!zone.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(zone)) {
            return "'" + Names.shorten(zone) + "' is not a known IANA time zone (such as Europe/Lisbon or UTC)";
        }
        return null;
    }
}
