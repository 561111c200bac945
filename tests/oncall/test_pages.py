"""My shifts, on call now, handover notes, tokens shown once, the audit log, the dashboard."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from scheduling.oncall.models import HandoverNote, ReminderPreferences, TeamApiToken
from tests.factories import EscalationContactFactory, MembershipFactory, TeamFactory
from tests.oncall.factories import HandoverNoteFactory, PeriodFactory, make_shift, utc


@pytest.fixture
def rota(period, engineer, partner):
    """Yesterday (partner), today (engineer + partner), tomorrow (partner + engineer)."""
    return [
        make_shift(period, utc(2026, 5, 31, 8), utc(2026, 6, 1, 8), primary=partner),
        make_shift(
            period, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=engineer, secondary=partner
        ),
        make_shift(
            period, utc(2026, 6, 4, 8), utc(2026, 6, 5, 8), primary=partner, secondary=engineer
        ),
    ]


@pytest.fixture
def at_noon():
    with time_machine.travel(utc(2026, 6, 1, 12), tick=False):
        yield


def test_my_shifts_shows_role_times_partners_notes_and_escalation(
    engineer_client, team, rota, partner, at_noon
):
    EscalationContactFactory(team=team, name="Priya Raman", phone="+442079460101")
    HandoverNoteFactory(
        shift=rota[0], author=partner, body="Queue X is slow; restart worker Y if it stalls."
    )
    response = engineer_client.get("/me/shifts/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "You are on call now" in html
    assert "Mon 1 Jun 09:00" in html  # 08:00 UTC shown in Eddie's zone (BST)
    assert "On call with <strong>Pat Partner</strong> (secondary" in html
    assert "+447700900555" in html
    assert "Queue X is slow" in html
    assert "Priya Raman" in html and "+442079460101" in html


def test_my_shifts_never_shows_draft_seats(engineer_client, team, engineer, at_noon):
    draft = PeriodFactory(team=team, state="recommended", version=0)
    make_shift(draft, utc(2026, 6, 3, 8), utc(2026, 6, 4, 8), primary=engineer)
    html = engineer_client.get("/me/shifts/").content.decode()
    assert "You have no upcoming shifts." in html


def test_dashboard_says_on_call_with_partner(engineer_client, rota, at_noon):
    html = engineer_client.get("/").content.decode()
    assert "On call now" in html
    assert "On call with <strong>Pat Partner</strong>" in html


def test_dashboard_says_next_shift_in_n_days_across_the_dst_change(
    client_for, team, period, partner
):
    person = MembershipFactory(team=team, user__display_name="Nina Next").user
    # Sun 29 Mar 09:00 BST is three calendar days after Thu 26 Mar 23:30 GMT (under 72 h away).
    make_shift(period, utc(2026, 3, 29, 8), utc(2026, 3, 30, 8), primary=person, secondary=partner)
    with time_machine.travel(utc(2026, 3, 26, 23, 30), tick=False):
        html = client_for(person).get("/").content.decode()
    assert "Next shift in 3 days" in html
    assert "On call with <strong>Pat Partner</strong>" in html


def test_on_call_now_page_shows_holders_next_handoff_and_notes(
    engineer_client, rota, partner, at_noon
):
    HandoverNoteFactory(
        shift=rota[0], author=partner, body="Payments API deploy frozen until Friday."
    )
    response = engineer_client.get("/teams/payments/oncall/")
    state = response.context["state"]
    assert [s.holder.name for s in state.seats] == ["Eddie Engineer", "Pat Partner"]
    assert state.next_handoff == utc(2026, 6, 2, 8)
    assert [s.holder.name for s in state.next_seats] == ["Pat Partner", "Eddie Engineer"]
    assert "Payments API deploy frozen until Friday." in response.content.decode()


def test_follow_the_sun_handover_goes_to_the_next_region(
    client_for, team, period, engineer, partner
):
    london = MembershipFactory(team=team, user__display_name="Lou London").user
    # Winter: Singapore 00–08 UTC, London 08–16 UTC, New York 16–24 UTC.
    sg = make_shift(
        period, utc(2026, 1, 5, 0), utc(2026, 1, 5, 8), label="Singapore", primary=engineer
    )
    make_shift(period, utc(2026, 1, 5, 8), utc(2026, 1, 5, 16), label="London", primary=london)
    make_shift(period, utc(2026, 1, 5, 16), utc(2026, 1, 6, 0), label="New York", primary=partner)
    HandoverNoteFactory(shift=sg, author=engineer, body="From Singapore to London.")
    with time_machine.travel(utc(2026, 1, 5, 9), tick=False):
        state = client_for(london).get("/teams/payments/oncall/").context["state"]
        assert [n.body for n in state.notes] == ["From Singapore to London."]
    with time_machine.travel(utc(2026, 1, 5, 17), tick=False):
        state = client_for(london).get("/teams/payments/oncall/").context["state"]
        assert (
            state.notes == []
        )  # London wrote nothing for New York; Singapore's note is not re-served


def test_outgoing_holder_writes_a_note_the_incoming_holder_sees(
    client_for, engineer, partner, rota, at_noon
):
    response = client_for(engineer).post(
        f"/shifts/{rota[1].pk}/handover/", {"body": "Watch the ledger lag."}
    )
    assert response.status_code == 302
    note = HandoverNote.objects.get(shift=rota[1], author=engineer)
    assert note.body == "Watch the ledger lag."
    assert AuditEntry.objects.filter(action="handover.written", target_id=str(rota[1].pk)).exists()
    incoming = client_for(partner).get(f"/shifts/{rota[1].pk}/handover/")
    assert "Watch the ledger lag." in incoming.content.decode()
    # Emptying the note removes it.
    client_for(engineer).post(f"/shifts/{rota[1].pk}/handover/", {"body": "  "})
    assert not HandoverNote.objects.filter(shift=rota[1]).exists()


def test_a_member_not_on_the_shift_cannot_write_its_note(client_for, team, rota, at_noon):
    bystander = MembershipFactory(team=team).user
    response = client_for(bystander).post(f"/shifts/{rota[1].pk}/handover/", {"body": "Not mine"})
    assert response.status_code == 400
    assert "Only the people on this shift" in response.content.decode()
    assert not HandoverNote.objects.exists()


def test_too_long_note_is_a_form_error_and_keeps_the_text(client_for, engineer, rota, at_noon):
    body = "x" * 4001
    response = client_for(engineer).post(f"/shifts/{rota[1].pk}/handover/", {"body": body})
    assert response.status_code == 400
    assert body in response.content.decode()
    assert not HandoverNote.objects.exists()


def test_new_token_is_shown_once(manager_client, team):
    response = manager_client.post(
        "/teams/payments/oncall/tokens/new/", {"name": "Alertmanager"}, follow=True
    )
    raw = response.context["new_token"]
    assert raw and raw in response.content.decode()
    assert TeamApiToken.objects.get(team=team).token_hash != raw
    again = manager_client.get("/teams/payments/oncall/tokens/")
    assert raw not in again.content.decode()
    assert "Alertmanager" in again.content.decode()


def test_revoke_token_from_the_page(manager_client, team):
    manager_client.post("/teams/payments/oncall/tokens/new/", {"name": "Old"})
    token = TeamApiToken.objects.get(team=team)
    response = manager_client.post(f"/teams/payments/oncall/tokens/{token.pk}/revoke/", follow=True)
    token.refresh_from_db()
    assert not token.is_active
    assert "revoked" in response.content.decode()
    assert AuditEntry.objects.filter(team=team, action="api_token.revoked").count() == 1


def test_audit_log_filters_by_person_action_and_date(manager_client, team, manager, engineer, rota):
    from scheduling.oncall import services

    with time_machine.travel(utc(2026, 6, 1, 12), tick=False):
        services.write_handover_note(shift=rota[1], author=engineer, body="one")
    with time_machine.travel(utc(2026, 6, 3, 12), tick=False):
        services.create_api_token(team=team, name="Bridge", by=manager)
    AuditEntry.objects.create(
        team=TeamFactory(), action="handover.written", summary="Another team's"
    )

    def summaries(query: str) -> list[str]:
        response = manager_client.get("/teams/payments/audit/" + query)
        assert response.status_code == 200
        return [e.summary for e in response.context["page"].object_list]

    assert len(summaries("")) == 2
    assert summaries(f"?person={engineer.pk}") == [
        "Eddie Engineer wrote the handover note on " + str(rota[1])
    ]
    assert summaries("?action=api_token.created") == [
        "Maya Manager created the API token “Bridge” (" + TeamApiToken.objects.get().prefix + "…)"
    ]
    assert len(summaries("?start=2026-06-02&end=2026-06-30")) == 1
    bad = manager_client.get("/teams/payments/audit/?start=2026-06-30&end=2026-06-01")
    assert bad.status_code == 400


def test_reminder_preferences_are_saved(engineer_client, engineer):
    response = engineer_client.post(
        "/me/reminders/", {"shift_start": "", "handover_missing": "on", "unfilled": "on"}
    )
    assert response.status_code == 302
    preferences = ReminderPreferences.objects.get(user=engineer)
    assert (preferences.shift_start, preferences.handover_missing, preferences.unfilled) == (
        False,
        True,
        True,
    )
    assert engineer_client.get("/me/reminders/").status_code == 405


def test_all_teams_overview_uses_constant_queries(
    client_for, team, period, engineer, partner, at_noon
):
    client = client_for(engineer)

    def load() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/oncall/").status_code == 200
        return len(queries)

    make_shift(period, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=engineer, secondary=partner)
    make_shift(period, utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=partner, secondary=engineer)
    one_team = load()
    for _ in range(4):
        other = TeamFactory()
        MembershipFactory(team=other, user=engineer)
        make_shift(
            PeriodFactory(team=other),
            utc(2026, 6, 1, 8),
            utc(2026, 6, 2, 8),
            primary=MembershipFactory(team=other).user,
        )
        make_shift(
            PeriodFactory(team=other), utc(2026, 6, 2, 8), utc(2026, 6, 3, 8), primary=engineer
        )
    assert load() == one_team
