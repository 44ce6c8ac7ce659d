package keyboss.charts.env;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metric families one Prometheus holds, each with the labels its series carry there and
 * who produces it (a scrape job or ServiceMonitor of this library, or what the cluster declares
 * it provides). Alert rules and dashboard panels are checked against the catalog of the
 * Prometheus that evaluates them, so a query cannot read a family or a label nothing produces.
 *
 * @param prometheus which Prometheus this is, for messages (e.g. "deti in-namespace Prometheus").
 * @param families   by family name.
 */
public record MetricCatalog(String prometheus, Map<String, Family> families) {

    /** One family as this Prometheus holds it. */
    public record Family(String name, SortedSet<String> labels, SortedSet<String> producers) {
        public Family {
            labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
            producers = Collections.unmodifiableSortedSet(new TreeSet<>(producers));
        }
    }

    public MetricCatalog {
        families = Collections.unmodifiableMap(new TreeMap<>(families));
    }

    /** A catalog being put together from producers. */
    public static final class Builder {
        private final String prometheus;
        private final Map<String, SortedSet<String>> labels = new TreeMap<>();
        private final Map<String, SortedSet<String>> producers = new TreeMap<>();

        public Builder(String prometheus) {
            this.prometheus = prometheus;
        }

        /**
         * Families scraped from an exporter by a Prometheus without {@code honor_labels}: an
         * exporter label that a target label also names is renamed {@code exported_<name>}
         * (Prometheus' rule, and why the probe's {@code endpoint} arrives as
         * {@code exported_endpoint}), then the target labels are attached. Every scrape also
         * produces {@code up}.
         */
        public Builder scraped(String producer, Map<String, List<String>> exporterFamilies, List<String> targetLabels) {
            exporterFamilies.forEach((name, exporterLabels) -> {
                List<String> seen = new ArrayList<>();
                for (String l : exporterLabels) {
                    seen.add(targetLabels.contains(l) ? "exported_" + l : l);
                }
                seen.addAll(targetLabels);
                add(name, seen, producer);
            });
            add("up", targetLabels, producer);
            return this;
        }

        /** Families whose series keep their labels as they are (federated with honor_labels, or declared). */
        public Builder asIs(String producer, Map<String, List<String>> families) {
            families.forEach((name, l) -> add(name, l, producer));
            return this;
        }

        private void add(String name, List<String> l, String producer) {
            labels.computeIfAbsent(name, n -> new TreeSet<>()).addAll(l);
            producers.computeIfAbsent(name, n -> new TreeSet<>()).add(producer);
        }

        public MetricCatalog build() {
            Map<String, Family> families = new TreeMap<>();
            labels.forEach((name, l) -> families.put(name, new Family(name, l, producers.get(name))));
            return new MetricCatalog(prometheus, families);
        }
    }

    /** Whether this Prometheus holds {@code family}. */
    public boolean holds(String family) {
        return families.containsKey(family);
    }

    /** Family name to label names, as the PromQL checker reads it. */
    public Map<String, List<String>> labelsByFamily() {
        Map<String, List<String>> out = new TreeMap<>();
        families.forEach((name, f) -> out.put(name, List.copyOf(f.labels())));
        return out;
    }
}
