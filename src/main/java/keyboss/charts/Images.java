package keyboss.charts;

/**
 * Every container image the library deploys, pinned in this one place. An {@link Environment}
 * carries an {@code Images} value, so a cluster that mirrors images or builds its own
 * storefront overrides just those entries with the {@code with...} methods.
 *
 * @param postgres          PostgreSQL server with the backup tools (pgBackRest, curl, openssl):
 *                          the members, their pgBackRest sidecar, every backup, restore and drill
 *                          job (built from {@code images/postgres-backup/Dockerfile}).
 * @param postgresWatchdog  the failover watchdog: the postgres image plus {@code curl}
 *                          (built from {@code images/postgres-watchdog/Dockerfile}).
 * @param valkey            Valkey server and Sentinel.
 * @param storefront        the Next.js storefront, built by KeyBoss per cluster.
 * @param saleor            the Saleor API, also run as Celery worker, migrations and seed Jobs.
 * @param dashboard         the Saleor dashboard (serves itself under /dashboard/).
 * @param monitoring        Prometheus, Alertmanager, Grafana, exporters.
 */
public record Images(ImageRef postgres, ImageRef postgresWatchdog, ImageRef valkey, ImageRef storefront,
        ImageRef saleor, ImageRef dashboard, MonitoringImages monitoring) {

    /** PostgreSQL 15 (Debian bookworm's, which the tests run) with pgBackRest 2.45, curl and openssl. */
    public static final String POSTGRES = "keyboss/postgres-backup:15.13-pgbackrest2.45-1";
    public static final String POSTGRES_WATCHDOG = "keyboss/postgres-watchdog:16.4-1";
    public static final String VALKEY = "valkey/valkey:7.2.7-alpine";
    public static final String STOREFRONT_LOCAL = "keyboss-storefront:m2";
    public static final String SALEOR = "ghcr.io/saleor/saleor:3.20.0";
    public static final String DASHBOARD = "ghcr.io/saleor/saleor-dashboard:3.20.0";

    public Images {
        require(postgres, "postgres");
        require(postgresWatchdog, "postgresWatchdog");
        require(valkey, "valkey");
        require(storefront, "storefront");
        require(saleor, "saleor");
        require(dashboard, "dashboard");
        if (monitoring == null) {
            throw new IllegalArgumentException("Images.monitoring is missing; use MonitoringImages.defaults()");
        }
    }

    /** The pinned defaults, with the locally built storefront image. */
    public static Images defaults() {
        return new Images(ImageRef.of(POSTGRES), ImageRef.of(POSTGRES_WATCHDOG), ImageRef.of(VALKEY),
                ImageRef.of(STOREFRONT_LOCAL), ImageRef.of(SALEOR), ImageRef.of(DASHBOARD),
                MonitoringImages.defaults());
    }

    public Images withPostgres(ImageRef image) {
        return new Images(image, postgresWatchdog, valkey, storefront, saleor, dashboard, monitoring);
    }

    public Images withPostgresWatchdog(ImageRef image) {
        return new Images(postgres, image, valkey, storefront, saleor, dashboard, monitoring);
    }

    public Images withValkey(ImageRef image) {
        return new Images(postgres, postgresWatchdog, image, storefront, saleor, dashboard, monitoring);
    }

    public Images withStorefront(ImageRef image) {
        return new Images(postgres, postgresWatchdog, valkey, image, saleor, dashboard, monitoring);
    }

    public Images withSaleor(ImageRef image) {
        return new Images(postgres, postgresWatchdog, valkey, storefront, image, dashboard, monitoring);
    }

    public Images withDashboard(ImageRef image) {
        return new Images(postgres, postgresWatchdog, valkey, storefront, saleor, image, monitoring);
    }

    private static void require(ImageRef image, String name) {
        if (image == null) {
            throw new IllegalArgumentException("Images." + name + " is missing; start from Images.defaults()");
        }
    }
}
