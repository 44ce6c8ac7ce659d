package keyboss.charts;

import keyboss.charts.data.BackupCronJob;
import keyboss.charts.data.BackupCronJobProps;
import keyboss.charts.data.BackupJobs;
import keyboss.charts.env.BackupRetention;
import keyboss.charts.data.BaseBackups;
import keyboss.charts.data.BaseBackupsProps;
import keyboss.charts.env.Environment;
import keyboss.charts.env.Images;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.model.Manifest;
import keyboss.charts.env.ObjectStorage;
import keyboss.charts.data.PgBackRest;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.PostgresHAProps;
import keyboss.charts.model.Problem;
import keyboss.charts.data.RestoreDrill;
import keyboss.charts.data.RestoreDrillProps;
import keyboss.charts.core.Scripts;
import keyboss.charts.model.SecretContract;
import keyboss.charts.data.ValkeyBackup;
import keyboss.charts.data.ValkeyBackupProps;

import static keyboss.charts.Fixtures.assertContainsAll;
import static keyboss.charts.Fixtures.container;
import static keyboss.charts.Fixtures.env;
import static keyboss.charts.Fixtures.find;
import static keyboss.charts.Fixtures.problemFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backup constructs as synthesized: schedules, where backups go, what each pod may reach. */
class BackupCronJobTest {

    private static List<Manifest> deti;

    @BeforeAll
    static void synth() {
        deti = Fixtures.builtIn("deti");
    }

