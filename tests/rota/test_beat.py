"""Every periodic job names a task a worker knows; a typo here would fail silently in production."""

import pytest
from django.conf import settings

from rota.celery import app


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_beat_entry_names_a_registered_task(name):
    app.loader.import_default_modules()
    task = settings.CELERY_BEAT_SCHEDULE[name]["task"]
    assert task in app.tasks, f"{name}: no task called {task}"
