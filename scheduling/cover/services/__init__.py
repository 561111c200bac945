"""Cover requests: open ("I can't make it"), agree, decline, assign, withdraw and undo.

Opening is opening.py, the ends of a request resolving.py, the team's settings
team_settings.py. Asking, timeouts and escalation live in asking.py; swaps in swaps.py;
taking without being asked in taking.py; ranking in ranking.py.
"""

from scheduling.cover.errors import AlreadyCovered, AskClosed, CoverError, NotFree
from scheduling.cover.services.opening import cant_make_it, describe, open_request
from scheduling.cover.services.resolving import agree, assign, decline, undo, withdraw
from scheduling.cover.services.team_settings import update_settings

__all__ = [
    "AlreadyCovered",
    "AskClosed",
    "CoverError",
    "NotFree",
    "agree",
    "assign",
    "cant_make_it",
    "decline",
    "describe",
    "open_request",
    "undo",
    "update_settings",
    "withdraw",
]
