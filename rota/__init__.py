"""Rota: run an on-call rotation end to end."""

from rota.celery import app as celery_app

__all__ = ["celery_app"]
