"""Rotation health: share of time on call, team size per site, weekends, nights and long runs."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from scheduling.rotas import health
from scheduling.rotas import problem as problem_builder
from scheduling.rotas.models import PeriodState
from tests.factories import MembershipFactory, TeamFactory
from tests.oncall.factories import PeriodFactory, make_shift, utc
from tests.rotas.factories import RotationTemplateFactory, ShiftPatternFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
SYDNEY = zoneinfo.ZoneInfo("Australia/Sydney")


def held(user_id: int, start: dt.datetime, hours: float, other: str = "") -> health.Held:
    return health.Held(user_id, start, start + dt.timedelta(hours=hours), other_team=other)


def assess(items, people, *, sites=None, days=28):
    start = utc(2027, 10, 4)
    return health.assess(
        items,
        people=people,
        start=start,
        end=start + dt.timedelta(days=days),
        team_tz=LONDON,
        holidays=frozenset(),
        sites=sites or {},
    )


def crew(n: int, tz=LONDON) -> dict[int, tuple[str, zoneinfo.ZoneInfo]]:
    return {i: (f"Person {i}", tz) for i in range(1, n + 1)}


def test_a_small_team_is_told_it_needs_eight_people():
    result = assess([], crew(5))
    assert result.sites[0].short
    assert "5 people: a rotation needs at least 8 to keep on-call time under 25%" in result.warnings
    assert assess([], crew(8)).warnings == []


def test_two_sites_need_six_each_counted_by_time_zone():
    people = crew(6) | {10 + i: (f"Aussie {i}", SYDNEY) for i in range(4)}
    result = assess([], people, sites={"London": "Europe/London", "Sydney": "Australia/Sydney"})
    assert [(s.label, s.people, s.short) for s in result.sites] == [
        ("London", 6, False),
        ("Sydney", 4, True),
    ]
    assert result.warnings == [
        "4 people in Sydney: a rotation needs at least 6 to keep on-call time under 25%"
    ]


def test_more_than_a_quarter_of_the_time_on_call_warns_and_counts_other_teams():
    start = utc(2027, 10, 4, 9)
    # 6 daily shifts of 28 days here (21%) and two more for another team: 8/28 = 29%.
    items = [held(1, start + dt.timedelta(days=2 * i), 24) for i in range(6)]
    items += [held(1, start + dt.timedelta(days=13 + i), 24, other="Platform") for i in (0, 2)]
    items += [held(2, start + dt.timedelta(days=1), 24)]
    result = assess(items, crew(8))
    first = next(p for p in result.people if p.user_id == 1)
    assert first.percent == 29
    assert first.other_hours == 48
    assert first.warnings == ["on call 29% of the time, 48 h of it for other teams (limit 25%)"]
    assert result.people[0] is first
    assert next(p for p in result.people if p.user_id == 2).warnings == []


def test_overlapping_seats_count_once_towards_the_share():
    start = utc(2027, 10, 4, 9)
    items = [held(1, start, 24), held(1, start, 24, other="Platform")]
    assert assess(items, crew(8)).people[0].share == 24 / (28 * 24)


def test_weekend_concentration_nights_and_long_runs():
    saturday = utc(2027, 10, 9, 9)
    # Person 1: every weekend day of four weeks; person 2 one weekday; person 3 nine days running.
    items = [held(1, saturday + dt.timedelta(days=7 * w + d), 24) for w in range(3) for d in (0, 1)]
    items += [held(2, utc(2027, 10, 5, 9), 24)]
    items += [held(3, utc(2027, 10, 11, 9) + dt.timedelta(days=d), 8) for d in range(9)]
    result = assess(items, crew(8))
    one = next(p for p in result.people if p.user_id == 1)
    three = next(p for p in result.people if p.user_id == 3)
    # 09:00 UTC is 10:00 BST: Saturday 10:00 to Monday 00:00 is 38 weekend hours a weekend.
    assert one.weekend_holiday_hours == 3 * 38
    assert any("weekends and holidays, twice the fair share" in w for w in one.warnings)
    assert three.longest_run == 9
    assert "9 days on call in a row" in three.warnings
    # Daily 09:00–09:00 shifts have 9 night hours each (22:00–07:00 in their own zone).
    two = next(p for p in result.people if p.user_id == 2)
    assert two.night_hours == 9
    assert one.night_hours == 6 * 9


def test_night_hours_follow_the_change_back_to_gmt():
    # Saturday 30 Oct 09:00 BST → Sunday 31 Oct 09:00 GMT is 25 h; its night is 10 h long.
    result = assess([held(1, utc(2027, 10, 30, 8), 25)], crew(8))
    assert result.people[0].night_hours == 10


def test_for_period_reads_proposed_holders_of_a_draft_and_other_teams_seats(db):
    team = TeamFactory(slug="payments")
    other = TeamFactory(slug="platform", name="Platform")
    people = [MembershipFactory(team=team).user for _ in range(3)]
    MembershipFactory(team=other, user=people[0])
    template = RotationTemplateFactory(team=team)
    ShiftPatternFactory(template=template, label="London", timezone="Europe/London")
    ShiftPatternFactory(template=template, label="Sydney", timezone="Australia/Sydney")
    draft = PeriodFactory(
        team=team,
        template=template,
        starts_on=dt.date(2027, 10, 1),
        ends_on=dt.date(2027, 10, 7),
        state=PeriodState.RECOMMENDED,
        version=0,
    )
    for day in range(3):
        shift = make_shift(draft, utc(2027, 10, 1 + day, 8), utc(2027, 10, 2 + day, 8))
        shift.seats.create(role="primary", proposed_holder=people[0])
    theirs = PeriodFactory(team=other, starts_on=dt.date(2027, 10, 1), ends_on=dt.date(2027, 10, 7))
    make_shift(theirs, utc(2027, 10, 5, 8), utc(2027, 10, 6, 8), primary=people[0])
    result = health.for_period(draft)
    first = next(p for p in result.people if p.user_id == people[0].pk)
    assert first.hours == 72 and first.other_hours == 24
    assert first.percent == round(96 / 168 * 100)
    assert [s.label for s in result.sites] == ["London", "Sydney"]


def test_the_calendar_reads_the_same_health_from_the_problems_seats(db):
    # A published period edited since (the draft differs), another team's seat in the period's
    # last hours, after its shifts and their rest: the calendar's health agrees with for_period's.
    team = TeamFactory(slug="payments", timezone="Europe/London")
    other = TeamFactory(slug="platform", name="Platform")
    people = [MembershipFactory(team=team).user for _ in range(3)]
    MembershipFactory(team=other, user=people[1])
    template = RotationTemplateFactory(team=team)
    ShiftPatternFactory(template=template, label="London", timezone="Europe/London")
    period = PeriodFactory(
        team=team,
        template=template,
        starts_on=dt.date(2027, 3, 26),  # across the change to summer time on 28 March
        ends_on=dt.date(2027, 3, 30),
        state=PeriodState.PUBLISHED,
        version=1,
    )
    for day in range(4):
        make_shift(period, utc(2027, 3, 26 + day, 9), utc(2027, 3, 27 + day, 8), primary=people[0])
    seat = period.shifts.order_by("starts_at").last().seats.get()
    seat.proposed_holder = people[2]  # an edit not yet published: holders still count
    seat.save()
    theirs = PeriodFactory(team=other, starts_on=dt.date(2027, 3, 26), ends_on=dt.date(2027, 3, 30))
    # The period ends at midnight BST, 23:00 UTC; the last shift at 08:00 UTC, its rest at 20:00.
    make_shift(theirs, utc(2027, 3, 30, 21), utc(2027, 3, 30, 22, 30), primary=people[1])
    pp = problem_builder.build(period)
    read = health.from_seats(
        period, users=pp.members, settings=pp.settings, seats=pp.seats, elsewhere=pp.commitments
    )
    expected = health.for_period(period)
    assert [(p.user_id, p.hours, p.other_hours, p.night_hours) for p in read.people] == [
        (p.user_id, p.hours, p.other_hours, p.night_hours) for p in expected.people
    ]
    assert read.warnings == expected.warnings
    assert next(p for p in read.people if p.user_id == people[1].pk).other_hours == 1.5
