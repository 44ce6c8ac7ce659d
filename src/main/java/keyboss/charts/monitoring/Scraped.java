package keyboss.charts.monitoring;

import java.util.List;

/** A construct whose metrics Prometheus reads: it declares its scrape jobs ({@link Prometheus#scrape}). */
public interface Scraped {

    /** The jobs that read this construct's metrics. */
    List<ScrapeTarget> scrapeTargets();
}
