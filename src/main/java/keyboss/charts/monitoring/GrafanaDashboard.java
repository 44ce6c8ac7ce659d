package keyboss.charts.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Grafana dashboard as code: rows of panels, each with its PromQL queries. Rendered to the
 * JSON model Grafana provisions from files; every query is checked with promtool by the tests.
 */
public record GrafanaDashboard(String uid, String title, List<Panel> panels) {

    /** One panel: a title, a visualization type, a unit, and its queries. */
    public record Panel(String title, String type, String unit, List<String> queries) {
        public static Panel stat(String title, String unit, String query) {
            return new Panel(title, "stat", unit, List.of(query));
        }

        public static Panel graph(String title, String unit, String... queries) {
            return new Panel(title, "timeseries", unit, List.of(queries));
        }
    }

    public GrafanaDashboard {
        panels = List.copyOf(panels);
    }

    /** The dashboard JSON model, with a grid laid out two panels a row. */
    public Map<String, Object> toJson(String datasourceUid) {
        List<Object> rendered = new ArrayList<>();
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            List<Object> targets = new ArrayList<>();
            for (int q = 0; q < p.queries().size(); q++) {
                targets.add(Map.of("refId", String.valueOf((char) ('A' + q)), "expr", p.queries().get(q),
                        "datasource", Map.of("type", "prometheus", "uid", datasourceUid)));
            }
            Map<String, Object> panel = new LinkedHashMap<>();
            panel.put("id", i + 1);
            panel.put("title", p.title());
            panel.put("type", p.type());
            panel.put("gridPos", Map.of("h", 8, "w", 12, "x", (i % 2) * 12, "y", (i / 2) * 8));
            panel.put("fieldConfig", Map.of("defaults", Map.of("unit", p.unit()), "overrides", List.of()));
            panel.put("targets", targets);
            rendered.add(panel);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uid", uid);
        d.put("title", title);
        d.put("tags", List.of("keyboss"));
        d.put("timezone", "browser");
        d.put("schemaVersion", 39);
        d.put("refresh", "30s");
        d.put("time", Map.of("from", "now-6h", "to", "now"));
        d.put("panels", rendered);
        return d;
    }
}
