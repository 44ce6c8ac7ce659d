package keyboss.charts.monitoring;

import keyboss.charts.app.SaleorApi;
import keyboss.charts.app.ShopIngress;
import keyboss.charts.app.Storefront;

/**
 * What a {@link KeybossExporter} probes (seed 4.7.3).
 *
 * @param api          the Saleor API: its internal GraphQL URL. Required.
 * @param storefront   the storefront, through the public URL. Required.
 * @param ingress      the shop's Ingress the public URLs go through. Required.
 * @param alertmanager the Alertmanager, through its Service (it is not routed). Required.
 */
public record KeybossExporterProps(SaleorApi api, Storefront storefront, ShopIngress ingress, Alertmanager alertmanager) {
}
