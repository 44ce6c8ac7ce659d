"""Saleor's Celery application, configured from the Django settings as saleor/celeryconf.py does."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")

app = Celery("saleor")
app.config_from_object("django.conf:settings", namespace="CELERY")
