"""The automatic checks: one small decorated function per check, kept in `CHECKS` (rota.parts).

Other apps add theirs from their AppConfig.ready() (or a module it imports):

    from scheduling.requirements.automatic import automatic_check

    @automatic_check("shifts_completed", "Has completed N shifts", params=("count",))
    def shifts_completed(*, team, users, on, params): ...

This module imports no models so that any app may import it at any time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rota.parts import Parts

logger = logging.getLogger(__name__)

CheckFunction = Callable[..., dict[int, bool]]


@dataclass(frozen=True)
class AutomaticCheck:
    """A registered check: its key, what managers read, and the parameters it takes."""

    key: str
    label: str
    function: CheckFunction
    params: tuple[str, ...] = ()
    how: str = ""
    url_name: str = ""

    def run(self, *, team: Any, users: list, on: date, params: dict) -> dict[int, bool]:
        """Return user_id -> met for every user, treating a missing answer as not met."""
        result = self.function(team=team, users=users, on=on, params=params or {})
        return {user.pk: bool(result.get(user.pk, False)) for user in users}


CHECKS: Parts[AutomaticCheck] = Parts("automatic requirement checks", key=lambda c: c.key)


def automatic_check(
    key: str, label: str, *, params: Iterable[str] = (), how: str = "", url_name: str = ""
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the automatic check `key`.

    `params` names the requirement parameters it reads (e.g. "count"); `how` and `url_name`
    tell an engineer what to do and where (a URL name without arguments).
    """

    def register(function: CheckFunction) -> CheckFunction:
        existing = CHECKS.get(key)
        if existing is not None and existing.function is not function:
            # Re-importing a module (autoreload, tests) re-registers; the newest wins, loudly.
            logger.info("Automatic check %r registered again by %s", key, function.__module__)
        CHECKS.add(
            AutomaticCheck(
                key=key,
                label=label,
                function=function,
                params=tuple(params),
                how=how,
                url_name=url_name,
            )
        )
        return function

    return register


def get_check(key: str) -> AutomaticCheck | None:
    """Return the registered check, or None when no app provides it (shown as not available)."""
    return CHECKS.get(key)


def registered_checks() -> list[AutomaticCheck]:
    """Return every registered check, by label."""
    return sorted(CHECKS, key=lambda check: check.label)


def unregister(key: str) -> None:
    """Forget a check (tests use this to clean up)."""
    CHECKS.remove(key)