    @Test
    void logicalDumpsGoEncryptedToTheObjectStoreDailyWithoutOverlap() {
        Manifest cron = find(deti, "CronJob", "postgres-backup");
        assertEquals("0 2 * * *", cron.at("spec.schedule"));
        assertEquals("Forbid", cron.at("spec.concurrencyPolicy"));
        Map<String, Object> c = container(cron, "containers", "backup");
        assertEquals(List.of("/scripts/backup.sh"), c.get("command"));
        assertEquals("28", env(c, "RETENTION_DAYS"));
        assertEquals("4", env(c, "RETENTION_MIN_COUNT"));
        assertEquals("keyboss/deti", env(c, "OBJECT_PREFIX"));
        assertEquals("s3.deti", env(c, "PGBACKREST_REPO1_S3_ENDPOINT"));
        assertEquals("y", env(c, "PGBACKREST_REPO1_STORAGE_VERIFY_TLS"));
        assertEquals("postgres-0.postgres-members:5432 postgres-1.postgres-members:5432", env(c, "PEERS"));
        assertTrue(cron.toString().contains("BACKUP_CIPHER_PASSPHRASE"), "the passphrase comes from the Secret");
        assertContainsAll(Scripts.read("backup/backup.sh"), "--format=custom", "object_put", "object_expire logical");
        assertContainsAll(Scripts.read("backup/restore.sh"), "--single-transaction", "--exit-on-error");
        assertTrue(deti.stream().noneMatch(m -> m.kind().equals("PersistentVolumeClaim") && m.name().contains("backup")),
                "no backup lives on a volume of the cluster");
        // The backup reads as the read-only role; the restores write as the database's owner.
        assertEquals("backup", env(c, "PGUSER"));
        assertEquals("saleor", env(container(find(deti, "Job", "postgres-restore"), "containers", "restore"), "PGUSER"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMemberArchivesWithinAMinuteAndServesItsFilesOverTls() throws Exception {
        Manifest sts = find(deti, "StatefulSet", "postgres");
        // Patroni starts PostgreSQL with patroni.yml's local parameters, on every member and every start.
        Map<String, Object> postgresql = (Map<String, Object>) PostgresHATest.patroniYml(deti).get("postgresql");
        Map<String, Object> parameters = (Map<String, Object>) postgresql.get("parameters");
        assertEquals("on", parameters.get("archive_mode"));
        assertEquals("60s", parameters.get("archive_timeout"));
        assertContainsAll((String) parameters.get("archive_command"), "pgbackrest --stanza=postgres archive-push %p",
                "stanza-create");
        assertEquals(Map.of("restore_command", "pgbackrest --stanza=postgres archive-get %f \"%p\""), postgresql.get("recovery_conf"));
        // A member whose data is gone is restored from the archive first, a copy of the leader second.
        assertEquals(List.of("pgbackrest", "basebackup"), postgresql.get("create_replica_methods"));
        assertContainsAll(((Map<String, Object>) postgresql.get("pgbackrest")).get("command").toString(),
                "pgbackrest --stanza=postgres", "restore --type=standby");
        Map<String, Object> pg = container(sts, "containers", "patroni");
        assertEquals("/keyboss/deti/pgbackrest", env(pg, "PGBACKREST_REPO1_PATH"));
        assertEquals("aes-256-cbc", env(pg, "PGBACKREST_REPO1_CIPHER_TYPE"));
        assertEquals("postgres", env(pg, "PGBACKREST_PG1_USER"), "the superuser, by peer through the shared socket");
        Map<String, Object> sidecar = container(sts, "containers", "pgbackrest");
        assertEquals(List.of("pgbackrest", "server"), sidecar.get("command"));
        assertEquals("pgbackrest=postgres", env(sidecar, "PGBACKREST_TLS_SERVER_AUTH"));
        assertEquals(PgBackRest.TLS_FILE, env(sidecar, "PGBACKREST_TLS_SERVER_KEY_FILE"));
        String volumes = sts.at("spec.template.spec.volumes").toString();
        assertContainsAll(volumes, "secretName=keyboss-secrets", "defaultMode=288", "emptyDir");
    }

    @Test
    void fullBackupsWeeklyDifferentialsDailyThroughTheMembersServers() {
        Manifest full = find(deti, "CronJob", "postgres-basebackup-full");
        Manifest diff = find(deti, "CronJob", "postgres-basebackup-diff");
        assertEquals("0 1 * * 0", full.at("spec.schedule"));
        assertEquals("0 1 * * 1-6", diff.at("spec.schedule"));
        Map<String, Object> c = container(diff, "containers", "backup");
        assertEquals("diff", env(c, "BACKUP_TYPE"));
        assertEquals("full", env(container(full, "containers", "backup"), "BACKUP_TYPE"));
        assertEquals("postgres-0.postgres-members", env(c, "PGBACKREST_PG1_HOST"));
        assertEquals("postgres-1.postgres-members", env(c, "PGBACKREST_PG2_HOST"));
        assertEquals("tls", env(c, "PGBACKREST_PG2_HOST_TYPE"));
        assertEquals("8432", env(c, "PGBACKREST_PG1_HOST_PORT"));
        assertEquals(Boolean.FALSE, full.at("spec.jobTemplate.spec.template.spec.automountServiceAccountToken"));
    }

    @Test
    void theDrillRunsWeeklyInItsOwnPodAndNeverReachesTheCluster() {
        Manifest drill = find(deti, "CronJob", "postgres-restore-drill");
        assertEquals("0 4 * * 3", drill.at("spec.schedule"));
        Map<String, Object> c = container(drill, "containers", "drill");
        assertEquals(List.of("/scripts/restore-drill.sh"), c.get("command"));
        assertFalse(c.toString().contains("PEERS") || c.toString().contains("PGBACKREST_PG1_HOST"), "the drill knows no member");
        assertFalse(c.toString().contains("POSTGRES_PASSWORD"), "nor a database password");
        assertTrue(drill.at("spec.jobTemplate.spec.template.spec.volumes").toString().contains("emptyDir"));
    }

    @Test
    void valkeySnapshotsHourlyFromTheMasterTheSentinelsName() {
        Manifest cron = find(deti, "CronJob", "valkey-backup");
        assertEquals("15 * * * *", cron.at("spec.schedule"));
        Map<String, Object> snapshot = container(cron, "initContainers", "snapshot");
        assertEquals(Images.VALKEY, snapshot.get("image"));
        assertEquals(List.of("/scripts/valkey-backup.sh", "snapshot"), snapshot.get("command"));
        assertEquals("mymaster", env(snapshot, "MASTER_NAME"));
        Map<String, Object> upload = container(cron, "containers", "upload");
        assertEquals(Images.POSTGRES, upload.get("image"));
        assertEquals("keyboss/deti", env(upload, "OBJECT_PREFIX"));
    }

    @Test
    void opsHoldRecoveryRestoreAndValkeyRestoreOnly() {
        Manifest pitr = find(deti, "Job", "postgres-pitr");
        Map<String, Object> c = container(pitr, "containers", "pitr");
        assertEquals("", env(c, "TARGET_TIME"));
        assertEquals("/restore/pgdata", env(c, "PGDATA"));
        assertTrue(pitr.at("spec.template.spec.volumes").toString().contains("claimName=postgres-pitr"));
        find(deti, "PersistentVolumeClaim", "postgres-pitr");
        for (int i = 0; i < 2; i++) {
            Manifest job = find(deti, "Job", "redis-restore-" + i);
            assertTrue(job.at("spec.template.spec.volumes").toString().contains("claimName=data-redis-" + i));
            assertTrue(job.file().startsWith("ops"), job.file());
        }
        assertEquals(0, find(deti, "Job", "postgres-restore").at("spec.backoffLimit"));
    }

    @Test
    void theSecretContractCarriesTheStoreCredentialsPassphraseAndCertificate() {
        SecretContract contract = KeybossChart.SECRETS;
        assertTrue(contract.keyNames().containsAll(List.of(PgBackRest.ACCESS_KEY, PgBackRest.SECRET_KEY,
                PgBackRest.CIPHER_KEY, PgBackRest.TLS_KEY)));
        SecretContract.Key tls = contract.keys().stream().filter(k -> k.name().equals(PgBackRest.TLS_KEY)).findFirst().orElseThrow();
        assertEquals(SecretContract.Generator.TLS_SELF_SIGNED, tls.generator());
        assertEquals(List.of("*.postgres-members"), tls.hostNames(), "valid for every member's name, postgres-N.postgres-members");
    }

    @Test
    void missingInputsBadSchedulesAndRetentionAreReportedTogether() {
        List<Problem> problems = Fixtures.problems(Environment.local(), c -> new BackupCronJob(c, "backup",
                BackupCronJobProps.builder().schedule("every day").retention(new BackupRetention(0, 0)).build()));
        assertContainsAll(problemFor(problems, "database").toString(), "[test/backup] database = (missing)", "PostgresHA");
        assertContainsAll(problemFor(problems, "schedule").toString(), "'every day'", "five fields", "0 2 * * *");
        assertContainsAll(problemFor(problems, "retention.days").toString(), "retention.days = 0", "from 1 to 3650");
        assertContainsAll(problemFor(problems, "retention.minCount").toString(), "from 1 to 1000");
        problems = Fixtures.problems(Environment.local(), c -> {
            new BaseBackups(c, "base", BaseBackupsProps.builder().diffSchedule("daily").build());
            new RestoreDrill(c, "drill", RestoreDrillProps.builder().build());
            new ValkeyBackup(c, "vk", ValkeyBackupProps.builder().build());
        });
        assertContainsAll(problemFor(problems, "diffSchedule").toString(), "'daily'", "0 1 * * 1-6");
        // The API server accepts the 30th of February, and the backup would never run.
        List<Problem> never = Fixtures.problems(Environment.local(), c -> new BackupCronJob(c, "backup", BackupCronJobProps.builder()
                .database(new PostgresHA(c, "postgres", PostgresHAProps.builder().build())).schedule("0 2 30 2 *").build()));
        assertContainsAll(problemFor(never, "schedule").toString(), "'0 2 30 2 *'", "runs at least twice", "0 2 * * *");
        assertContainsAll(problemFor(problems, "backups").toString(), "BaseBackups");
        assertContainsAll(problemFor(problems, "valkey").toString(), "ValkeySentinel");
        assertContainsAll(problemFor(problems, "secretName").toString(), "KeybossChart.SECRETS.name()");
    }

    @Test
    void detisStoreIsAMarkedPlaceholderAndLocalsIsNot() {
        assertTrue(Environment.deti().objectStorage().placeholder());
        assertContainsAll(Environment.deti().objectStorage().warning("deti"), "deti: objectStorage endpoint 's3.deti:443'",
                "bucket 'keyboss-backups'", "PLACEHOLDERS", "Environment.deti()");
        assertFalse(Environment.local().objectStorage().placeholder());
        assertEquals(null, Environment.local().objectStorage().warning("local"));
    }

    @Test
    void anEnvironmentWithoutAValidObjectStoreIsRefusedNamingEachValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Environment.local().toBuilder()
                .objectStorage(null).build());
        assertContainsAll(e.getMessage(), "objectStorage is required", "ObjectStorage(");
        e = assertThrows(IllegalArgumentException.class, () -> Environment.local().toBuilder()
                .objectStorage(new ObjectStorage("https://s3", 0, "UP", "/lead", "eu west", null, true)).build());
        assertContainsAll(e.getMessage(), "objectStorage.endpoint", "objectStorage.port = 0", "objectStorage.bucket = 'UP'",
                "objectStorage.prefix = '/lead'", "objectStorage.region = 'eu west'", "objectStorage.uriStyle is required");
    }

    @Test
    void alertsKnowTheLongestGapEachScheduleAllows() {
        assertEquals(86400, BackupJobs.maxIntervalSeconds("0 2 * * *"));
        assertEquals(3600, BackupJobs.maxIntervalSeconds("15 * * * *"));
        assertEquals(6 * 3600, BackupJobs.maxIntervalSeconds("0 */6 * * *"));
        assertEquals(7 * 86400, BackupJobs.maxIntervalSeconds("0 4 * * 3"));
        assertEquals(7 * 86400, BackupJobs.maxIntervalSeconds("@weekly"));
        // Monthly: 31 days at most (January to February, for example), never the old 7.
        assertEquals(31 * 86400, BackupJobs.maxIntervalSeconds("0 3 1 * *"));
        assertEquals(31 * 86400, BackupJobs.maxIntervalSeconds("@monthly"));
        // The 31st exists in 7 months: August to October 31 is 61 days.
        assertEquals(61 * 86400, BackupJobs.maxIntervalSeconds("0 0 31 * *"));
        // Weekdays: Friday to Monday.
        assertEquals(3 * 86400, BackupJobs.maxIntervalSeconds("0 2 * * 1-5"));
        // Both day fields named: robfig runs on either (the 1st, or any Sunday), so at most 7 days.
        assertEquals(7 * 86400, BackupJobs.maxIntervalSeconds("0 0 1 * 0"));
        // A star-step day of month is not a star: the 1st, 3rd, ... or Sunday; 31st to 1st, or 29th/31st to 1st.
        assertEquals(2 * 86400, BackupJobs.maxIntervalSeconds("0 0 */2 * 0"));
        // Twice a day at uneven hours: 02:00 to 20:00 is the longer gap.
        assertEquals(18 * 3600, BackupJobs.maxIntervalSeconds("0 2,20 * * *"));
        // The 29th of February: four years, eight when a century year skips it, and 2100 is outside the search.
        assertEquals((365 * 3 + 366) * 86400L, BackupJobs.maxIntervalSeconds("0 0 29 2 *"));
        assertEquals(366 * 86400, BackupJobs.maxIntervalSeconds("@yearly"));
        assertEquals(5400, BackupJobs.maxIntervalSeconds("@every 1h30m"));
        // Together: a monthly full and weekday differentials leave the weekend.
        assertEquals(3 * 86400, BackupJobs.maxIntervalSeconds("0 1 1 * *", "0 1 * * 1-5"));
        // Full on Sunday and differentials Monday to Saturday at the same time: one base backup a day.
        assertEquals(86400, Fixtures.builtInChart("deti").baseBackups().maxIntervalSeconds());
    }
}
