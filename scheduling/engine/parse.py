"""Read a rota-problem/1 document strictly: every field checked, errors name where.

Times become aware UTC datetimes; windows become sorted epoch-second intervals.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .problem import FORMAT, Interval, Person, Problem, ProblemError, Rules, Slot
from .rules import check_fixed

_TOP_KEYS = {"format", "name", "timezone", "rules", "slots", "people", "fixed", "previous"}
_TOP_REQUIRED = ("format", "timezone", "rules", "slots", "people")
_RULE_KEYS = {
    "min_rest_hours",
    "experienced_threshold",
    "require_experienced_in_window",
    "max_oncall_share",
}
_RULE_REQUIRED = ("experienced_threshold", "min_rest_hours", "require_experienced_in_window")
_SLOT_KEYS = {"id", "start", "end", "role", "weight"}
_SLOT_REQUIRED = ("id", "start", "end", "role")
_PERSON_KEYS = {
    "id",
    "roles",
    "past_shifts",
    "max_shifts",
    "unavailable",
    "preferred",
    "avoid",
}
_PERSON_REQUIRED = ("id", "roles", "past_shifts")
_FIXED_KEYS = {"slot", "person"}


def _describe(value: Any) -> str:
    """Return a short JSON type name for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _object(value: Any, where: str, allowed: set[str], required: tuple[str, ...]) -> dict:
    """Check that value is an object with exactly the allowed keys."""
    if not isinstance(value, dict):
        raise ProblemError(where, f"must be an object, not {_describe(value)}")
    for key in value:
        if key not in allowed:
            raise ProblemError(_join(where, str(key)), "unknown field")
    for key in required:
        if key not in value:
            raise ProblemError(_join(where, key), "missing required field")
    return value


def _join(where: str, key: str) -> str:
    """Return the dotted path of key below where."""
    return f"{where}.{key}" if where else key


def _string(value: Any, where: str, *, empty: bool = False) -> str:
    """Check a (by default non-empty) string."""
    if not isinstance(value, str):
        raise ProblemError(where, f"must be a string, not {_describe(value)}")
    if not empty and not value.strip():
        raise ProblemError(where, "must not be empty")
    return value


def _number(value: Any, where: str, *, minimum: float = 0.0) -> float:
    """Check a finite number at least minimum."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProblemError(where, f"must be a number, not {_describe(value)}")
    if not math.isfinite(value):
        raise ProblemError(where, "must be a finite number")
    if value < minimum:
        raise ProblemError(where, f"must be at least {minimum:g}")
    return float(value)


def _integer(value: Any, where: str) -> int:
    """Check a non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(where, f"must be an integer, not {_describe(value)}")
    if value < 0:
        raise ProblemError(where, "must not be negative")
    return value


def _list(value: Any, where: str) -> list:
    """Check a list."""
    if not isinstance(value, list):
        raise ProblemError(where, f"must be a list, not {_describe(value)}")
    return value


