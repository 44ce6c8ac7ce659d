package keyboss.charts.monitoring;

import keyboss.charts.data.PostgresHA;
import keyboss.charts.model.SecretContract;

/**
 * What a {@link PostgresExporter} reads.
 *
 * @param database the PostgreSQL cluster. Required.
 * @param member   the ordinal of the member it reads (each member has its own exporter, so a
 *                 standby's lag and a primary's archiver are both seen). Required.
 * @param secrets  the Secret holding the monitoring role's password
 *                 ({@link PostgresHA#monitorPasswordKey()}). Required.
 */
public record PostgresExporterProps(PostgresHA database, int member, SecretContract secrets) {
}
