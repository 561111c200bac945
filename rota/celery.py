"""The Celery app, configured from Django settings with the CELERY namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rota.settings")

app = Celery("rota")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
