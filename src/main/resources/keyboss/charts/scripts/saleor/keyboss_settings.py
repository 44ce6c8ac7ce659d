"""Saleor's settings with Valkey reached through Sentinel (seed 3.3.4), made to ride out a failover.

Pods select this module with DJANGO_SETTINGS_MODULE=keyboss_settings. The pod environment gives:
CELERY_BROKER_URL and CELERY_RESULT_BACKEND (sentinel:// URLs with the password; Celery reads
these variables before any setting), VALKEY_PASSWORD (the Secret), REDIS_MASTER_NAME,
CACHE_SENTINELS (host:port,...) and CACHE_DB (the ConfigMap). What a URL cannot carry is added
here: the Sentinel master name and password (transport options), publish retries that outlast a
failover, and a Django cache that follows the master and degrades to a miss instead of an error.
"""
import os

from kombu.transport import redis as _kombu_redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as _ConnectionError
from redis.exceptions import ResponseError as _ResponseError
from redis.exceptions import TimeoutError as _TimeoutError
from redis.retry import Retry
from redis.sentinel import SentinelManagedConnection

from saleor.settings import *  # noqa: F401,F403 - Saleor's settings, then the overrides below
from saleor.settings import CACHES as _SALEOR_CACHES

REDIS_MASTER_NAME = os.environ["REDIS_MASTER_NAME"]
_PASSWORD = os.environ["VALKEY_PASSWORD"]
_SENTINELS = [
    (host, int(port)) for host, port in (s.strip().rsplit(":", 1) for s in os.environ["CACHE_SENTINELS"].split(","))
]

# A failover (Sentinel's down-after 5 s, election, promotion) takes about 7 s; a joint restart of
# the master and the Sentinels a little more. Publishing must wait that long, not fail.
#
# kombu's own publish retry reconnects only once for the Redis transport (a second connection
# error is raised), and creating the new channel is not retried at all, so during a failover
# .delay() fails while the Sentinels report no master. kombu has no option for the connection's
# retry, so the broker's Sentinel connections are given one here: every command and connect
# retries connection errors and timeouts ("No master found", "the previous master is now a
# replica") with backoff for about 20 s, asking the Sentinels again each time. So does a
# NOREPLICAS refusal (a master that lost its replicas, or one that just restarted and is still
# waiting for them): the write was not applied, so retrying it is safe. A push retried after a
# lost connection may be delivered twice (at least once); Saleor's tasks must be idempotent.


class _RetryingSentinelConnection(SentinelManagedConnection):
    def __init__(self, **kwargs):
        kwargs["retry"] = Retry(ExponentialBackoff(cap=0.5, base=0.1), 40)
        kwargs["retry_on_error"] = [_ConnectionError, _TimeoutError]
        super().__init__(**kwargs)

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except _ResponseError as e:
            if str(e).startswith("NOREPLICAS"):
                raise _ConnectionError("master %s:%s refused the write: %s" % (self.host, self.port, e)) from e
            raise


_kombu_redis.SentinelChannel.connection_class = _RetryingSentinelConnection

_SENTINEL_OPTIONS = {"password": _PASSWORD, "socket_timeout": 1, "socket_connect_timeout": 1}
_TRANSPORT_OPTIONS = {
    "master_name": REDIS_MASTER_NAME,
    "sentinel_kwargs": _SENTINEL_OPTIONS,
    # Above kombu's 1 s BRPOP, so an idle worker is not mistaken for a dead connection.
    "socket_timeout": 5,
    "socket_connect_timeout": 1,
    "socket_keepalive": True,
    "health_check_interval": 10,
    # Re-establishing a connection (kombu's default_channel) retries as long as publishing does;
    # without these it gives up after broker_connection_timeout.
    "max_retries": 40,
    "interval_start": 0,
    "interval_step": 0.25,
    "interval_max": 0.5,
    "connect_retries_timeout": 20,
}
CELERY_BROKER_TRANSPORT_OPTIONS = dict(_TRANSPORT_OPTIONS)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = dict(_TRANSPORT_OPTIONS)
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 40,
    "interval_start": 0,
    "interval_step": 0.25,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for the broker for ever
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_RESULT_BACKEND_MAX_RETRIES = 40
CELERY_RESULT_BACKEND_BASE_SLEEP_BETWEEN_RETRIES_MS = 250
CELERY_RESULT_BACKEND_MAX_SLEEP_BETWEEN_RETRIES_MS = 500

# The cache (django-redis, as Saleor ships it) asks the Sentinels for the master on every new
# connection. While there is none, a read is a miss and a write is skipped, so pages are
# computed instead of answering 5xx; the short timeouts keep such a request fast.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://%s/%s" % (REDIS_MASTER_NAME, os.environ.get("CACHE_DB", "0")),
        "TIMEOUT": _SALEOR_CACHES["default"].get("TIMEOUT", 300),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.SentinelClient",
            "CONNECTION_FACTORY": "django_redis.pool.SentinelConnectionFactory",
            "SENTINELS": _SENTINELS,
            "SENTINEL_KWARGS": _SENTINEL_OPTIONS,
            "PASSWORD": _PASSWORD,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 1,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
