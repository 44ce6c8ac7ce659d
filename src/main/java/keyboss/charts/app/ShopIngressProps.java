package keyboss.charts.app;

import keyboss.charts.env.Environment;

/**
 * Properties of {@link ShopIngress}. {@link #storefront}, {@link #api} and {@link #dashboard}
 * are required; {@link #host} has a default.
 *
 * @param storefront routed at its path ({@code /}).
 * @param api        routed at its path ({@code /graphql/}).
 * @param dashboard  routed at its path ({@code /dashboard/}).
 * @param host       the public host; {@code null} means the environment's ({@link Environment#publicHost()}).
 */
public record ShopIngressProps(Storefront storefront, SaleorApi api, Dashboard dashboard, String host) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Storefront storefront;
        private SaleorApi api;
        private Dashboard dashboard;
        private String host;

        /** The storefront. Required. */
        public Builder storefront(Storefront value) { this.storefront = value; return this; }

        /** The API. Required. */
        public Builder api(SaleorApi value) { this.api = value; return this; }

        /** The dashboard. Required. */
        public Builder dashboard(Dashboard value) { this.dashboard = value; return this; }

        /** The public host. Default: the environment's ({@link Environment#publicHost()}). */
        public Builder host(String value) { this.host = value; return this; }

        public ShopIngressProps build() {
            return new ShopIngressProps(storefront, api, dashboard, host);
        }
    }
}
