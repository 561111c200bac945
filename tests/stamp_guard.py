"""Fail a test whose product code writes a watched table and never renews that row's team stamps.

Each product write to a table ``stamps.watch`` declared is kept with the teams its rows belong
to, worked out by the product's own mapping (``stamps.WATCHED``: table → teams of an instance)
from the rows themselves: inserted rows are read back by the ids the INSERT returns, updated
and deleted rows are read before the write (and updated ones again after it, in case they moved
to another team). A touch clears only the writes of the teams it names. A row whose teams cannot
be worked out (its parent gone, a statement the guard cannot read) is kept as "team unknown",
which any touch clears: the guard is never stricter than it can justify.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import Model

from accounts import stamps

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
HERE = Path(__file__).resolve()
SET_COLUMNS = re.compile(r'^\s*UPDATE\s+"?\w+"?\s+SET\s+(.*?)\s+WHERE\s', re.IGNORECASE | re.S)
SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+"?(\w+)"?', re.I)
ROOT = HERE.parent.parent
UNKNOWN = None  # the teams of a write the guard could not work out


@dataclass
class Write:
    """A watched write still waiting for a touch of its teams."""

    where: str
    teams: set[int] | None
    seq: int

    def describe(self) -> str:
        if self.teams is UNKNOWN:
            return f"{self.where} (team unknown)"
        return f"{self.where} (team {', '.join(map(str, sorted(self.teams)))} not touched)"


class StampGuard:
    """Keep watched writes until their teams are touched; drop the rolled back ones."""

    def __init__(self) -> None:
        self.pending: list[Write] = []
        self.savepoints: dict[str, int] = {}
        self._seq = itertools.count()

    @property
    def messages(self) -> list[str]:
        return list(dict.fromkeys(write.describe() for write in self.pending))

    def __call__(self, execute, sql, params, many, context):
        savepoint = SAVEPOINT.match(sql)
        if savepoint:
            result = execute(sql, params, many, context)
            self._savepoint(savepoint.group(1).upper(), savepoint.group(2))
            return result
        match = WRITE.match(sql)
        table = match.group(2) if match else None
        if table not in stamps.WATCHED or _only_unseen(sql, table):
            return execute(sql, params, many, context)
        origin = _origin()
        if origin is None:  # the test's own setup
            return execute(sql, params, many, context)
        verb = match.group(1).upper()
        connection = context["connection"]
        model = _model(table)
        before: list[Model] = []
        if verb != "INSERT INTO" and not many:
            before = _rows(
                connection,
                f'SELECT * FROM "{table}"{_where(sql)}',
                _where_params(sql, params),
                model,
            )
        result = execute(sql, params, many, context)
        if context["cursor"].rowcount == 0:
            return result
        if many:
            rows = UNKNOWN
        elif verb == "INSERT INTO":
            rows = _inserted(connection, context["cursor"], model)
        elif verb == "UPDATE" and before is not UNKNOWN:
            pk = model._meta.pk.column
            after = _rows(
                connection,
                f'SELECT * FROM "{table}" WHERE "{pk}" = ANY(%s)',
                [[row.pk for row in before]],
                model,
            )
            rows = UNKNOWN if after is UNKNOWN else before + after
        else:
            rows = before
        if rows == []:  # rows were written that the guard did not find: say so
            rows = UNKNOWN
        teams = _teams(connection, table, rows)
        if teams is UNKNOWN and os.environ.get("STAMP_GUARD_UNKNOWN_LOG"):
            with open(os.environ["STAMP_GUARD_UNKNOWN_LOG"], "a") as log:
                log.write(f"{verb} {table} at {origin}\n")
        if teams is UNKNOWN or teams:
            self.pending.append(Write(f"{table} written at {origin}", teams, next(self._seq)))
        return result

    def _savepoint(self, verb: str, name: str) -> None:
        if verb == "SAVEPOINT":
            self.savepoints[name] = next(self._seq)
        elif verb.startswith("ROLLBACK"):
            # Writes undone by the rollback need no new stamp.
            mark = self.savepoints.get(name)
            if mark is not None:
                self.pending = [write for write in self.pending if write.seq < mark]
        else:
            self.savepoints.pop(name, None)

    def touched(self, team_ids: set[int]) -> None:
        kept = []
        for write in self.pending:
            if write.teams is UNKNOWN:
                continue
            write.teams -= team_ids
            if write.teams:
                kept.append(write)
        self.pending = kept


def _origin() -> str | None:
    """Return where the product code wrote, or None when a test wrote (its own setup)."""
    for frame in reversed(traceback.extract_stack()):
        path = Path(frame.filename)
        if ROOT not in path.parents or ".venv" in path.parts or path == HERE:
            continue
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "tests":
            return None
        return f"{relative}:{frame.lineno}"
    return None


def _only_unseen(sql: str, table: str) -> bool:
    """Tell whether an UPDATE sets only columns no page shows (e.g. last_login)."""
    unseen = stamps.UNSEEN.get(table)
    found = SET_COLUMNS.match(sql)
    if not unseen or found is None:
        return False
    columns = set(re.findall(r'"(\w+)"\s*=', found.group(1)))
    return bool(columns) and columns <= unseen


def _model(table: str) -> type[Model]:
    return next(model for model in apps.get_models() if model._meta.db_table == table)


def _split_where(sql: str) -> tuple[str, str]:
    """Split an UPDATE or DELETE at its own WHERE (not one inside a subquery or a string)."""
    depth, quote = 0, ""
    for index, char in enumerate(sql):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and sql[index : index + 7].upper() == " WHERE ":
            return sql[:index], sql[index:]
    return sql, ""


def _where(sql: str) -> str:
    return _split_where(sql)[1]


def _where_params(sql: str, params: Sequence[Any] | None) -> list[Any]:
    head, _ = _split_where(sql)
    used = head.replace("%%", "").count("%s")
    return list(params or [])[used:]


@contextlib.contextmanager
def _quietly(connection) -> Iterator[None]:
    """Run the guard's own queries unseen: no wrappers, no query log, undone if they fail."""
    wrappers, debug = connection.execute_wrappers, connection.force_debug_cursor
    connection.execute_wrappers, connection.force_debug_cursor = [], False
    raw = connection.connection
    in_transaction = not connection.get_autocommit() or connection.in_atomic_block
    try:
        if in_transaction:
            raw.execute("SAVEPOINT stamp_guard")
        try:
            yield
        except BaseException:
            if in_transaction:
                raw.execute("ROLLBACK TO SAVEPOINT stamp_guard")
            raise
        else:
            if in_transaction:
                raw.execute("RELEASE SAVEPOINT stamp_guard")
    finally:
        connection.execute_wrappers, connection.force_debug_cursor = wrappers, debug


