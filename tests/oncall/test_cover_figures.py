"""Cover figures from scheduling.cover: requests in flight on My shifts; covers in the report."""

from __future__ import annotations

from datetime import date

import time_machine

from scheduling.oncall import reports
from tests.factories import MembershipFactory
from tests.oncall.factories import make_shift, utc


def request_for(seat, *, state: str, covered_by=None, **times):
    from scheduling.cover.models import CoverRequest

    return CoverRequest.objects.create(
        team=seat.shift.team,
        seat=seat,
        requested_by=seat.holder,
        starts_at=times.get("starts_at", seat.shift.starts_at),
        ends_at=times.get("ends_at", seat.shift.ends_at),
        state=state,
        covered_by=covered_by,
        escalate_at=seat.shift.starts_at,
    )


def test_report_counts_covers_given_received_and_declines(team, period, engineer, partner):
    from scheduling.cover.models import Ask

    third = MembershipFactory(team=team, user__display_name="Tess Third").user
    first = make_shift(period, utc(2026, 5, 4, 8), utc(2026, 5, 5, 8), primary=engineer)
    second = make_shift(period, utc(2026, 5, 6, 8), utc(2026, 5, 7, 8), primary=engineer)
    covered = request_for(first.seats.get(), state="covered", covered_by=partner)
    Ask.objects.create(request=covered, candidate=third, rank=1, state="declined")
    Ask.objects.create(request=covered, candidate=partner, rank=2, state="agreed")
    open_one = request_for(second.seats.get(), state="open")
    Ask.objects.create(request=open_one, candidate=third, rank=1, state="declined")
    # Outside the range: not counted.
    late = make_shift(period, utc(2026, 7, 1, 8), utc(2026, 7, 2, 8), primary=engineer)
    request_for(late.seats.get(), state="covered", covered_by=third)

    people = {
        p.name: p
        for p in reports.build_report(
            team=team, start=date(2026, 5, 1), end=date(2026, 5, 31)
        ).people
    }
    assert (people["Eddie Engineer"].covers_received, people["Eddie Engineer"].covers_given) == (
        1,
        0,
    )
    assert (people["Pat Partner"].covers_given, people["Pat Partner"].declines) == (1, 0)
    assert (people["Tess Third"].covers_given, people["Tess Third"].declines) == (0, 2)


def test_my_shifts_lists_cover_requests_in_flight(engineer_client, period, engineer):
    shift = make_shift(period, utc(2026, 6, 3, 8), utc(2026, 6, 4, 8), primary=engineer)
    request_for(
        shift.seats.get(), state="open", starts_at=utc(2026, 6, 3, 18), ends_at=utc(2026, 6, 3, 22)
    )
    with time_machine.travel(utc(2026, 6, 1, 12), tick=False):
        html = engineer_client.get("/me/shifts/").content.decode()
    assert "cover open" in html
    assert "Wed 3 Jun 19:00" in html  # the partial window, in Eddie's zone
