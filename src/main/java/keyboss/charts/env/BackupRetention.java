package keyboss.charts.env;

/**
 * How long backups are kept, by age and by count, the same for every kind: pgBackRest's full
 * backups (with their differentials and the WAL they need), logical dumps and Valkey snapshots.
 * A backup is deleted only when it is older than {@code days} AND not among the newest
 * {@code minCount} of its kind, so a long run of failed backups never deletes the last good
 * ones. Point-in-time recovery reaches back {@code days}.
 *
 * @param days     age limit in days, 1 to 3650.
 * @param minCount backups of each kind always kept, 1 to 1000.
 */
public record BackupRetention(int days, int minCount) {

    /** 28 days, and at least the newest 4 of each kind (four weekly full backups). */
    public static BackupRetention defaults() {
        return new BackupRetention(28, 4);
    }
}
