"""Product bugs the journeys ran into, pinned by tests that fail without their fixes."""

from __future__ import annotations

import re
from collections import Counter

import pytest


@pytest.mark.django_db
def test_connected_calendars_page_ties_each_label_to_its_own_field(engineer_client):
    # The .ics and CalDAV forms both have a "name" field; with the same id, the CalDAV form's
    # "Name" label pointed at the .ics form's field and a person typing there filled the wrong one.
    html = engineer_client.get("/availability/calendars/").content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert ids[target] == 1, target
