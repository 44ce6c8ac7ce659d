"""Saleor's settings with Valkey reached through Sentinel (seed 3.3.4).

Saleor reads CELERY_BROKER_URL and CELERY_RESULT_BACKEND from the environment, but neither the
Sentinel master name (a transport option) nor a cache that follows the master can be given that
way; this module adds both. Pods select it with DJANGO_SETTINGS_MODULE=keyboss_settings.
"""
import os

from saleor.settings import *  # noqa: F401,F403 - Saleor's settings, then the overrides below

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.sentinel import Sentinel

REDIS_MASTER_NAME = os.environ["REDIS_MASTER_NAME"]

CELERY_BROKER_TRANSPORT_OPTIONS = {"master_name": REDIS_MASTER_NAME}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"master_name": REDIS_MASTER_NAME}


class _SentinelCacheClient(RedisCacheClient):
    """Django's Redis cache client, always using the master the Sentinels currently name."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        sentinels = [(host, int(port)) for host, port in (s.rsplit(":", 1) for s in servers)]
        self._master = Sentinel(sentinels, socket_timeout=1).master_for(
            REDIS_MASTER_NAME, db=int(os.environ.get("CACHE_DB", "0")), socket_timeout=1
        )

    def get_client(self, key=None, *, write=False):
        return self._master


class SentinelRedisCache(RedisCache):
    """LOCATION lists the Sentinels as host:port; the cache follows the master across failovers."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SentinelCacheClient


CACHES = {
    "default": {
        "BACKEND": "keyboss_settings.SentinelRedisCache",
        "LOCATION": os.environ["CACHE_SENTINELS"],
    }
}
