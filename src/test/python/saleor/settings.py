"""The part of Saleor 3.20's settings.py that the Valkey settings build on (written for the lab)."""
import os

import django_cache_url

SECRET_KEY = os.environ.get("SECRET_KEY", "lab")
INSTALLED_APPS = ["django.contrib.contenttypes"]
DATABASES = {}
USE_TZ = True
TIME_ZONE = "UTC"

# As Saleor: the broker from CELERY_BROKER_URL, tasks run eagerly when it is unset.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", os.environ.get("CLOUDAMQP_URL")) or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", None)

# As Saleor: REDIS_URL, when set, becomes the cache URL that django-cache-url parses.
REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHE_URL = os.environ.setdefault("CACHE_URL", REDIS_URL)
CACHES = {"default": django_cache_url.config()}
CACHES["default"]["TIMEOUT"] = 7 * 24 * 3600
