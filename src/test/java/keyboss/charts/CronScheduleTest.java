package keyboss.charts;

import keyboss.charts.model.CronSchedule;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Schedules and time zones as the API server's parser (robfig/cron, standard) accepts or refuses them. */
class CronScheduleTest {

    @Test
    void acceptsWhatTheStandardParserAccepts() {
        for (String schedule : List.of("0 2 * * *", "*/15 * * * *", "0 0 1 jan *", "0 9 * * MON-FRI", "0 0 * * sun,sat",
                "5,10-20/5 0-23/2 1-31 1-12 0-6", "? * * * ?", "@daily", "@midnight", "@hourly", "@weekly", "@monthly",
                "@yearly", "@annually", "@every 1h30m", "@every 90s", "@every 1.5h", "0  2 *   *  *", " 0 2 * * * ",
                "+5 * * * *", "*-5 * * * *", "1,,2 * * * *")) {
            assertNull(CronSchedule.problem(schedule), schedule);
        }
    }

    @Test
    void refusesWhatTheParserRefuses() {
        for (String[] c : new String[][] {
                {"0 2 * *", "exactly 5 fields"}, {"0 0 2 * * *", "exactly 5 fields"}, {"", "required"}, {"   ", "exactly 5"},
                {"60 * * * *", "above the maximum 59"}, {"* 24 * * *", "above the maximum 23"},
                {"* * 0 * *", "below the minimum 1"}, {"* * 32 * *", "above the maximum 31"},
                {"* * * 13 *", "above the maximum 12"}, {"* * * * 7", "above the maximum 6"},
                {"*/0 * * * *", "positive"}, {"5-1 * * * *", "starts after it ends"}, {"1-2-3 * * * *", "too many hyphens"},
                {"*/5/2 * * * *", "too many slashes"}, {"a * * * *", "not a number"}, {"* * * foo *", "not a number or name"},
                {"-5 * * * *", "not a number"}, {"*/-2 * * * *", "not a step"}, {"@weekday", "unknown descriptor"},
                {"@every 1x", "not a duration"}, {"@every", "unknown descriptor"}, {"@daily ", "unknown descriptor"},
                {"TZ=UTC 0 2 * * *", "timeZone"}, {"CRON_TZ=Europe/Lisbon 0 2 * * *", "timeZone"}}) {
            String problem = CronSchedule.problem(c[0]);
            assertNotNull(problem, c[0]);
            assertTrue(problem.contains(c[1]), c[0] + ": " + problem);
        }
    }

    @Test
    void timeZonesAreIanaNames() {
        for (String zone : List.of("UTC", "Etc/UTC", "Europe/Lisbon", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
                "Etc/GMT+3")) {
            assertNull(CronSchedule.timeZoneProblem(zone), zone);
        }
        for (String zone : List.of("", "Local", "local", "Europe/Nowhere", "Lisbon", "Europe//Lisbon", "/UTC", "Europe/../UTC",
                "Europe/Lisbon Time", "-UTC")) {
            assertNotNull(CronSchedule.timeZoneProblem(zone), zone);
        }
    }
}