def _rows(connection, sql: str, params: list[Any], model: type[Model]) -> list[Model] | None:
    """Return the rows a query finds as instances, or None when the guard cannot read them."""
    if connection.needs_rollback:
        return UNKNOWN
    try:
        with _quietly(connection), connection.connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description]
            found = cursor.fetchall()
    except Exception:
        return UNKNOWN
    return [_instance(model, dict(zip(names, row, strict=True))) for row in found]


def _instance(model: type[Model], row: dict[str, Any]) -> Model:
    values = {f.attname: row[f.column] for f in model._meta.concrete_fields if f.column in row}
    instance = model(**values)
    instance._state.adding = False
    return instance


def _inserted(connection, cursor, model: type[Model]) -> list[Model] | None:
    """Read back the rows an INSERT made, by the ids it returned (Django's RETURNING)."""
    raw = cursor.cursor
    pk = model._meta.pk.column
    if raw.description is None or pk not in [column.name for column in raw.description]:
        return UNKNOWN
    at = [column.name for column in raw.description].index(pk)
    ids = [row[at] for row in raw.fetchall()]
    raw.scroll(0, mode="absolute")  # Django reads the ids next
    table = model._meta.db_table
    return _rows(connection, f'SELECT * FROM "{table}" WHERE "{pk}" = ANY(%s)', [ids], model)


def _teams(connection, table: str, rows: list[Model] | None) -> set[int] | None:
    """Return the teams the rows belong to by the product's own mapping, None when unknown."""
    if rows is UNKNOWN:
        return UNKNOWN
    teams_of = stamps.WATCHED[table]
    found: set[int] = set()
    try:
        with _quietly(connection):
            for row in rows:
                found |= {pk for pk in teams_of(row) if pk}
    except Exception:  # a parent row already gone, a query that failed
        return UNKNOWN
    return found
