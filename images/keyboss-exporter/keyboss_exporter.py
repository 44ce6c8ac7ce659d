"""keyboss-exporter: synthetic probes of the KeyBoss shop, as Prometheus metrics (seed 4.7.1).

Every PROBE_INTERVAL_SECONDS (15) it requests each endpoint of PROBE_TARGETS, all at once and
each bounded by PROBE_TIMEOUT_SECONDS, and asks the internal GraphQL API how many products the
catalogue holds. /metrics serves the results (the seed's table 10):

  keyboss_probe_success{endpoint}          1 when the endpoint answered below 400, else 0
  keyboss_probe_duration_seconds{endpoint} time to the full answer (or to the failure)
  keyboss_probe_status_code{endpoint}      HTTP status, 0 when there was no answer
  keyboss_probe_runs_total{endpoint,result} probes run: result success, failure or timeout
  keyboss_catalogue_products_total         products in the catalogue (GraphQL totalCount)
  keyboss_graphql_up                       1 when the GraphQL query answered with data
  keyboss_graphql_query_seconds            time the GraphQL query took
  keyboss_build_info{version,environment}  this exporter's version and the environment

Behind the central Prometheus Operator the label `endpoint` arrives as `exported_endpoint`
(the ServiceMonitor's own `endpoint` label wins); the shop's Prometheus labels its targets the
same way, so queries read `exported_endpoint` on both.

Settings (environment variables):
  PROBE_TARGETS            name=url pairs separated by commas (required)
  PROBE_INTERVAL_SECONDS   seconds between probe rounds (15)
  PROBE_TIMEOUT_SECONDS    limit of one probe (10)
  GRAPHQL_URL              the API's GraphQL URL; unset: no catalogue query
  GRAPHQL_CHANNEL          channel the catalogue is counted in (default-channel)
  KEYBOSS_ENVIRONMENT      shown in keyboss_build_info (unknown)
  LISTEN_ADDRESS, PORT     where /metrics is served (0.0.0.0, 9100)

Nothing is written to disk, so the container runs with a read-only root file system.
"""

import json
import logging
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Info, disable_created_metrics, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# Table 10 lists no *_created series; they would only double the counter's series.
disable_created_metrics()

VERSION = "1.0.0"
LOG = logging.getLogger("keyboss-exporter")


class ConfigError(Exception):
    pass


def parse_targets(text):
    """'storefront=http://a/,graphql_api=http://b/' -> [('storefront', 'http://a/'), ...]."""
    targets = []
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, url = item.partition("=")
        name, url = name.strip(), url.strip()
        if not sep or not name or not url.startswith(("http://", "https://")):
            raise ConfigError(
                "PROBE_TARGETS entry '%s' is not name=http(s)://url; example: storefront=http://shop/" % item)
        if any(name == seen for seen, _ in targets):
            raise ConfigError("PROBE_TARGETS names '%s' twice; give each endpoint its own name" % name)
        targets.append((name, url))
    if not targets:
        raise ConfigError("PROBE_TARGETS is empty; set name=url pairs, e.g. storefront=http://shop/")
    return targets


