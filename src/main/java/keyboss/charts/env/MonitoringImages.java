package keyboss.charts.env;

import keyboss.charts.model.ImageRef;
import keyboss.charts.monitoring.MonitoringStack;

/** The pinned images of the {@link MonitoringStack}; part of {@link Images}, so pinned in one place. */
public record MonitoringImages(ImageRef prometheus, ImageRef alertmanager, ImageRef grafana, ImageRef kubeStateMetrics,
        ImageRef postgresExporter, ImageRef redisExporter, ImageRef keybossExporter) {

    /**
     * KeyBoss's own synthetic-probe exporter (seed 4.7.1), built from
     * {@code images/keyboss-exporter/Dockerfile}; its tag is the exporter's {@code VERSION}.
     */
    public static final String KEYBOSS_EXPORTER = "keyboss/keyboss-exporter:1.0.0";

    public static MonitoringImages defaults() {
        return new MonitoringImages(
                ImageRef.of("prom/prometheus:v2.53.2"),
                ImageRef.of("prom/alertmanager:v0.27.0"),
                ImageRef.of("grafana/grafana:11.2.0"),
                ImageRef.of("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0"),
                ImageRef.of("quay.io/prometheuscommunity/postgres-exporter:v0.15.0"),
                ImageRef.of("oliver006/redis_exporter:v1.62.0"),
                ImageRef.of(KEYBOSS_EXPORTER));
    }

    /** Every image by its name in this record, in declaration order. */
    public java.util.Map<String, ImageRef> all() {
        java.util.Map<String, ImageRef> all = new java.util.LinkedHashMap<>();
        all.put("prometheus", prometheus);
        all.put("alertmanager", alertmanager);
        all.put("grafana", grafana);
        all.put("kubeStateMetrics", kubeStateMetrics);
        all.put("postgresExporter", postgresExporter);
        all.put("redisExporter", redisExporter);
        all.put("keybossExporter", keybossExporter);
        return java.util.Collections.unmodifiableMap(all);
    }
}
