"""Re-solving a published rota with `previous` changes only the seats that must change."""

from __future__ import annotations

import copy

from scheduling.engine import parse_problem, solve
from tests.engine.checker import max_kept, scenario, violations, when


def _changed(before: dict[str, str | None], after: dict[str, str | None]) -> set[str]:
    return {s for s, holder in before.items() if holder is not None and after[s] != holder}


def test_newly_unavailable_person_changes_only_their_seats() -> None:
    data = scenario("team-month-1")
    first = solve(parse_problem(data), time_limit=20, candidates=False).assignments
    # Someone holding a seat mid-month becomes unavailable for that day.
    slot = next(s for s in data["slots"] if s["id"] == "2027-03-15-primary")
    person = first[slot["id"]]
    assert person is not None
    again = copy.deepcopy(data)
    holder = next(p for p in again["people"] if p["id"] == person)
    holder["unavailable"].append([slot["start"], slot["end"]])
    must_change = {
        s["id"]
        for s in again["slots"]
        if first[s["id"]] == person
        and when(s["start"]) < when(slot["end"])
        and when(slot["start"]) < when(s["end"])
    }
    again["previous"] = first
    second = solve(parse_problem(again), time_limit=20, candidates=False)
    assert violations(again, second.assignments) == []
    assert second.filled == sum(1 for h in first.values() if h is not None)
    assert _changed(first, second.assignments) == must_change == {slot["id"]}
    assert len(first) - len(must_change) == max_kept(again)


def test_unchanged_problem_keeps_the_whole_rota() -> None:
    data = scenario("follow-the-sun-1")
    first = solve(parse_problem(data), time_limit=20, candidates=False).assignments
    data["previous"] = first
    second = solve(parse_problem(data), time_limit=20, candidates=False)
    assert second.assignments == first
    assert second.stages[1].name == "keep"


def test_previous_holder_now_ineligible_is_replaced_but_others_stay() -> None:
    data = scenario("small-weekly-1")
    first = solve(parse_problem(data), time_limit=10, candidates=False).assignments
    leaver = first["w05-primary"]
    again = copy.deepcopy(data)
    # The leaver loses the primary role altogether: every primary seat of theirs must change.
    person = next(p for p in again["people"] if p["id"] == leaver)
    person["roles"] = [r for r in person["roles"] if r != "primary"]
    must_change = {s for s, h in first.items() if h == leaver and s.endswith("-primary")}
    again["previous"] = first
    second = solve(parse_problem(again), time_limit=10, candidates=False)
    assert violations(again, second.assignments) == []
    changed = _changed(first, second.assignments)
    assert must_change <= changed
    # Any knock-on change is one no valid, maximally filled rota could avoid.
    kept = sum(1 for h in first.values() if h is not None) - len(changed)
    assert kept == max_kept(again)
