package keyboss.charts.env;

import keyboss.charts.model.ImagePolicy;
import keyboss.charts.model.ImageRef;

/**
 * Every container image the library deploys, pinned in this one place. An {@link Environment}
 * carries an {@code Images} value, so a cluster that mirrors images or builds its own
 * storefront overrides just those entries with the {@code with...} methods.
 *
 * @param postgres          PostgreSQL with the backup tools (pgBackRest, curl, openssl): every
 *                          backup, restore, recovery and drill job (built from
 *                          {@code images/postgres-backup/Dockerfile}).
 * @param postgresHa        the database members and their pgBackRest server sidecar: the image
 *                          {@link #POSTGRES_BASE} plus Patroni, pinned in
 *                          {@code images/postgres-ha/requirements.txt}, and pgBackRest (built
 *                          from {@code images/postgres-ha/Dockerfile}).
 * @param valkey            Valkey server and Sentinel.
 * @param storefront        the Next.js storefront, built by KeyBoss per cluster.
 * @param saleor            the Saleor API, also run as Celery worker, migrations and seed Jobs.
 * @param dashboard         the Saleor dashboard: its built files are copied out of this image.
 * @param dashboardServer   the unprivileged nginx that serves those files (the dashboard image's
 *                          own nginx starts as root, which Pod Security "restricted" refuses).
 * @param monitoring        Prometheus, Alertmanager, Grafana, exporters.
 */
public record Images(ImageRef postgres, ImageRef postgresHa, ImageRef valkey, ImageRef storefront,
        ImageRef saleor, ImageRef dashboard, ImageRef dashboardServer, MonitoringImages monitoring) {

    /** PostgreSQL 15: the major version Debian bookworm ships, so the tests run the same server. */
    public static final String POSTGRES_BASE = "postgres:15.13-bookworm";
    /** {@link #POSTGRES_BASE} with pgBackRest 2.45 (Debian bookworm's, which the tests run), curl and openssl. */
    public static final String POSTGRES = "keyboss/postgres-backup:15.13-pgbackrest2.45-1";
    /**
     * {@link #POSTGRES_BASE} plus Patroni 4.1.5 and pgBackRest 2.45 (the archive_command, the
     * replica method and the server sidecar); the tag names the versions and the build.
     */
    public static final String POSTGRES_HA = "keyboss/postgres-ha:15.13-patroni4.1.5-pgbackrest2.45-1";
    /** The Patroni version of {@link #POSTGRES_HA}, as images/postgres-ha/requirements.txt pins it. */
    public static final String PATRONI_VERSION = "4.1.5";
    /** The pgBackRest version of {@link #POSTGRES} and {@link #POSTGRES_HA}, as both Dockerfiles pin it. */
    public static final String PGBACKREST_VERSION = "2.45";
    /** The version Debian trixie ships (8.1.1), which the HA lab runs. */
    public static final String VALKEY = "valkey/valkey:8.1.1-alpine";
    /**
     * The storefront built on the developer's machine and imported into k3d (PLATFORM.md); local's
     * {@link ImagePolicy#EXPLICIT_TAG} admits its tag, which names no version.
     */
    public static final String STOREFRONT_LOCAL = "keyboss-storefront:m2";
    /**
     * The storefront in deti's registry: the tag KeyBoss's storefront build must push (a new
     * version for every change; a pushed tag is never moved). deti's {@link ImagePolicy#VERSIONED}
     * refuses the former mutable {@code :keyboss}.
     */
    public static final String STOREFRONT_DETI = "registry.deti/tenant-keyboss/storefront:1.0.0";
    public static final String SALEOR = "ghcr.io/saleor/saleor:3.20.0";
    public static final String DASHBOARD = "ghcr.io/saleor/saleor-dashboard:3.20.0";
    public static final String DASHBOARD_SERVER = "nginxinc/nginx-unprivileged:1.27.3-alpine";

    public Images {
        require(postgres, "postgres");
        require(postgresHa, "postgresHa");
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
        return new Images(ImageRef.of(POSTGRES), ImageRef.of(POSTGRES_HA), ImageRef.of(VALKEY),
                ImageRef.of(STOREFRONT_LOCAL), ImageRef.of(SALEOR), ImageRef.of(DASHBOARD),
                ImageRef.of(DASHBOARD_SERVER), MonitoringImages.defaults());
    }

    /**
     * Every image by its name in this record ({@code storefront}, {@code monitoring.grafana}, ...),
     * in declaration order, for rules that check them all.
     */
    public java.util.Map<String, ImageRef> all() {
        java.util.Map<String, ImageRef> all = new java.util.LinkedHashMap<>();
        all.put("postgres", postgres);
        all.put("postgresHa", postgresHa);
        all.put("valkey", valkey);
        all.put("storefront", storefront);
        all.put("saleor", saleor);
        all.put("dashboard", dashboard);
        all.put("dashboardServer", dashboardServer);
        monitoring.all().forEach((name, image) -> all.put("monitoring." + name, image));
        return java.util.Collections.unmodifiableMap(all);
    }

    public Images withPostgres(ImageRef image) {
        return new Images(image, postgresHa, valkey, storefront, saleor, dashboard, dashboardServer, monitoring);
    }

    public Images withPostgresHa(ImageRef image) {
        return new Images(postgres, image, valkey, storefront, saleor, dashboard, dashboardServer, monitoring);
    }

    public Images withValkey(ImageRef image) {
        return new Images(postgres, postgresHa, image, storefront, saleor, dashboard, dashboardServer, monitoring);
    }

    public Images withStorefront(ImageRef image) {
        return new Images(postgres, postgresHa, valkey, image, saleor, dashboard, dashboardServer, monitoring);
    }

    public Images withSaleor(ImageRef image) {
        return new Images(postgres, postgresHa, valkey, storefront, image, dashboard, dashboardServer, monitoring);
    }

    public Images withDashboard(ImageRef image) {
        return new Images(postgres, postgresHa, valkey, storefront, saleor, image, dashboardServer, monitoring);
    }

    public Images withDashboardServer(ImageRef image) {
        return new Images(postgres, postgresHa, valkey, storefront, saleor, dashboard, image, monitoring);
    }

    public Images withMonitoring(MonitoringImages images) {
        return new Images(postgres, postgresHa, valkey, storefront, saleor, dashboard, dashboardServer, images);
    }

    private static void require(ImageRef image, String name) {
        if (image == null) {
            throw new IllegalArgumentException("Images." + name + " is missing; start from Images.defaults()");
        }
    }
}
