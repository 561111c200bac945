"""Publish, reassign, cover and re-publish against the contract server: exactly the calls needed.

What Slack must hear (docs/integrations/slack.md): a change to a seat whose shift is running
updates that role's user group (created the first time, people found by email); a cover ask is a
DM; an Agree answers on its response_url, updates the other asks' DMs and tells the requester.
Future seats change nothing in Slack (their group changes at the handoff). No change, no call.
"""

from __future__ import annotations

from collections import Counter

import pytest
import time_machine

from integrations.slack.models import Call, CallState, UserGroup
from scheduling.cover import services as cover
from scheduling.cover.models import AskState
from scheduling.oncall.signals import handoff
from scheduling.rotas import services as rota
from scheduling.rotas.models import Seat, SeatChange, Shift
from tests.cover import conftest as cover_conftest
from tests.cover.factories import CoverSettingsFactory
from tests.slack.conftest import SATURDAY, press

pytestmark = pytest.mark.django_db(transaction=True)


def _group(slack, handle: str) -> dict:
    return next(g for g in slack.state.groups.values() if g["handle"] == handle)


def test_publish_reassign_cover_and_an_unchanged_republish(
    slack, installed, team, manager, engineer
):
    slack.state.everyone = True
    with time_machine.travel(SATURDAY, tick=False):
        week = cover_conftest.make_week(team, manager, engineer)
        ids = {
            p.pk: slack.add_user(p.email)
            for p in (week.requester, week.partner, week.alice, week.bob, week.carol, week.fred)
        }
        # 1. Publishing while Saturday runs: both running roles get their group, nothing else.
        assert Counter(slack.methods()) == Counter(
            {"users.lookupByEmail": 2, "usergroups.create": 2, "usergroups.users.update": 2}
        )
        assert _group(slack, "payments-primary")["users"] == [ids[week.requester.pk]]
        assert _group(slack, "payments-secondary")["users"] == [ids[week.partner.pk]]

        # 2. Reassigning the running primary seat: one group update with the new holder.
        slack.clear()
        rota.assign_seat(seat=week.seat, user=week.alice, by=manager, confirm=True)
        assert slack.methods() == ["users.lookupByEmail", "usergroups.users.update"]
        assert _group(slack, "payments-primary")["users"] == [ids[week.alice.pk]]
        # A future seat changing hands says nothing in Slack.
        slack.clear()
        rota.assign_seat(seat=week.seat_of(29, "primary"), user=week.bob, by=manager, confirm=True)
        assert slack.methods() == []

        # 3. A cover request for Tuesday, asked to two at once; one agrees in Slack.
        CoverSettingsFactory(team=team, mode="broadcast", broadcast_k=2)
        request = cover.open_request(seat=week.seat_of(30, "primary"), user=week.carol)
        asks = list(request.asks.filter(state=AskState.ASKED).order_by("rank"))
        asked = [a.candidate for a in asks]
        new_lookups = sum(
            1 for u in asked if u.pk not in (week.requester.pk, week.alice.pk, week.partner.pk)
        )
        assert Counter(slack.methods()) == Counter(
            {"chat.postMessage": 2, **({"users.lookupByEmail": new_lookups} if new_lookups else {})}
        )
        slack.clear()
        press(slack, ids[asks[0].candidate_id], "cover_agree", str(asks[0].pk))
        request.refresh_from_db()
        assert request.covered_by == asks[0].candidate
        # Carol, the requester, is found by email for the first time to be told.
        assert Counter(slack.methods()) == Counter(
            {
                "response_url": 1,
                "chat.update": 1,
                "chat.postMessage": 1,
                "users.lookupByEmail": 1,
            }
        )
        update = next(c for c in slack.calls if c.method == "chat.update")
        assert "is covering" in update.args["text"]
        told = next(c for c in slack.calls if c.method == "chat.postMessage")
        assert told.args["channel"] == ids[week.carol.pk]

        # 4. Publishing again with nothing changed: no SeatChange, no call.
        slack.clear()
        changes = SeatChange.objects.count()
        assert rota.publish(period=week.period, by=manager, confirm_unfilled=True) is None
        assert SeatChange.objects.count() == changes
        assert slack.methods() == []
        assert not Call.objects.exclude(state=CallState.SENT).exists()


def test_a_handoff_updates_the_group_and_dms_the_incoming_holder(
    slack, installed, team, manager, engineer
):
    slack.state.everyone = True
    with time_machine.travel(SATURDAY, tick=False) as clock:
        week = cover_conftest.make_week(team, manager, engineer)
        ids = {p.pk: slack.add_user(p.email) for p in (week.requester, week.partner, week.carol)}
        sunday = Shift.objects.get(period=week.period, starts_at__day=28)
        Seat.objects.filter(shift=sunday, role="primary").update(
            holder=week.carol, proposed_holder=week.carol
        )
        from accounts import stamps

        stamps.touch(teams=[team.pk])
        clock.move_to(sunday.starts_at)
        slack.clear()
        handoff.send(
            sender=Shift,
            team_id=team.pk,
            role="primary",
            shift_id=sunday.pk,
            previous_user_id=week.requester.pk,
            user_id=week.carol.pk,
            at=sunday.starts_at,
        )
        assert Counter(slack.methods()) == Counter(
            {"usergroups.users.update": 1, "chat.postMessage": 1, "users.lookupByEmail": 1}
        )
        assert _group(slack, "payments-primary")["users"] == [ids[week.carol.pk]]
        dm = next(c for c in slack.calls if c.method == "chat.postMessage")
        assert dm.args["channel"] == ids[week.carol.pk]
        assert (
            "You are now *primary* on call for *Payments*" in dm.args["blocks"][0]["text"]["text"]
        )
        # The same handoff announced twice sends nothing more.
        slack.clear()
        handoff.send(
            sender=Shift,
            team_id=team.pk,
            role="primary",
            shift_id=sunday.pk,
            previous_user_id=week.requester.pk,
            user_id=week.carol.pk,
            at=sunday.starts_at,
        )
        assert slack.methods() == []
        assert UserGroup.objects.get(role="primary").members == [week.carol.pk]
