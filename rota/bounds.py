"""Bounded input: dates, months and integers that cannot overflow anything downstream.

Every date a person can type is kept between EARLIEST and LATEST (years 2000–2100), so adding
a period's length, a time zone offset or a year never leaves the range Python and the
database can hold; every integer fits a PostgreSQL bigint. Forms use `DateField` and
`IntegerField` from here; views reading the query string use `query_int`, `query_date` and
`parse_month`, which raise `BadInput` (a 400 page) rather than letting a bad value reach a
query.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.http import HttpRequest

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_ID = 2**63 - 1  # PostgreSQL bigint
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class BadInput(BadRequest):
    """A query or path value is out of range or malformed: answered with a 400."""


def date_in_range(value: date) -> bool:
    """Tell whether the date lies in the range Rota accepts."""
    return EARLIEST <= value <= LATEST


def _out_of_range() -> str:
    return f"Enter a date between {EARLIEST:%-d %b %Y} and {LATEST:%-d %b %Y}."


class DateField(forms.DateField):
    """A form DateField that refuses dates outside 2000–2100."""

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        if result is not None and not date_in_range(result):
            raise forms.ValidationError(_out_of_range(), code="date_out_of_range")
        return result


class IntegerField(forms.IntegerField):
    """A form IntegerField bounded to what the database can hold (narrower if given)."""

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs):
        super().__init__(
            min_value=-MAX_ID if min_value is None else min_value,
            max_value=MAX_ID if max_value is None else max_value,
            **kwargs,
        )

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and len(value.strip()) > 20:
            raise forms.ValidationError("Enter a smaller number.", code="max_value")
        return super().to_python(value)


def parse_month(text: str) -> date:
    """Return the first day of a YYYY-MM month in range, or raise ValueError."""
    match = _MONTH.fullmatch(text.strip())
    if not match:
        raise ValueError("not a month")
    first = date(int(match.group(1)), int(match.group(2)), 1)
    if not date_in_range(first):
        raise ValueError("month out of range")
    return first


def query_int(
    request: HttpRequest,
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = MAX_ID,
) -> int | None:
    """Return the query parameter as an int within bounds, default when absent, else BadInput."""
    text = request.GET.get(name, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"-?\d{1,19}", text) or not minimum <= int(text) <= maximum:
        raise BadInput(f"{name} must be a whole number from {minimum} to {maximum}.")
    return int(text)


def query_date(request: HttpRequest, name: str, *, default: date | None = None) -> date | None:
    """Return the query parameter as a date in range, default when absent, else BadInput."""
    text = request.GET.get(name, "").strip()
    if not text:
        return default
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{name} must be a date such as 2027-03-01.") from None
    if not date_in_range(value):
        raise BadInput(_out_of_range())
    return value
