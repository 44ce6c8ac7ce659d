package keyboss.charts.app;

import keyboss.charts.core.Autoscaling;
import keyboss.charts.model.ContainerResources;
import keyboss.charts.core.ICache;
import keyboss.charts.core.IDatabase;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.model.SecretContract;
import keyboss.charts.data.ValkeySentinel;

/**
 * Properties of {@link SaleorApi}. {@link #database} and {@link #cache} are required; every
 * other property has a default, documented on its builder method.
 */
public record SaleorApiProps(
        IDatabase database,
        ICache cache,
        SecretContract secrets,
        String name,
        Autoscaling autoscaling,
        int workers,
        String healthPath,
        String adminEmail,
        ContainerResources resources) {

    /**
     * Every property left null takes its default (documented on the builder), here, once: a record
     * built without the builder gets the same defaults. Required properties stay null and the
     * construct reports them.
     */
    public SaleorApiProps {
        secrets = secrets != null ? secrets : SecretContract.keyboss();
        name = name != null ? name : "saleor-api";
        autoscaling = autoscaling != null ? autoscaling : Autoscaling.of(2, 6, 60);
        healthPath = healthPath != null ? healthPath : "/health/";
        adminEmail = adminEmail != null ? adminEmail : "admin@admin.com";
        resources = resources != null ? resources : ContainerResources.of("250m", "512Mi", "1", "1Gi");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private IDatabase database;
        private ICache cache;
        private SecretContract secrets;
        private String name;
        private Autoscaling autoscaling;
        private int workers = 2;
        private String healthPath;
        private String adminEmail;
        private ContainerResources resources;

        /** The database (a {@link PostgresHA}, or any {@link IDatabase}); the API writes through its host. Required. */
        public Builder database(IDatabase value) { this.database = value; return this; }

        /** Valkey behind Sentinel (a {@link ValkeySentinel}, or any {@link ICache}): Celery broker (db 1), results (db 2), cache (db 0). Required. */
        public Builder cache(ICache value) { this.cache = value; return this; }

        /** The Secret the API reads (Django key, JWT key, passwords). Default {@link SecretContract#keyboss()}. */
        public Builder secrets(SecretContract value) { this.secrets = value; return this; }

        /** Deployment and Service name. Default {@code saleor-api}. */
        public Builder name(String value) { this.name = value; return this; }

        /** Replicas 2-6 on CPU 70% and memory 80%, scale-up window 60 s, scale-down 300 s (seed 3.2). */
        public Builder autoscaling(Autoscaling value) { this.autoscaling = value; return this; }

        /** uvicorn worker processes per pod. Default 2. */
        public Builder workers(int value) { this.workers = value; return this; }

        /** Path Saleor answers health checks on. Default {@code /health/}. */
        public Builder healthPath(String value) { this.healthPath = value; return this; }

        /** E-mail of the dashboard admin the seed Job creates. Default {@code admin@admin.com} (seed 2.4). */
        public Builder adminEmail(String value) { this.adminEmail = value; return this; }

        /** Resources per API container. Default 250m/512Mi requested, 1 CPU/1Gi limit. */
        public Builder resources(ContainerResources value) { this.resources = value; return this; }

        public SaleorApiProps build() {
            return new SaleorApiProps(database, cache, secrets, name, autoscaling, workers, healthPath, adminEmail,
                    resources);
        }
    }
}