def positive_number(name, default):
    raw = os.environ.get(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise ConfigError("%s='%s' is not a positive number of seconds" % (name, raw))
    return value


class Prober:
    def __init__(self, targets, timeout, graphql_url, channel, environment, registry):
        self.targets = targets
        self.timeout = timeout
        self.graphql_url = graphql_url
        self.channel = channel
        labels = ["endpoint"]
        self.success = Gauge("keyboss_probe_success", "1 = up, 0 = down", labels, registry=registry)
        self.duration = Gauge("keyboss_probe_duration_seconds", "HTTP latency of the probe (s)", labels,
                              registry=registry)
        self.status = Gauge("keyboss_probe_status_code", "HTTP status returned, 0 without an answer", labels,
                            registry=registry)
        self.runs = Counter("keyboss_probe_runs", "Probes run", ["endpoint", "result"], registry=registry)
        self.products = Gauge("keyboss_catalogue_products_total", "Products in the catalogue", registry=registry)
        self.graphql_up = Gauge("keyboss_graphql_up", "Internal GraphQL reachable", registry=registry)
        self.graphql_seconds = Gauge("keyboss_graphql_query_seconds", "Latency of the internal GraphQL query",
                                     registry=registry)
        Info("keyboss_build", "Version and environment of the platform", registry=registry).info(
            {"version": VERSION, "environment": environment})
        for name, _ in targets:
            for result in ("success", "failure", "timeout"):
                self.runs.labels(name, result)
        self.pool = ThreadPoolExecutor(max_workers=len(targets) + 1, thread_name_prefix="probe")

    def probe(self, name, url):
        started = time.monotonic()
        code, result = 0, "failure"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "keyboss-exporter"}),
                                        timeout=self.timeout) as answer:
                answer.read()
                code = answer.status
        except urllib.error.HTTPError as error:
            code = error.code
        except (TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            result = "timeout" if isinstance(reason, TimeoutError) or "timed out" in str(reason) else "failure"
        elapsed = time.monotonic() - started
        if 0 < code < 400:
            result = "success"
        self.success.labels(name).set(1 if result == "success" else 0)
        self.duration.labels(name).set(elapsed)
        self.status.labels(name).set(code)
        self.runs.labels(name, result).inc()
        if result != "success":
            LOG.warning("probe %s (%s): %s, status %s, %.3fs", name, url, result, code, elapsed)

    def query_catalogue(self):
        if not self.graphql_url:
            return
        body = json.dumps({"query": "query($c: String) { products(first: 1, channel: $c) { totalCount } }",
                           "variables": {"c": self.channel}}).encode()
        request = urllib.request.Request(self.graphql_url, data=body, method="POST",
                                         headers={"Content-Type": "application/json",
                                                  "User-Agent": "keyboss-exporter"})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                data = json.loads(answer.read())
            total = data["data"]["products"]["totalCount"]
            self.products.set(float(total))
            self.graphql_up.set(1)
        except (OSError, ValueError, KeyError, TypeError) as error:
            LOG.warning("GraphQL catalogue query failed: %s", error)
            self.graphql_up.set(0)
        self.graphql_seconds.set(time.monotonic() - started)

    def run_once(self):
        futures = [self.pool.submit(self.probe, name, url) for name, url in self.targets]
        futures.append(self.pool.submit(self.query_catalogue))
        for future in futures:
            future.result()


def create_app(registry):
    app = Flask("keyboss-exporter")

    @app.get("/metrics")
    def metrics():
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

    @app.get("/healthz")
    def healthz():
        return "ok\n"

    return app


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        targets = parse_targets(os.environ.get("PROBE_TARGETS"))
        interval = positive_number("PROBE_INTERVAL_SECONDS", 15)
        timeout = positive_number("PROBE_TIMEOUT_SECONDS", 10)
        port = int(os.environ.get("PORT", "9100"))
    except (ConfigError, ValueError) as error:
        print("keyboss-exporter: %s" % error, file=sys.stderr)
        return 2
    registry = CollectorRegistry()
    prober = Prober(targets, timeout, os.environ.get("GRAPHQL_URL", ""), os.environ.get("GRAPHQL_CHANNEL",
                    "default-channel"), os.environ.get("KEYBOSS_ENVIRONMENT", "unknown"), registry)

    def loop():
        while True:
            started = time.monotonic()
            prober.run_once()
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    threading.Thread(target=loop, name="prober", daemon=True).start()
    from waitress import serve
    LOG.info("keyboss-exporter %s: probing %d endpoints every %gs on port %d", VERSION, len(targets), interval, port)
    serve(create_app(registry), host=os.environ.get("LISTEN_ADDRESS", "0.0.0.0"), port=port, threads=4)
    return 0


if __name__ == "__main__":
    sys.exit(main())
