package keyboss.charts.model;

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
public final class CronSchedule {

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
    /** Go's strings.Fields: fields are separated by any Unicode white space. */
    private static final String FIELD_SEPARATOR =
            "[\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+";
    private static final Pattern ZONE_PART = Pattern.compile("^[A-Za-z.\\-_0-9+]{1,14}$");

    private CronSchedule() {
    }

    /** Why the API server rejects {@code schedule}, or null when it parses. */
    public static String problem(String schedule) {
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
        String[] fields = schedule.strip().split(FIELD_SEPARATOR);
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

    /** The descriptors as the five fields robfig/cron expands them to. */
    private static final Map<String, String> DESCRIPTOR_FIELDS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    /**
     * The days the longest gap is searched over: 2000-01-01 to 2036-12-31. Weekdays and leap years
     * repeat every 28 years between 1901 and 2099, and a schedule runs at least once in any 8
     * years (29 February included), so 37 years see every gap it can have.
     */
    private static final java.time.LocalDate GAP_SEARCH_FROM = java.time.LocalDate.of(2000, 1, 1);
    private static final java.time.LocalDate GAP_SEARCH_TO = java.time.LocalDate.of(2036, 12, 31);

    /** One schedule's fields as robfig/cron's standard parser expands them. */
    private record Expanded(boolean[] minutes, boolean[] hours, boolean[] daysOfMonth, boolean[] months,
            boolean[] daysOfWeek, boolean dayOfMonthStar, boolean dayOfWeekStar) {

        /** Whether the schedule runs on {@code day}: robfig ORs the day fields unless either is a star. */
        boolean runsOn(java.time.LocalDate day) {
            if (!months[day.getMonthValue()]) {
                return false;
            }
            boolean dom = daysOfMonth[day.getDayOfMonth()];
            boolean dow = daysOfWeek[day.getDayOfWeek().getValue() % 7];
            return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
        }

        /** The minutes of the day it runs at, ascending. */
        int[] timesOfDay() {
            List<Integer> times = new java.util.ArrayList<>();
            for (int h = 0; h < 24; h++) {
                for (int m = 0; m < 60; m++) {
                    if (hours[h] && minutes[m]) {
                        times.add(h * 60 + m);
                    }
                }
            }
            return times.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * The longest time, in seconds, between two consecutive runs of {@code schedules} taken
     * together (a run of any of them counts): what a "the last success is too old" alert must
     * wait for before it can say a run was missed. Wall-clock time, as in UTC: where a CronJob
     * has a time zone, a daylight-saving change can lengthen a gap by an hour, which the
     * alert's margin covers. An {@code @every} schedule runs from whenever the controller first
     * saw it, so it bounds the gap by its period rather than adding exact runs. Empty when a
     * schedule does not parse ({@link #problem}) or the schedules together do not run twice.
     */
    public static java.util.OptionalLong longestGapSeconds(List<String> schedules) {
        List<Expanded> crons = new java.util.ArrayList<>();
        long every = Long.MAX_VALUE;
        for (String schedule : schedules) {
            if (problem(schedule) != null) {
                return java.util.OptionalLong.empty();
            }
            if (schedule.startsWith("@every ")) {
                every = Math.min(every, durationSeconds(schedule.substring("@every ".length())));
            } else {
                crons.add(expand(DESCRIPTOR_FIELDS.getOrDefault(schedule, schedule)));
            }
        }
        long longest = -1;
        long last = -1;
        List<int[]> times = crons.stream().map(Expanded::timesOfDay).toList();
        for (java.time.LocalDate day = GAP_SEARCH_FROM; !day.isAfter(GAP_SEARCH_TO); day = day.plusDays(1)) {
            java.util.BitSet today = new java.util.BitSet(1440);
            for (int i = 0; i < crons.size(); i++) {
                if (crons.get(i).runsOn(day)) {
                    for (int t : times.get(i)) {
                        today.set(t);
                    }
                }
            }
            long dayStart = day.toEpochDay() * 86400;
            for (int t = today.nextSetBit(0); t >= 0; t = today.nextSetBit(t + 1)) {
                long run = dayStart + t * 60L;
                if (last >= 0) {
                    longest = Math.max(longest, run - last);
                }
                last = run;
            }
        }
        if (every != Long.MAX_VALUE) {
            return java.util.OptionalLong.of(longest < 0 ? every : Math.min(longest, every));
        }
        return longest < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(longest);
    }

    private static Expanded expand(String schedule) {
        String[] fields = schedule.strip().split(FIELD_SEPARATOR);
        boolean[][] sets = new boolean[5][];
        boolean[] star = new boolean[5];
        for (int i = 0; i < 5; i++) {
            Bounds b = FIELDS.get(i);
            sets[i] = new boolean[b.max() + 1];
            star[i] = true;
            boolean any = false;
            for (String expr : fields[i].split(",")) {
                if (expr.isEmpty()) {
                    continue;
                }
                any = true;
                String[] rangeAndStep = expr.split("/", -1);
                String[] lowAndHigh = rangeAndStep[0].split("-", -1);
                long start;
                long end;
                // robfig marks a bare * or ? (or one with step 1) as a star: it matters only for the day fields.
                boolean isStar = lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?");
                if (isStar) {
                    start = b.min();
                    end = b.max();
                } else {
                    start = number(lowAndHigh[0], b);
                    end = lowAndHigh.length == 2 ? number(lowAndHigh[1], b) : start;
                }
                long step = 1;
                if (rangeAndStep.length == 2) {
                    step = number(rangeAndStep[1], new Bounds(0, 0, Map.of()));
                    if (lowAndHigh.length == 1) {
                        end = b.max();
                    }
                    if (step > 1) {
                        isStar = false;
                    }
                }
                star[i] &= isStar;
                for (long v = start; v <= end; v += step) {
                    sets[i][(int) v] = true;
                }
            }
            star[i] &= any;
        }
        return new Expanded(sets[0], sets[1], sets[2], sets[3], sets[4], star[2], star[4]);
    }

    /** A Go duration (as {@link #DURATION} accepts it) in whole seconds, at least one. */
    private static long durationSeconds(String duration) {
        java.util.regex.Matcher m = Pattern.compile("([0-9]*\\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)").matcher(duration);
        double seconds = 0;
        while (m.find()) {
            double value = Double.parseDouble(m.group(1));
            seconds += value * switch (m.group(2)) {
                case "h" -> 3600;
                case "m" -> 60;
                case "s" -> 1;
                case "ms" -> 1e-3;
                case "us", "µs", "μs" -> 1e-6;
                default -> 1e-9;
            };
        }
        return Math.max(1, (long) Math.ceil(seconds));
    }

    /** Why the API server rejects the CronJob timeZone {@code zone}, or null. */
    public static String timeZoneProblem(String zone) {
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
