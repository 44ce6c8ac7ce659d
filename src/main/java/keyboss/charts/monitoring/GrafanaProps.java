package keyboss.charts.monitoring;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.model.SecretContract;

/**
 * Settings of a {@link Grafana}.
 *
 * @param prometheus        its datasource. Required.
 * @param secrets           the Secret holding its admin password. Required.
 * @param adminPasswordKey  the key of that password in {@code secrets}. Default {@code GRAFANA_ADMIN_PASSWORD}.
 * @param resources         its container's. Default 50m/128Mi requested, 500m/256Mi limit.
 */
public record GrafanaProps(Prometheus prometheus, SecretContract secrets, String adminPasswordKey,
        ContainerResources resources) {

    /** The defaults, reading from {@code prometheus} with the admin password in {@code secrets}. */
    public static GrafanaProps of(Prometheus prometheus, SecretContract secrets) {
        return new GrafanaProps(prometheus, secrets, null, null);
    }
}
