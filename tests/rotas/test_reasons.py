"""Why not: one reason per kind, its words and the manager's link; the summary's grouping."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from scheduling.availability.models import AvailabilityEntry, Kind
from scheduling.requirements.models import Kind as RequirementKind
from scheduling.requirements.models import Status
from scheduling.rotas import calendar
from scheduling.rotas import problem as problem_builder
from scheduling.rotas.gaps import group_empty
from scheduling.rotas.models import PeriodState, Seat
from scheduling.rotas.reasons import Explainer
from tests.availability.factories import BusyBlockFactory
from tests.factories import MembershipFactory, TeamFactory
from tests.requirements.factories import CompletionFactory, RequirementFactory
from tests.rotas.conftest import FIRST

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _before_the_period():
    with time_machine.travel(date(2027, 3, 1)):
        yield


def _seats(period):
    return list(
        Seat.objects.filter(shift__period=period)
        .select_related("shift")
        .order_by("shift__starts_at", "role")
    )


def _why(period, seat, user):
    return Explainer(problem_builder.build(period)).why_not(seat, user)


@pytest.fixture
def access(team, crew):
    """A requirement everyone in the crew meets from January."""
    requirement = RequirementFactory(
        team=team, title="Production access", kind=RequirementKind.APPROVAL
    )
    for user in crew:
        CompletionFactory(requirement=requirement, user=user, valid_from=date(2027, 1, 1))
    return requirement


def test_pending_approval_links_to_the_queue(period, crew, access):
    user = crew[2]
    access.completions.filter(user=user).delete()
    CompletionFactory(requirement=access, user=user, status=Status.PENDING, valid_from=None)
    reason = _why(period, _seats(period)[0], user)
    assert reason.kind == "pending"
    assert reason.words == "not eligible: Production access pending approval"
    assert reason.action == "Review the pending approval"
    assert reason.url == f"/teams/{period.team.slug}/requirements/#approval-queue"


def test_expired_names_the_last_day_and_offers_a_reminder(period, crew, access):
    user = crew[2]
    access.completions.filter(user=user).update(valid_until=date(2027, 3, 26))
    seats = _seats(period)
    assert _why(period, seats[0], user) is None  # 24 March: still met
    late = next(s for s in seats if s.shift.starts_at.date() == date(2027, 3, 27))
    reason = _why(period, late, user)
    assert reason.kind == "expired"
    assert reason.words == "not eligible: Production access expired (met until 25 Mar)"
    assert reason.action == f"Remind {user.name.split()[0]} to renew" and reason.post
    assert reason.url.endswith(f"/requirements/{access.pk}/remind/{user.pk}/")


def test_missing_requirement_offers_a_reminder(period, crew, access):
    user = crew[3]
    access.completions.filter(user=user).delete()
    reason = _why(period, _seats(period)[0], user)
    assert (reason.kind, reason.words) == ("ineligible", "not eligible: Production access missing")
    assert reason.action.startswith("Remind ")


def test_unavailable_marked_by_them(period, crew):
    user = crew[2]
    AvailabilityEntry.objects.create(user=user, day=FIRST, kind=Kind.UNAVAILABLE)
    reason = _why(period, _seats(period)[0], user)
    assert (reason.kind, reason.words) == ("unavailable", "unavailable (marked by them)")


def test_busy_in_their_calendar_never_shows_the_title(period, crew):
    user = crew[2]
    seat = _seats(period)[0]
    BusyBlockFactory(
        connection__user=user,
        start=seat.shift.starts_at + timedelta(hours=2),
        end=seat.shift.starts_at + timedelta(hours=3),
        summary="Secret interview",
    )
    reason = _why(period, seat, user)
    assert (reason.kind, reason.words) == ("busy", "busy (calendar)")
    assert "Secret" not in reason.words


def test_already_in_this_shift(period, crew):
    primary, secondary = _seats(period)[:2]
    Seat.objects.filter(pk=primary.pk).update(proposed_holder=crew[2])
    reason = _why(period, secondary, crew[2])
    assert (reason.kind, reason.words) == ("same_shift", f"already in this shift ({primary.role})")


def test_rest_across_the_dst_change_names_when_they_are_on_call(period, crew):
    seats = _seats(period)
    # Saturday 27 March 09:00 GMT to Sunday 28 March 09:00 BST is a 23-hour shift.
    saturday = next(s for s in seats if s.shift.starts_at.date() == date(2027, 3, 27))
    sunday = next(s for s in seats if s.shift.starts_at.date() == date(2027, 3, 28))
    assert saturday.shift.hours == 23
    Seat.objects.filter(pk=saturday.pk).update(proposed_holder=crew[2])
    with timezone.override(ZoneInfo("Europe/London")):  # the viewer's zone
        reason = _why(period, sunday, crew[2])
    assert reason.kind == "rest"
    assert reason.words == f"rest: on call until 09:00 Sun in {period.team.name} (12 h rest)"


def test_on_call_for_another_team_links_to_that_seat(period, crew, manager, template):
    from scheduling.rotas import services

    other = TeamFactory(name="Platform")
    MembershipFactory(team=other, user=crew[2])
    MembershipFactory(team=other, user=manager, role="manager")
    other_period = services.create_period(
        team=other,
        template=template.__class__.objects.create(
            team=other, name="Nights", handoff_time=time(21), roles=["primary"]
        ),
        starts_on=FIRST,
        ends_on=FIRST,
        by=manager,
    )
    theirs = Seat.objects.get(shift__period=other_period)
    Seat.objects.filter(pk=theirs.pk).update(proposed_holder=crew[2])
    other_period.state = PeriodState.RECOMMENDED
    other_period.save()
    reason = _why(period, _seats(period)[0], crew[2])
    assert reason.kind == "other_team"
    assert reason.words.startswith("on call for Platform then (primary Wed 24 Mar 21:00")
    assert reason.action == "Open Platform's seat"
    assert reason.url == f"/teams/{other.slug}/rota/{other_period.pk}/?seat={theirs.pk}#seat-panel"


def test_experience_rule(period, crew, rota_settings):
    rota_settings.require_experienced = True
    rota_settings.save()
    primary, secondary = _seats(period)[:2]
    Seat.objects.filter(pk=primary.pk).update(proposed_holder=crew[2])
    reason = _why(period, secondary, crew[3])
    assert reason.kind == "experience"
    assert reason.words == "the shift needs an experienced person (0 of 10 past shifts)"


def test_summary_groups_empty_seats_by_binding_cause_with_the_fix(period, crew, access):
    # Only two people may hold anything; two lack access, one of them with a request waiting.
    for user in crew[2:4]:
        access.completions.filter(user=user).delete()
    CompletionFactory(requirement=access, user=crew[2], status=Status.PENDING, valid_from=None)
    access.completions.filter(user=crew[4]).delete()
    for n in range(7):
        AvailabilityEntry.objects.create(
            user=crew[1], day=FIRST + timedelta(days=n), kind=Kind.UNAVAILABLE
        )
    seats = _seats(period)
    for seat in seats:
        if seat.role == "secondary":
            Seat.objects.filter(pk=seat.pk).update(proposed_holder=crew[0])
    pp = problem_builder.build(period)
    explainer = Explainer(pp)
    empty = [s for s in pp.seats if s.proposed_holder_id is None]
    gaps = group_empty(explainer, empty)
    first = gaps[0]
    assert first.title.startswith("Primary 24")
    names = " and ".join(sorted(u.name.split()[0] for u in crew[:2]))
    assert first.words.startswith(
        f"only {names} may hold primary; 3 people lack Production access — 1 approval waiting;"
    )
    assert "1 in another seat of the shift" in first.words and "1 unavailable" in first.words
    assert len(first.seats) == 7
    assert first.action == "Review approvals" and first.url.endswith("#approval-queue")
    assert calendar.summary(pp, explainer)["gaps"][0].words == first.words


def test_grid_tooltips_use_the_same_words(period, crew, access):
    user = crew[3]
    access.completions.filter(user=user).delete()
    pp = problem_builder.build(period)
    row = next(r for r in calendar.grid(pp)["rows"] if r["user"] == user)
    cell = row["cells"][0]
    assert not cell.eligible
    assert cell.title.endswith(": available, not eligible: Production access missing")
