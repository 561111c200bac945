"""Agree / Decline buttons in DMs call the same race-free cover and swap services as the links."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from integrations.slack.models import Call, CallState
from scheduling.cover import services, swaps
from scheduling.cover.models import AskState, CoverRequest, State, SwapState
from scheduling.rotas.models import Seat, SeatChange
from tests.cover.factories import CoverSettingsFactory
from tests.slack.conftest import press

pytestmark = pytest.mark.django_db(transaction=True)


def _everyone_in_slack(slack, week) -> dict[int, str]:
    people = [week.requester, week.partner, week.alice, week.bob, week.carol, week.fred]
    return {p.pk: slack.add_user(p.email) for p in people + [week.manager]}


def _open_tuesday(week, k: int = 2) -> CoverRequest:
    CoverSettingsFactory(team=week.period.team, mode="broadcast", broadcast_k=k)
    return services.open_request(seat=week.seat_of(30, "primary"), user=week.carol)


def test_each_asked_candidate_gets_a_dm_with_agree_and_decline(slack, installed, week):
    ids = _everyone_in_slack(slack, week)
    request = _open_tuesday(week)
    asks = list(request.asks.filter(state=AskState.ASKED))
    dms = [c for c in slack.calls if c.method == "chat.postMessage"]
    assert sorted(c.args["channel"] for c in dms) == sorted(ids[a.candidate_id] for a in asks)
    buttons = dms[0].args["blocks"][1]["elements"]
    assert [b["action_id"] for b in buttons] == ["cover_agree", "cover_decline"]
    assert "Carol Cole" in dms[0].args["blocks"][0]["text"]["text"]


def test_two_people_pressing_agree_at_once_leaves_one_holder(postgres, slack, installed, week):
    ids = _everyone_in_slack(slack, week)
    request = _open_tuesday(week)
    asks = list(request.asks.filter(state=AskState.ASKED).order_by("rank"))
    assert len(asks) == 2
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def click(ask) -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(
                press(slack, ids[ask.candidate_id], "cover_agree", str(ask.pk)).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(a,)) for a in asks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [200, 200]
    request.refresh_from_db()
    assert request.state == State.COVERED
    winner = request.covered_by
    assert winner in [a.candidate for a in asks]
    assert Seat.objects.get(pk=week.seat_of(30, "primary").pk).holder == winner
    assert SeatChange.objects.filter(seat=request.seat, reason="cover").count() == 1
    answers = {h["path"].rsplit("press-", 1)[1]: h["text"] for h in slack.state.hooks}
    loser = next(a.candidate for a in asks if a.candidate != winner)
    assert "the shift is yours" in answers[ids[winner.pk]]
    assert "Someone else agreed first" in answers[ids[loser.pk]]


def test_decline_asks_the_next_person_by_dm(slack, installed, week):
    ids = _everyone_in_slack(slack, week)
    request = _open_tuesday(week, k=1)
    first = request.asks.get(state=AskState.ASKED)
    slack.clear()
    press(slack, ids[first.candidate_id], "cover_decline", str(first.pk))
    first.refresh_from_db()
    assert first.state == AskState.DECLINED
    second = request.asks.get(state=AskState.ASKED)
    # The press is answered on its response_url; the next candidate is found by email and DM'd.
    assert sorted(slack.methods()) == ["chat.postMessage", "response_url", "users.lookupByEmail"]
    assert [c.args["channel"] for c in slack.calls if c.method == "chat.postMessage"] == [
        ids[second.candidate_id]
    ]
    assert "asking someone else" in slack.state.hooks[0]["text"]


def test_a_button_pressed_by_someone_else_changes_nothing(slack, installed, week):
    ids = _everyone_in_slack(slack, week)
    request = _open_tuesday(week, k=1)
    ask = request.asks.get(state=AskState.ASKED)
    intruder = next(pk for pk in ids if pk not in (ask.candidate_id, week.carol.pk))
    press(slack, ids[intruder], "cover_agree", str(ask.pk))
    request.refresh_from_db()
    assert request.state == State.OPEN
    assert "sent to someone else" in slack.state.hooks[-1]["text"]


def test_a_swap_offer_arrives_as_a_dm_and_agree_swaps(slack, installed, week):
    ids = _everyone_in_slack(slack, week)
    mine, theirs = week.seat_of(30, "primary"), week.seat_of(26, "primary")
    # Friday 26 has passed at Saturday 11:00: swap Tuesday with nobody's past seat is refused,
    # so offer Carol's Tuesday to Pat for a seat Pat holds in the future: give Pat Monday.
    monday = week.seat_of(29, "primary")
    Seat.objects.filter(pk=monday.pk).update(holder=week.partner, proposed_holder=week.partner)
    from accounts import stamps

    stamps.touch(teams=[week.period.team.pk])
    offer = swaps.offer_swap(from_seat=mine, to_seat=monday, by=week.carol)
    dm = next(c for c in slack.calls if c.method == "chat.postMessage")
    assert dm.args["channel"] == ids[week.partner.pk]
    assert [b["action_id"] for b in dm.args["blocks"][1]["elements"]] == [
        "swap_accept",
        "swap_decline",
    ]
    press(slack, ids[week.partner.pk], "swap_accept", str(offer.pk))
    offer.refresh_from_db()
    assert offer.state == SwapState.ACCEPTED
    assert Seat.objects.get(pk=mine.pk).holder == week.partner
    assert Seat.objects.get(pk=monday.pk).holder == week.carol
    assert "Swapped" in slack.state.hooks[-1]["text"]
    assert theirs  # Friday's seat is untouched
    assert not Call.objects.filter(state=CallState.FAILED).exists()


def test_a_request_decided_elsewhere_closes_the_asks_dms(slack, installed, week):
    from scheduling.cover.signals import cover_resolved

    ids = _everyone_in_slack(slack, week)
    request = _open_tuesday(week)
    asked = {a.candidate_id for a in request.asks.filter(state=AskState.ASKED)}
    slack.clear()
    # Withdrawing announces cover_resolved on commit; Slack closes the asks' DMs.
    request = services.withdraw(request=request, by=week.carol)
    updates = [c for c in slack.calls if c.method == "chat.update"]
    assert len(updates) == 2
    assert all("closed; nothing more is needed" in c.args["text"] for c in updates)
    assert {c.args["channel"] for c in updates} == {"D" + ids[pk][1:] for pk in asked}
    # Announced twice (e.g. by two workers): nothing more is sent.
    slack.clear()
    cover_resolved.send(sender=CoverRequest, request=request, outcome="withdrawn")
    assert slack.calls == []
