"""Fail a test whose product code writes a watched table and never renews a team stamp after."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from accounts import stamps

WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
HERE = Path(__file__).resolve()
SET_COLUMNS = re.compile(r'^\s*UPDATE\s+"?\w+"?\s+SET\s+(.*?)\s+WHERE\s', re.IGNORECASE | re.S)
SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+"?(\w+)"?', re.I)
ROOT = HERE.parent.parent


class StampGuard:
    """An execute wrapper: keeps watched writes until the next touch, drops rolled back ones."""

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.savepoints: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        savepoint = SAVEPOINT.match(sql)
        if savepoint:
            self._savepoint(savepoint.group(1).upper(), savepoint.group(2))
            return result
        match = WRITE.match(sql)
        if (
            match
            and match.group(1) in stamps.WATCHED
            and context["cursor"].rowcount != 0
            and not _only_unseen(sql, match.group(1))
        ):
            origin = self._origin()
            if origin is not None:
                self.pending.append(f"{match.group(1)} written at {origin}")
        return result

    def _savepoint(self, verb: str, name: str) -> None:
        if verb == "SAVEPOINT":
            self.savepoints[name] = len(self.pending)
        elif verb.startswith("ROLLBACK"):
            # Writes undone by the rollback need no new stamp.
            del self.pending[self.savepoints.get(name, len(self.pending)) :]
        else:
            self.savepoints.pop(name, None)

    def touched(self, team_ids: set[int]) -> None:
        self.pending.clear()
        self.savepoints = dict.fromkeys(self.savepoints, 0)

    @staticmethod
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
