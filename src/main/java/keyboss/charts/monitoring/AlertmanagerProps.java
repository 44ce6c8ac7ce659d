package keyboss.charts.monitoring;

import keyboss.charts.model.ContainerResources;
import keyboss.charts.env.MonitoringSettings;
import keyboss.charts.model.SecretContract;
import keyboss.charts.model.Size;

/**
 * Settings of an {@link Alertmanager}. The receivers come from the environment's
 * {@link MonitoringSettings}.
 *
 * @param secrets   the Secret its receivers read their URLs and passwords from. Required.
 * @param resources its container's. Default 20m/32Mi requested, 200m/128Mi limit.
 * @param dataSize  its silences and notification log (an emptyDir kept while the pod lives). Default 64Mi.
 */
public record AlertmanagerProps(SecretContract secrets, ContainerResources resources, Size dataSize) {

    /** The defaults, reading the receivers' keys from {@code secrets}. */
    public static AlertmanagerProps of(SecretContract secrets) {
        return new AlertmanagerProps(secrets, null, null);
    }
}
