package keyboss.charts.app;

import keyboss.charts.core.ICache;
import keyboss.charts.core.IDatabase;
import keyboss.charts.data.PostgresHA;
import keyboss.charts.data.ValkeySentinel;

/**
 * Properties of {@link AppConfig}: the constructs the configuration describes. All are
 * required; there is nothing to default (every value is derived from them and the environment).
 *
 * @param database  the database: its host, port, database and role.
 * @param cache     Valkey with Sentinel: the master name and the Sentinels.
 * @param api       the API: public and in-cluster GraphQL URLs.
 * @param dashboard the dashboard: its public URL.
 */
public record AppConfigProps(IDatabase database, ICache cache, SaleorApi api, Dashboard dashboard) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private IDatabase database;
        private ICache cache;
        private SaleorApi api;
        private Dashboard dashboard;

        /** The database (a {@link PostgresHA}, or any {@link IDatabase}). Required. */
        public Builder database(IDatabase value) { this.database = value; return this; }

        /** The cache (a {@link ValkeySentinel}, or any {@link ICache}). Required. */
        public Builder cache(ICache value) { this.cache = value; return this; }

        /** The API. Required. */
        public Builder api(SaleorApi value) { this.api = value; return this; }

        /** The dashboard. Required. */
        public Builder dashboard(Dashboard value) { this.dashboard = value; return this; }

        public AppConfigProps build() {
            return new AppConfigProps(database, cache, api, dashboard);
        }
    }
}
