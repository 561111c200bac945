"""The audit log reads as sentences; labels carry no colon; dates are written one way."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from accounts import audit
from accounts.forms import ProfileForm
from scheduling.oncall.presenters import action_label
from scheduling.rotas.models import day_span

pytestmark = pytest.mark.django_db


def test_the_audit_log_shows_sentences_and_who_not_codes(team, manager, manager_client):
    audit.record(
        action="rota.reassigned",
        summary="Maya Manager moved Sat 2 Jan 09:00 primary from Oliver to Ravi (version 2)",
        actor=manager,
        team=team,
        target=team,
    )
    html = manager_client.get("/teams/payments/audit/").content.decode()
    assert "Maya Manager moved Sat 2 Jan 09:00 primary from Oliver to Ravi" in html
    assert "<code>rota.reassigned</code>" not in html and "accounts.team #" not in html
    assert '<option value="rota.reassigned">Rota: reassigned</option>' in html


def test_action_codes_read_as_words():
    assert action_label("cover.swap_offered") == "Cover: swap offered"
    assert action_label("api_token.created") == "API token: created"
    assert action_label("something") == "Something"


def test_form_labels_have_no_colon_unless_a_form_asks_for_one():
    assert ":" not in ProfileForm()["display_name"].label_tag()

    class Asked(forms.Form):
        x = forms.CharField(label="X")

    assert Asked()["x"].label_tag() == '<label for="id_x">X</label>'
    assert Asked(label_suffix=" →")["x"].label_tag() == '<label for="id_x">X →</label>'


def test_days_are_written_one_way():
    assert day_span(date(2026, 12, 1), date(2026, 12, 31)) == "1 Dec – 31 Dec 2026"
    assert day_span(date(2026, 12, 28), date(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"
