package keyboss.charts;

/**
 * Every container image the library deploys, pinned in this one place. An {@link Environment}
 * carries an {@code Images} value, so a cluster that mirrors images or builds its own
 * storefront overrides just those entries with the {@code with...} methods.
 *
 * @param postgres          PostgreSQL server, standby bootstrap, backup and restore jobs.
 * @param postgresWatchdog  the failover watchdog: the postgres image plus {@code curl}
 *                          (built from {@code images/postgres-watchdog/Dockerfile}).
 * @param valkey            Valkey server and Sentinel.
 * @param storefront        the Next.js storefront, built by KeyBoss per cluster.
 * @param saleor            the Saleor API, also run as Celery worker, migrations and seed Jobs.
 * @param dashboard         the Saleor dashboard: its built files are copied out of this image.
 * @param dashboardServer   the unprivileged nginx that serves those files (the dashboard image's
 *                          own nginx starts as root, which Pod Security "restricted" refuses).
 * @param monitoring        Prometheus, Alertmanager, Grafana, exporters.
 */
public record Images(ImageRef postgres, ImageRef postgresWatchdog, ImageRef valkey, ImageRef storefront,
        ImageRef saleor, ImageRef dashboard, ImageRef dashboardServer, MonitoringImages monitoring) {

    public static final String POSTGRES = "postgres:16.4-alpine";
    public static final String POSTGRES_WATCHDOG = "keyboss/postgres-watchdog:16.4-1";
    /** The version Debian trixie ships (8.1.1), which the HA lab runs. */
    public static final String VALKEY = "valkey/valkey:8.1.1-alpine";
    public static final String STOREFRONT_LOCAL = "keyboss-storefront:m2";
    public static final String SALEOR = "ghcr.io/saleor/saleor:3.20.0";
    public static final String DASHBOARD = "ghcr.io/saleor/saleor-dashboard:3.20.0";
    public static final String DASHBOARD_SERVER = "nginxinc/nginx-unprivileged:1.27.3-alpine";

    public Images {
        require(postgres, "postgres");
        require(postgresWatchdog, "postgresWatchdog");
        require(valkey, "valkey");
        require(storefront, "storefront");
        require(saleor, "saleor");
        require(dashboard, "dashboard");
        require(dashboardServer, "dashboardServer");
        if (monitoring == null) {
            throw new IllegalArgumentException("Images.monitoring is missing; use MonitoringImages.defaults()");
        }
    }

    /** The pinned defaults, with the locally built storefront image. */
    public static Images defaults() {
        return new Images(ImageRef.of(POSTGRES), ImageRef.of(POSTGRES_WATCHDOG), ImageRef.of(VALKEY),
                ImageRef.of(STOREFRONT_LOCAL), ImageRef.of(SALEOR), ImageRef.of(DASHBOARD),
                ImageRef.of(DASHBOARD_SERVER), MonitoringImages.defaults());
    }

    public Images withPostgres(ImageRef image) {
        return new Images(image, postgresWatchdog, valkey, storefront, saleor, dashboard, dashboardServer, monitoring);
    }

    public Images withPostgresWatchdog(ImageRef image) {
        return new Images(postgres, image, valkey, storefront, saleor, dashboard, dashboardServer, monitoring);
    }

    public Images withValkey(ImageRef image) {
        return new Images(postgres, postgresWatchdog, image, storefront, saleor, dashboard, dashboardServer, monitoring);
    }

    public Images withStorefront(ImageRef image) {
        return new Images(postgres, postgresWatchdog, valkey, image, saleor, dashboard, dashboardServer, monitoring);
    }

    public Images withSaleor(ImageRef image) {
        return new Images(postgres, postgresWatchdog, valkey, storefront, image, dashboard, dashboardServer, monitoring);
    }

    public Images withDashboard(ImageRef image) {
        return new Images(postgres, postgresWatchdog, valkey, storefront, saleor, image, dashboardServer, monitoring);
    }

    public Images withDashboardServer(ImageRef image) {
        return new Images(postgres, postgresWatchdog, valkey, storefront, saleor, dashboard, image, monitoring);
    }

    private static void require(ImageRef image, String name) {
        if (image == null) {
            throw new IllegalArgumentException("Images." + name + " is missing; start from Images.defaults()");
        }
    }
}
