"""Bounded input helpers: dates 2000–2100, ids that fit a bigint, months, query values."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import RequestFactory

from rota import bounds


def _request(**query: str):
    return RequestFactory().get("/", query)


def test_form_dates_outside_the_range_are_a_form_error():
    field = bounds.DateField()
    assert field.clean("2027-03-28") == date(2027, 3, 28)
    for text in ("9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"):
        with pytest.raises(bounds.forms.ValidationError, match="between"):
            field.clean(text)


def test_form_integers_fit_the_database():
    field = bounds.IntegerField()
    assert field.clean("42") == 42
    for text in ("9" * 19, "9" * 40, "-" + "9" * 30):
        with pytest.raises(bounds.forms.ValidationError):
            field.clean(text)


def test_months_are_parsed_within_range():
    assert bounds.parse_month("2027-03") == date(2027, 3, 1)
    for text in ("9999-12", "2027-13", "2027-3", "", "2027-03-01"):
        with pytest.raises(ValueError):
            bounds.parse_month(text)


def test_query_values_are_bounded_or_bad_input():
    assert bounds.query_int(_request(seat="12"), "seat") == 12
    assert bounds.query_int(_request(), "seat", default=3) == 3
    assert bounds.query_date(_request(start="2027-01-02"), "start") == date(2027, 1, 2)
    for query in ({"seat": "1" * 20}, {"seat": "x"}, {"seat": "-1"}):
        with pytest.raises(bounds.BadInput):
            bounds.query_int(_request(**query), "seat")
    for value in ("9999-12-31", "2027-02-30", "soon"):
        with pytest.raises(bounds.BadInput):
            bounds.query_date(_request(start=value), "start")


def test_an_oversized_id_does_not_match_a_route():
    from django.urls import Resolver404, resolve

    assert resolve("/teams/payments/rota/12/").kwargs["pk"] == 12
    with pytest.raises(Resolver404):
        resolve("/teams/payments/rota/" + "1" * 19 + "/")
