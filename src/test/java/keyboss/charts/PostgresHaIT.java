package keyboss.charts;

import keyboss.charts.lab.BackupLab;
import keyboss.charts.lab.KubeLab;
import keyboss.charts.lab.PgScenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
class PostgresHaIT {

    private static KubeLab api;
    private static BackupLab store;
    /** The members archive to a real S3 store (s3proxy), as they do in production. */
    private static Map<String, String> repository;

    @BeforeAll
    static void startApiServerAndStore() {
        api = new KubeLab();
        store = new BackupLab("ha-store").up();
        Map<String, String> r = new HashMap<>(store.store("members"));
        r.remove("PGBACKREST_LOCK_PATH"); // the members' own lock folder, as in a pod
        repository = Map.copyOf(r);
    }

    @AfterAll
    static void stopApiServerAndStore() {
        if (store != null) {
            store.close();
        }
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
        assertSafe(PgScenarios.failoverChain(api, repository, s -> System.out.println("postgres scenario: " + s)), 4);
    }

    @Test
    void partitionsAndApiOutages() throws Exception {
        assertSafe(PgScenarios.partitionChain(api, repository, s -> System.out.println("postgres scenario: " + s)), 4);
    }

    @Test
    void staleStandbyIsNotPromotedAndAnEmptyVolumeIsNotInitialised() throws Exception {
        assertSafe(PgScenarios.staleChain(api, repository, s -> System.out.println("postgres scenario: " + s)), 2);
    }
}