def _timestamp(value: Any, where: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries its UTC offset, as UTC."""
    text = _string(value, where)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ProblemError(where, f"not an ISO 8601 timestamp: {text!r}") from None
    # A bare local time is ambiguous across a DST change, so the offset is mandatory.
    if moment.tzinfo is None:
        raise ProblemError(where, f"timestamp must carry its UTC offset: {text!r}")
    return moment.astimezone(UTC)


def _windows(value: Any, where: str) -> tuple[Interval, ...]:
    """Parse a list of [start, end] windows into sorted epoch-second intervals."""
    result = []
    for i, item in enumerate(_list(value, where)):
        at = f"{where}[{i}]"
        pair = _list(item, at)
        if len(pair) != 2:
            raise ProblemError(at, f"must be a [start, end] pair, not {len(pair)} items")
        start = _timestamp(pair[0], f"{at}[0]")
        end = _timestamp(pair[1], f"{at}[1]")
        if end <= start:
            raise ProblemError(at, "end must be after start")
        result.append((int(start.timestamp()), int(end.timestamp())))
    return tuple(sorted(result))


def _rules(value: Any) -> Rules:
    """Parse the rules object."""
    data = _object(value, "rules", _RULE_KEYS, _RULE_REQUIRED)
    flag = data["require_experienced_in_window"]
    if not isinstance(flag, bool):
        raise ProblemError(
            "rules.require_experienced_in_window", f"must be a boolean, not {_describe(flag)}"
        )
    return Rules(
        min_rest_hours=_number(data["min_rest_hours"], "rules.min_rest_hours"),
        experienced_threshold=_integer(
            data["experienced_threshold"], "rules.experienced_threshold"
        ),
        require_experienced_in_window=flag,
        max_oncall_share=_share(data.get("max_oncall_share")),
    )


def _share(value: Any) -> float | None:
    """Parse rules.max_oncall_share: a fraction above 0 and at most 1, or absent."""
    if value is None:
        return None
    share = _number(value, "rules.max_oncall_share")
    if not 0 < share <= 1:
        raise ProblemError(
            "rules.max_oncall_share", f"must be above 0 and at most 1, not {share:g}"
        )
    return share


def _new_id(value: Any, where: str, i: int, seen: dict[str, int], kind: str) -> str:
    """Parse the id of item i of the list `where`, refusing one an earlier item has."""
    item_id = _string(value, f"{where}[{i}].id")
    if item_id in seen:
        raise ProblemError(
            f"{where}[{i}].id", f"duplicate {kind} id {item_id!r} (also {where}[{seen[item_id]}])"
        )
    seen[item_id] = i
    return item_id


def _slots(value: Any) -> tuple[Slot, ...]:
    """Parse the slots list, rejecting duplicate ids and empty windows."""
    slots: list[Slot] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(_list(value, "slots")):
        at = f"slots[{i}]"
        data = _object(item, at, _SLOT_KEYS, _SLOT_REQUIRED)
        slot_id = _new_id(data["id"], "slots", i, seen, "slot")
        start = _timestamp(data["start"], f"{at}.start")
        end = _timestamp(data["end"], f"{at}.end")
        if end <= start:
            raise ProblemError(f"{at}.end", "must be after start")
        weight = _number(data.get("weight", 1.0), f"{at}.weight")
        slots.append(
            Slot(
                id=slot_id,
                start=start,
                end=end,
                role=_string(data["role"], f"{at}.role"),
                weight=weight,
                index=i,
            )
        )
    return tuple(slots)


def _people(value: Any) -> tuple[Person, ...]:
    """Parse the people list, rejecting duplicate ids."""
    people: list[Person] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(_list(value, "people")):
        at = f"people[{i}]"
        data = _object(item, at, _PERSON_KEYS, _PERSON_REQUIRED)
        person_id = _new_id(data["id"], "people", i, seen, "person")
        roles = [
            _string(role, f"{at}.roles[{j}]")
            for j, role in enumerate(_list(data["roles"], f"{at}.roles"))
        ]
        max_shifts = data.get("max_shifts")
        people.append(
            Person(
                id=person_id,
                roles=frozenset(roles),
                past_shifts=_integer(data["past_shifts"], f"{at}.past_shifts"),
                max_shifts=None if max_shifts is None else _integer(max_shifts, f"{at}.max_shifts"),
                unavailable=_windows(data.get("unavailable", []), f"{at}.unavailable"),
                preferred=_windows(data.get("preferred", []), f"{at}.preferred"),
                avoid=_windows(data.get("avoid", []), f"{at}.avoid"),
                index=i,
            )
        )
    return tuple(people)


def _fixed(value: Any, slots: dict[str, Slot], people: dict[str, Person]) -> dict[str, str]:
    """Parse fixed seats, resolving ids; legality is checked by rules.check_fixed."""
    fixed: dict[str, str] = {}
    seen: dict[str, int] = {}
    for i, item in enumerate(_list(value, "fixed")):
        at = f"fixed[{i}]"
        data = _object(item, at, _FIXED_KEYS, ("slot", "person"))
        slot_id = _string(data["slot"], f"{at}.slot")
        person_id = _string(data["person"], f"{at}.person")
        if slot_id not in slots:
            raise ProblemError(f"{at}.slot", f"unknown slot {slot_id!r}")
        if person_id not in people:
            raise ProblemError(f"{at}.person", f"unknown person {person_id!r}")
        if slot_id in seen:
            raise ProblemError(
                f"{at}.slot", f"slot {slot_id!r} is fixed twice (also fixed[{seen[slot_id]}])"
            )
        seen[slot_id] = i
        fixed[slot_id] = person_id
    return fixed


def _previous(
    value: Any, slots: dict[str, Slot], people: dict[str, Person]
) -> dict[str, str | None]:
    """Parse the optional previous assignments map (slot id -> person id or null)."""
    if not isinstance(value, dict):
        raise ProblemError("previous", f"must be an object, not {_describe(value)}")
    previous: dict[str, str | None] = {}
    for slot_id, person_id in value.items():
        at = f"previous.{slot_id}"
        if slot_id not in slots:
            raise ProblemError(at, f"unknown slot {slot_id!r}")
        if person_id is not None:
            _string(person_id, at)
            if person_id not in people:
                raise ProblemError(at, f"unknown person {person_id!r}")
        previous[slot_id] = person_id
    return previous


def parse_problem(data: Any) -> Problem:
    """Parse and validate a rota-problem/1 document; raise ProblemError naming the field."""
    data = _object(data, "", _TOP_KEYS, _TOP_REQUIRED)
    if data["format"] != FORMAT:
        raise ProblemError("format", f"must be {FORMAT!r}, not {data['format']!r}")
    name = _string(data.get("name", ""), "name", empty=True)
    timezone = _string(data["timezone"], "timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProblemError("timezone", f"unknown time zone {timezone!r}") from None
    rules = _rules(data["rules"])
    slots = _slots(data["slots"])
    people = _people(data["people"])
    slot_by_id = {s.id: s for s in slots}
    person_by_id = {p.id: p for p in people}
    fixed = _fixed(data.get("fixed", []), slot_by_id, person_by_id)
    previous = None
    if "previous" in data and data["previous"] is not None:
        previous = _previous(data["previous"], slot_by_id, person_by_id)
    problem = Problem(
        name=name,
        timezone=timezone,
        rules=rules,
        slots=slots,
        people=people,
        fixed=MappingProxyType(fixed),
        previous=None if previous is None else MappingProxyType(previous),
    )
    check_fixed(problem)
    return problem
