"""A stand-in for the Saleor package in the Valkey HA lab: only what keyboss_settings imports.

keyboss_settings does `from saleor.settings import *` and Celery runs `saleor.celeryconf:app`.
Saleor itself is not on PyPI; these few lines do what Saleor 3.20's do with the variables the
lab is about (Celery broker and result backend, cache), with the same libraries and versions.
"""
