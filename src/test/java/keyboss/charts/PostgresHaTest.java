package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgresHA under faults, with real processes: the real API server, the members of dist/local
 * running real Patroni and PostgreSQL, the ServiceAccount token and Role from dist/, and writers
 * that record every acknowledged commit. Every scenario must lose no acknowledged commit and
 * never let two members accept writes at once; the scenarios themselves assert what must not
 * happen on the way (a stale standby promoted, an empty volume initialised, a promotion without
 * the lease). Failover times are bin/bench-ha's to report.
 */
class PostgresHaTest {

    private static KubeLab api;

    @BeforeAll
    static void startApiServer() {
        api = new KubeLab();
    }

    @AfterAll
    static void stopApiServer() {
        if (api != null) {
            api.close();
        }
    }

    private static void assertSafe(List<PgScenarios.Result> results, int expected) {
        assertEquals(expected, results.size(), results.toString());
        for (PgScenarios.Result r : results) {
            System.out.printf("postgres: %-38s RTO %6.1f s, lost %d, split-brain %d (%s)%n", r.scenario(), r.rtoMillis() / 1000.0,
                    r.lost(), r.splitBrain(), r.note());
            assertEquals(0, r.lost(), r.scenario() + ": acknowledged commits lost");
            assertEquals(0, r.splitBrain(), r.scenario() + ": commits acknowledged by two members at once");
            assertTrue(r.rtoMillis() > 0, r.toString());
        }
    }

    @Test
    void failoverRejoinSecondFailoverAndJointRestart() throws Exception {
        assertSafe(PgScenarios.failoverChain(api, s -> System.out.println("postgres scenario: " + s)), 4);
    }

    @Test
    void partitionsAndApiOutages() throws Exception {
        assertSafe(PgScenarios.partitionChain(api, s -> System.out.println("postgres scenario: " + s)), 4);
    }

    @Test
    void staleStandbyIsNotPromotedAndAnEmptyVolumeIsNotInitialised() throws Exception {
        assertSafe(PgScenarios.staleChain(api, s -> System.out.println("postgres scenario: " + s)), 2);
    }
}
