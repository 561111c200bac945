"""Walk the URL patterns: list them, build concrete URLs for the world, fingerprint the database."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import World

# Admin and allauth patterns are walked by their own small tables (test_url_sweep.py).
FOREIGN_PREFIXES = ("admin/", "accounts/")
PERSONAS = ("anonymous", "outsider", "colleague", "engineer", "manager")

# Columns a GET may legitimately write: read receipts kept for the people who own them.
READ_RECEIPTS = {
    "calendars.calendarpreferences": {"feed_read_at"},
    "oncall.teamapitoken": {"last_used_at"},
    "paging.pagingfeed": {"last_read_at"},
}
# Rows no request should be judged by: sessions change whenever a message is shown; permissions
# and content types are written by migrations only (and are the largest tables to hash).
IGNORED_MODELS = {"sessions.session", "auth.permission", "contenttypes.contenttype"}


def walk(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """Yield (route, qualified name) for every named pattern, recursively."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, namespace + entry.name


def own_patterns() -> dict[str, str]:
    """Return Rota's own named patterns: qualified name → route."""
    return {name: route for route, name in walk() if not route.startswith(FOREIGN_PREFIXES)}


def foreign_patterns() -> dict[str, str]:
    """Return the admin's and allauth's named patterns: qualified name → route."""
    return {name: route for route, name in walk() if route.startswith(FOREIGN_PREFIXES)}


def arguments(name: str, world: World) -> dict[str, object]:
    """Return the URL arguments that name the world's objects in the pattern called name."""
    pk_of: dict[str, Callable[[World], int]] = {
        "rotas": lambda w: w.period.pk,
        "rotas:shift": lambda w: w.week.shift.pk,
        "oncall:handover": lambda w: w.week.shift.pk,
        "oncall:token_revoke": lambda w: w.api_token.pk,
        "cover:withdraw_swap": lambda w: w.swap.pk,
        "cover": lambda w: w.cover_request.pk,
        "webhooks": lambda w: w.endpoint.pk,
        "webhooks:redeliver": lambda w: w.delivery.pk,
        "paging": lambda w: w.schedule_link.pk,
        "slack:retry": lambda w: 1,  # no Slack installation in the world: any id is a 404
    }
    tokens: dict[str, Callable[[World], str]] = {
        "invitation": lambda w: w.invitation_token,
        "calendars:feed": lambda w: w.feed_token,
        "calendars:team_feed": lambda w: w.team_feed_token,
        "calendars:link": lambda w: last_segment(w.cant_make_it_link()),
        "calendars:link_done": lambda w: last_segment(w.cant_make_it_link()),
        "cover:link": lambda w: last_segment(w.ask_link()),
        "cover:swap_link": lambda w: last_segment(w.swap_link()),
        "paging:feed": lambda w: w.paging_feed_token,
    }
    by_param: dict[str, Callable[[World], object]] = {
        "slug": lambda w: w.week.period.team.slug,
        "seat_id": lambda w: w.seat.pk,
        "invitation_id": lambda w: w.invitation.pk,
        "member_id": lambda w: w.membership.pk,
        "entry_id": lambda w: w.entry.pk,
        "block_id": lambda w: w.block.pk,
        "connection_id": lambda w: w.connection.pk,
        "requirement_id": lambda w: w.completion.requirement_id,
        "completion_id": lambda w: w.completion.pk,
        "user_id": lambda w: w.membership.user_id,
        "template_id": lambda w: w.period.template_id,
        "pk": lambda w: (pk_of.get(name) or pk_of[name.split(":")[0]])(w),
        "token": lambda w: tokens[name](w),
    }
    params = re.findall(r"<(?:\w+:)?(\w+)>", own_patterns()[name])
    return {param: by_param[param](world) for param in params}


def last_segment(path: str) -> str:
    """Return the token at the end of a link's path."""
    return path.rstrip("/").split("/")[-1]


def url_for(name: str, world: World) -> str:
    return reverse(name, kwargs=arguments(name, world))


def fingerprint() -> dict[str, str]:
    """Return a digest of every row of every model, but for read receipts and sessions.

    One query for the whole database: the sweep takes a fingerprint after each of its
    1,500 requests, and a query per table was most of its time.
    """
    tables = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED_MODELS:
            continue
        skip = READ_RECEIPTS.get(label, set())
        columns = [f.column for f in model._meta.concrete_fields if f.attname not in skip]
        tables.append((label, model._meta.db_table, model._meta.pk.column, columns))
    quote = connection.ops.quote_name
    parts, params = [], []
    for label, table, pk, columns in tables:
        if connection.vendor == "postgresql":
            row = "ROW(" + ", ".join(f"t.{quote(c)}" for c in columns) + ")::text"
            parts.append(
                f"SELECT %s, coalesce(md5(string_agg({row}, '|' ORDER BY t.{quote(pk)})), '')"
                f" FROM {quote(table)} t"
            )
        else:  # SQLite: group_concat follows the order of the sub-query's rows
            row = " || ',' || ".join(f"quote({quote(c)})" for c in columns)
            parts.append(
                f"SELECT %s, coalesce(group_concat({row}, '|'), '')"
                f" FROM (SELECT * FROM {quote(table)} ORDER BY {quote(pk)})"
            )
        params.append(label)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return {label: hashlib.sha256(str(text).encode()).hexdigest() for label, text in rows}


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])
