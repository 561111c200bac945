"""Parsing and validating rota-problem/1: every kind of bad input names its field."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import pytest

from scheduling.engine import ProblemError, parse_problem
from tests.engine.checker import scenario, scenario_names


def base() -> dict[str, Any]:
    """Return a small valid problem: two windows of primary + secondary, three people."""
    return {
        "format": "rota-problem/1",
        "name": "tiny",
        "timezone": "Europe/London",
        "rules": {
            "min_rest_hours": 12,
            "experienced_threshold": 10,
            "require_experienced_in_window": True,
        },
        "slots": [
            {
                "id": "d1-primary",
                "start": "2027-03-01T09:00:00+00:00",
                "end": "2027-03-02T09:00:00+00:00",
                "role": "primary",
                "weight": 1.0,
            },
            {
                "id": "d1-secondary",
                "start": "2027-03-01T09:00:00+00:00",
                "end": "2027-03-02T09:00:00+00:00",
                "role": "secondary",
                "weight": 1.0,
            },
            {
                "id": "d2-primary",
                "start": "2027-03-02T09:00:00+00:00",
                "end": "2027-03-03T09:00:00+00:00",
                "role": "primary",
                "weight": 1.5,
            },
        ],
        "people": [
            {
                "id": "ann",
                "roles": ["primary", "secondary"],
                "past_shifts": 31,
                "max_shifts": 2,
                "unavailable": [["2027-03-05T00:00:00+00:00", "2027-03-06T00:00:00+00:00"]],
                "preferred": [],
                "avoid": [],
            },
            {"id": "bob", "roles": ["secondary"], "past_shifts": 0},
            {"id": "cat", "roles": ["primary", "secondary"], "past_shifts": 2},
        ],
        "fixed": [],
    }


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    """Return a mutation setting data[path] = value."""

    def mutate(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    """Return a mutation deleting data[path]."""

    def mutate(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _all(*mutations: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """Return a mutation applying several in turn."""

    def mutate(data: dict[str, Any]) -> None:
        for each in mutations:
            each(data)

    return mutate


def _fix(*pairs: tuple[str, str]) -> Callable[[dict[str, Any]], None]:
    """Return a mutation setting the fixed list."""
    return _set(("fixed",), [{"slot": s, "person": p} for s, p in pairs])


BAD = [
    ("missing top field", _delete(("slots",)), "slots"),
    ("missing slot field", _delete(("slots", 0, "start")), "slots[0].start"),
    ("missing person field", _delete(("people", 1, "roles")), "people[1].roles"),
    ("missing rule", _delete(("rules", "min_rest_hours")), "rules.min_rest_hours"),
    ("wrong format", _set(("format",), "rota-problem/2"), "format"),
    ("unknown top field", _set(("colour",), "blue"), "colour"),
    ("unknown slot field", _set(("slots", 2, "colour"), "blue"), "slots[2].colour"),
    ("unknown person field", _set(("people", 0, "email"), "a@b"), "people[0].email"),
    ("slots not a list", _set(("slots",), {"a": 1}), "slots"),
    ("slot not an object", _set(("slots", 1), "d1"), "slots[1]"),
    ("past_shifts as text", _set(("people", 0, "past_shifts"), "31"), "people[0].past_shifts"),
    ("past_shifts as bool", _set(("people", 0, "past_shifts"), True), "people[0].past_shifts"),
    ("negative past_shifts", _set(("people", 2, "past_shifts"), -1), "people[2].past_shifts"),
    ("max_shifts as float", _set(("people", 0, "max_shifts"), 2.5), "people[0].max_shifts"),
    ("roles not a list", _set(("people", 0, "roles"), "primary"), "people[0].roles"),
    ("role not a string", _set(("people", 0, "roles"), ["primary", 7]), "people[0].roles[1]"),
    ("empty slot role", _set(("slots", 0, "role"), " "), "slots[0].role"),
    ("weight as text", _set(("slots", 1, "weight"), "1.0"), "slots[1].weight"),
    ("negative weight", _set(("slots", 1, "weight"), -1), "slots[1].weight"),
    ("weight NaN", _set(("slots", 1, "weight"), math.nan), "slots[1].weight"),
    ("rest negative", _set(("rules", "min_rest_hours"), -2), "rules.min_rest_hours"),
    (
        "rule flag not bool",
        _set(("rules", "require_experienced_in_window"), "yes"),
        "rules.require_experienced_in_window",
    ),
    ("unknown timezone", _set(("timezone",), "Mars/Olympus"), "timezone"),
    (
        "timestamp without offset",
        _set(("slots", 1, "start"), "2027-03-01T09:00:00"),
        "slots[1].start",
    ),
    ("date only", _set(("slots", 1, "end"), "2027-03-02"), "slots[1].end"),
    ("not a timestamp", _set(("slots", 1, "start"), "yesterday"), "slots[1].start"),
    ("end equals start", _set(("slots", 2, "end"), "2027-03-02T09:00:00+00:00"), "slots[2].end"),
    (
        "end before start across offsets",
        _set(("slots", 2, "end"), "2027-03-02T09:30:00+01:00"),
        "slots[2].end",
    ),
    (
        "window end before start",
        _set(
            ("people", 0, "unavailable"),
            [["2027-03-06T00:00:00+00:00", "2027-03-05T00:00:00+00:00"]],
        ),
        "people[0].unavailable[0]",
    ),
    (
        "window not a pair",
        _set(("people", 0, "preferred"), [["2027-03-06T00:00:00+00:00"]]),
        "people[0].preferred[0]",
    ),
    (
        "window time without offset",
        _set(("people", 0, "avoid"), [["2027-03-06T00:00:00+00:00", "2027-03-07T00:00:00"]]),
        "people[0].avoid[0][1]",
    ),
    ("duplicate slot id", _set(("slots", 1, "id"), "d1-primary"), "slots[1].id"),
    ("duplicate person id", _set(("people", 2, "id"), "ann"), "people[2].id"),
    ("fixed unknown slot", _fix(("d9-primary", "ann")), "fixed[0].slot"),
    ("fixed unknown person", _fix(("d1-primary", "zed")), "fixed[0].person"),
    ("fixed twice", _fix(("d1-primary", "ann"), ("d1-primary", "cat")), "fixed[1].slot"),
    ("fixed missing person", _set(("fixed",), [{"slot": "d1-primary"}]), "fixed[0].person"),
    ("fixed lacking role", _fix(("d2-primary", "bob")), "fixed[0]"),
    (
        "fixed while unavailable",
        _all(
            _set(
                ("people", 2, "unavailable"),
                [["2027-03-02T00:00:00+00:00", "2027-03-02T12:00:00+00:00"]],
            ),
            _fix(("d2-primary", "cat")),
        ),
        "fixed[0]",
    ),
    ("fixed without rest", _fix(("d1-primary", "ann"), ("d2-primary", "ann")), "fixed[1]"),
    ("fixed overlapping", _fix(("d1-secondary", "cat"), ("d1-primary", "cat")), "fixed[1]"),
    (
        "fixed above max_shifts",
        _all(
            _set(("rules", "min_rest_hours"), 0),
            _set(("people", 0, "max_shifts"), 1),
            _fix(("d1-primary", "ann"), ("d2-primary", "ann")),
        ),
        "fixed[1]",
    ),
    (
        "fixed window of newcomers",
        _fix(("d1-primary", "cat"), ("d1-secondary", "bob")),
        "fixed[1]",
    ),
    ("previous unknown slot", _set(("previous",), {"d9-primary": "ann"}), "previous.d9-primary"),
    ("previous unknown person", _set(("previous",), {"d1-primary": "zed"}), "previous.d1-primary"),
    ("previous not an object", _set(("previous",), ["ann"]), "previous"),
]


@pytest.mark.parametrize(("mutate", "field"), [(m, f) for _, m, f in BAD], ids=[b[0] for b in BAD])
def test_bad_input_names_its_field(mutate: Callable[[dict[str, Any]], None], field: str) -> None:
    data = base()
    parse_problem(copy.deepcopy(data))  # The unmutated problem is valid.
    mutate(data)
    with pytest.raises(ProblemError) as caught:
        parse_problem(data)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert "\n" not in str(caught.value)


def test_not_an_object_is_rejected() -> None:
    with pytest.raises(ProblemError) as caught:
        parse_problem(["rota-problem/1"])
    assert "must be an object" in str(caught.value)


@pytest.mark.parametrize("name", scenario_names())
def test_scenarios_parse(name: str) -> None:
    data = scenario(name)
    problem = parse_problem(data)
    assert len(problem.slots) == len(data["slots"])
    assert len(problem.people) == len(data["people"])
    assert problem.previous is None


def test_optional_fields_default() -> None:
    data = base()
    del data["fixed"]
    del data["name"]
    del data["slots"][0]["weight"]
    problem = parse_problem(data)
    assert problem.fixed == {}
    assert problem.slots[0].weight == 1.0
    assert problem.people[1].max_shifts is None
    assert problem.people[1].unavailable == ()


def test_previous_and_fixed_are_kept() -> None:
    data = base()
    data["fixed"] = [{"slot": "d1-primary", "person": "ann"}]
    data["previous"] = {"d1-primary": "ann", "d1-secondary": None}
    problem = parse_problem(data)
    assert dict(problem.fixed) == {"d1-primary": "ann"}
    assert dict(problem.previous or {}) == {"d1-primary": "ann", "d1-secondary": None}


def test_times_are_real_utc_across_dst() -> None:
    problem = parse_problem(scenario("team-month-1"))
    slot = problem.slot_by_id["2027-03-27-primary"]
    # 09:00 GMT to 09:00 BST is 23 real hours.
    assert slot.end_ts - slot.start_ts == 23 * 3600
    after = problem.slot_by_id["2027-03-28-primary"]
    assert after.start_ts == slot.end_ts
    assert after.end_ts - after.start_ts == 24 * 3600
