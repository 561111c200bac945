"""No input answers 500: every URL pattern, every persona, hostile path, query and form values.

A property test (hypothesis) picks a pattern, a persona, a method and hostile values for the
path parameters, the query string and the form fields (every field name any page of the world
shows, plus the usual query names); a deterministic sweep sends each hostile value once to
each pattern. Every request runs in a transaction that is rolled back, so one example cannot
change the next. The test client re-raises a view's exception, so a 500 fails with its cause.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security import sweep

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "",
    "0",
    "-1",
    "1" * 19,  # past a bigint
    "9" * 40,
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "9999-12",
    "10000-01-01",
    "2027-02-30",
    "2027-13",
    "2027-03-28T01:30:00+99:00",
    "9999-12-31T23:59:59-23:59",
    "\x00",
    "a\r\nb",
    "<script>alert(1)</script>",
    "%",
    "ü" * 3,
    "x" * 5000,
    "null",
    "[]",
]
HOSTILE_IDS = ["0", "1" * 18, "999999999999999999"]
# The values most likely to break a parser or a date sum: sent to every field of every pattern.
SHARPEST = ["1" * 19, "0001-01-01", "9999-12-31", "9999-12", "\x00", "x" * 5000]
QUERY_NAMES = ["start", "end", "month", "at", "seat", "page", "past", "next", "role", "day", "q"]
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture
def clients(world, manager, engineer, outsider, client_for) -> dict[str, Client]:
    return {
        "anonymous": Client(),
        "outsider": client_for(outsider),
        "colleague": client_for(world.week.partner),
        "engineer": client_for(engineer),
        "manager": client_for(manager),
    }


@pytest.fixture
def field_names(world, clients) -> list[str]:
    """Every form field name the world's pages show to its engineer and its manager."""
    names: set[str] = set()
    for name in sweep.own_patterns():
        url = sweep.url_for(name, world)
        for persona in ("engineer", "manager"):
            response = clients[persona].get(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                names.update(re.findall(r'name="([\w\-]+)"', response.content.decode()))
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


def _path(name: str, world, hostile: dict[str, str]) -> str:
    """The pattern's URL with the world's values, hostile ones where given (ints and slugs)."""
    real = sweep.arguments(name, world)
    route = sweep.own_patterns()[name]

    def fill(match: re.Match) -> str:
        param = match.group(2)
        return str(hostile.get(param, real[param]))

    return "/" + PARAM.sub(fill, route)


def _send(client: Client, method: str, path: str, query: dict, data: dict) -> int:
    url = path + ("?" + urlencode(query) if query else "")
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    return response.status_code


values = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=30))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
@pytest.mark.slow
def test_no_pattern_answers_500_to_hostile_values(world, clients, field_names, data):
    name = data.draw(st.sampled_from(sorted(sweep.own_patterns())), label="pattern")
    persona = data.draw(st.sampled_from(sweep.PERSONAS), label="persona")
    method = data.draw(st.sampled_from(["GET", "POST"]), label="method")
    params = [m.group(2) for m in PARAM.finditer(sweep.own_patterns()[name])]
    hostile_path = {
        param: data.draw(st.sampled_from(HOSTILE_IDS), label=param)
        for param in params
        if param not in ("slug", "token") and data.draw(st.booleans(), label=f"hostile {param}")
    }
    query = data.draw(
        st.dictionaries(st.sampled_from(QUERY_NAMES + field_names), values, max_size=4),
        label="query",
    )
    form = data.draw(
        st.dictionaries(st.sampled_from(field_names or ["x"]), values, max_size=8), label="form"
    )
    path = _path(name, world, hostile_path)
    status = _send(clients[persona], method, path, query, form)
    assert status < 500, f"{method} {path} as {persona}: {status}"


@pytest.mark.slow
@pytest.mark.long
def test_the_sharpest_values_in_every_query_and_form_field(world, clients, field_names):
    client = clients["manager"]  # sees every page and every form
    failures = []
    for name in sorted(sweep.own_patterns()):
        path = _path(name, world, {})
        for value in SHARPEST:
            query = dict.fromkeys(QUERY_NAMES, value)
            form = dict.fromkeys(field_names, value)
            for method, q, d in (("GET", query, {}), ("POST", {}, form)):
                status = _send(client, method, path, q, d)
                if status >= 500:
                    failures.append(f"{method} {name} {value!r}: {status}")
    assert failures == []


@pytest.mark.parametrize("value", HOSTILE_IDS + ["1" * 19, "9" * 40])
def test_an_oversized_id_in_a_path_is_404_not_500(world, clients, value):
    for name, route in sweep.own_patterns().items():
        params = [m.group(2) for m in PARAM.finditer(route) if m.group(1) == "id"]
        if not params:
            continue
        path = _path(name, world, dict.fromkeys(params, value))
        for method in ("GET", "POST"):
            status = _send(clients["manager"], method, path, {}, {})
            assert status < 500, f"{method} {path}"
            if len(value) > 18:
                assert status == 404, f"{method} {path}: {status}"
