"""Rota services: periods, seats, recommendations and publishing (split by concern)."""

from scheduling.rotas.errors import (
    ChangedMeanwhile,
    NeedsConfirmation,
    NotAMember,
    PeriodOverlap,
    RotaError,
    UnfilledSeats,
    WrongState,
)
from scheduling.rotas.services.periods import (
    create_period,
    describe_seat,
    open_collecting,
    save_template,
    update_settings,
)
from scheduling.rotas.services.publishing import publish
from scheduling.rotas.services.recommend import (
    accept_recommendation,
    recommend_periods,
    request_recommendation,
    run_recommendation,
)
from scheduling.rotas.services.seats import assign_seat, clear_seat, seat_warnings, set_locked

__all__ = [
    "ChangedMeanwhile",
    "NeedsConfirmation",
    "NotAMember",
    "PeriodOverlap",
    "RotaError",
    "UnfilledSeats",
    "WrongState",
    "accept_recommendation",
    "assign_seat",
    "clear_seat",
    "create_period",
    "describe_seat",
    "open_collecting",
    "publish",
    "recommend_periods",
    "request_recommendation",
    "run_recommendation",
    "save_template",
    "seat_warnings",
    "set_locked",
    "update_settings",
]
