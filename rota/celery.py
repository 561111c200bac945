"""The Celery app, configured from Django settings with the CELERY namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rota.settings")

# Tasks use rota.background.Task: in development they run after the response, not inside it.
app = Celery("rota", task_cls="rota.background:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
