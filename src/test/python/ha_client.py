"""Clients of the Valkey HA lab, with the synthesized keyboss_settings (found on PYTHONPATH).

  ha_client.py delay STOPFILE INTERVAL  - .delay() of a task in a loop through Celery/kombu
  ha_client.py cache STOPFILE INTERVAL  - Django cache set + get in a loop through django-redis
  ha_client.py queued                   - ids of the task messages waiting in the broker queue

Each call prints one line as it ends: "ok N [TASK-ID MILLISECONDS]", "fail N ERROR", "miss N" (cache read that found
nothing), so the lab can tell acknowledged writes from failed ones. Stops when STOPFILE exists.
"""
import json
import os
import sys
import time

import django

django.setup()

from saleor.celeryconf import app  # noqa: E402


@app.task(name="keyboss.ha_probe")
def probe(n):
    return n


def loop(stop_file, interval, step):
    n = 0
    while not os.path.exists(stop_file):
        try:
            print(step(n), flush=True)
        except Exception as e:  # the lab counts every failure a user would see
            print("fail %d %s: %s" % (n, type(e).__name__, str(e).replace("\n", " ")), flush=True)
        n += 1
        time.sleep(interval)


def delay(n):
    started = time.monotonic()
    task_id = probe.delay(n).id
    return "ok %d %s %d" % (n, task_id, (time.monotonic() - started) * 1000)


def cache_step(n):
    from django.core.cache import cache

    cache.set("ha:%d" % n, n)
    return "ok %d" % n if cache.get("ha:%d" % n) == n else "miss %d" % n


def queued():
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        for raw in client.lrange("celery", 0, -1):
            print(json.loads(raw)["headers"]["id"])


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "queued":
        queued()
    else:
        loop(sys.argv[2], float(sys.argv[3]), delay if mode == "delay" else cache_step)
