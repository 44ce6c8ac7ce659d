package keyboss.charts;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.container;
import static keyboss.charts.Fixtures.env;
import static keyboss.charts.Fixtures.find;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BackupCronJobTest {

    private static List<Manifest> deti;

    @BeforeAll
    static void synth() {
        deti = Fixtures.synth(Environment.deti(), c -> {
            PostgresHA db = new PostgresHA(c, "postgres", PostgresHAProps.builder().build());
            BackupCronJob backup = new BackupCronJob(c, "backup", BackupCronJobProps.builder().database(db).build());
            backup.addRestoreJob(c, "restore");
            backup.addRestoreTestJob(c, "restore-test");
        });
    }

    @Test
    void dailyAtTwoWithoutOverlap() {
        Manifest cron = find(deti, "CronJob", "postgres-backup");
        assertEquals("0 2 * * *", cron.at("spec.schedule"));
        assertEquals("Forbid", cron.at("spec.concurrencyPolicy"));
        assertEquals(7, cron.at("spec.successfulJobsHistoryLimit"));
        Map<String, Object> c = container(cron, "containers", "backup");
        assertEquals(List.of("/scripts/backup.sh"), c.get("command"));
        assertEquals("7", env(c, "KEEP"));
        assertEquals("postgres-0.postgres-members:5432 postgres-1.postgres-members:5432", env(c, "PEERS"));
        assertEquals("/backups", env(c, "BACKUP_DIR"));
        // The backup reads as the read-only role; the restores write as the database's owner.
        assertEquals("backup", env(c, "PGUSER"));
        assertEquals("saleor", env(container(find(deti, "Job", "postgres-restore"), "containers", "restore"), "PGUSER"));
        assertContainsAll(Scripts.read("backup/backup.sh"), "pg_dump", "| gzip", "gzip -t", "tail -n +\"$((KEEP + 1))\"");
    }

    @Test
    void backupsLiveOnTheirOwnClaim() {
        Manifest claim = find(deti, "PersistentVolumeClaim", "postgres-backups");
        assertEquals("longhorn", claim.at("spec.storageClassName"));
        assertEquals("1Gi", claim.at("spec.resources.requests.storage"));
        Manifest cron = find(deti, "CronJob", "postgres-backup");
        Object volumes = cron.at("spec.jobTemplate.spec.template.spec.volumes");
        assertTrue(volumes.toString().contains("claimName=postgres-backups"), volumes.toString());
    }

    @Test
    void restoreAndRestoreTestJobsRunTheShippedScripts() {
        Manifest restore = find(deti, "Job", "postgres-restore");
        assertEquals(List.of("/scripts/restore.sh"), container(restore, "containers", "restore").get("command"));
        assertEquals(0, restore.at("spec.backoffLimit"));
        Manifest test = find(deti, "Job", "postgres-restore-test");
        assertEquals(List.of("/scripts/restore-test.sh"), container(test, "containers", "restore-test").get("command"));
        Map<?, ?> data = (Map<?, ?>) find(deti, "ConfigMap", "postgres-backup-scripts").object().get("data");
        assertEquals(Scripts.read("backup/restore.sh"), data.get("restore.sh"));
        assertEquals(Scripts.read("backup/restore-test.sh"), data.get("restore-test.sh"));
    }

    @Test
    void missingDatabaseBadScheduleAndRetentionAreReportedTogether() {
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new BackupCronJob(c, "backup",
                BackupCronJobProps.builder().schedule("every day").keep(0).build()));
        assertContainsAll(problemFor(problems, "database").toString(), "[test/backup] database = (missing)",
                "PostgresHA");
        assertContainsAll(problemFor(problems, "schedule").toString(), "'every day'", "five fields", "0 2 * * *");
        assertContainsAll(problemFor(problems, "keep").toString(), "keep = 0", "from 1 to 365");
    }

    @Test
    void cronJobNameLeavesRoomForTheJobSuffix() {
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new BackupCronJob(c, "backup",
                BackupCronJobProps.builder().database(new PostgresHA(c, "db", PostgresHAProps.builder().build()))
                        .name("b".repeat(53)).build()));
        assertContainsAll(problemFor(problems, "name").toString(), "at most 52", "11-character suffix");
    }
}
