"""Write the period calendar's table rows as HTML, in Python: grid, shifts, loads and health.

A month is 600–1,900 cells; through template tags (a for, ifs and a number format per cell)
they were half of the period calendar's build time, and the loads and health tables a fifth of
the rest for 60 people. The cards around the rows stay templates (rotas/_grid.html,
_shifts.html, _summary.html, _health.html). Every value is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from html import escape
from typing import Any

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe

from scheduling.rotas.models import Seat

SEAT_LINK = '?seat={pk}#seat-panel" data-seat="{pk}'
EMPTY = '<span class="badge bad">empty</span>'
LOCKED = '<span class="badge info" title="Locked: the engine keeps it">locked</span>'


class ShiftUrls(dict[int, str]):
    """Shift id → its page: the pattern is reversed once, then each id is written into it."""

    # An id no shift has: reverse() checks it against the id converter, then it is replaced.
    PLACEHOLDER = 987654321987654321

    def __init__(self) -> None:
        super().__init__()
        head, _, tail = reverse("rotas:shift", args=[self.PLACEHOLDER]).rpartition(
            str(self.PLACEHOLDER)
        )
        self.head, self.tail = head, tail

    def __missing__(self, shift_id: int) -> str:
        url = self[shift_id] = f"{self.head}{shift_id}{self.tail}"
        return url


def _hm(moment: datetime, tz: tzinfo) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def _chip(chip: Any, readonly: bool, urls: ShiftUrls) -> str:
    seat = chip.seat
    region = f'<span class="chip-region">{escape(chip.region)}</span>' if chip.region else ""
    if readonly:
        head = f'<a class="chip" href="{urls[seat.shift_id]}"'
    else:
        locked = " locked" if seat.locked else ""
        head = f'<a class="chip{locked}" href="{SEAT_LINK.format(pk=seat.pk)}"'
    return f'{head} title="{escape(chip.title)}">{escape(chip.short)}{region}</a>'


def grid_rows(grid: dict[str, Any], *, readonly: bool = False) -> SafeString:
    """Return the grid's body rows: the empty seats' row, then one row per person."""
    urls = ShiftUrls()
    out: list[str] = []
    if grid.get("empty_count"):
        out.append(
            '<tr class="empty-row"><th class="who" scope="row">Empty seats'
            f' <span class="badge bad">{grid["empty_count"]}</span></th>'
        )
        for chips in grid["empty"]:
            links = "".join(
                f'<a class="chip empty-chip" href="{SEAT_LINK.format(pk=c.seat.pk)}"'
                f' title="{escape(c.title)}">{escape(c.short)}</a>'
                for c in chips
            )
            out.append(f"<td>{links}</td>")
        out.append("</tr>\n")
    for row in grid["rows"]:
        out.append(f'<tr><th class="who" scope="row">{escape(row["user"].name)}</th>')
        for cell in row["cells"]:
            inelig = "" if cell.eligible else " inelig"
            chips = "".join(_chip(chip, readonly, urls) for chip in cell.chips)
            title = escape(cell.title)
            out.append(f'<td class="st-{cell.state}{inelig}" title="{title}">{chips}</td>')
        out.append("</tr>\n")
    if not grid["rows"]:
        out.append('<tr><td class="empty">No members.</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 (every value in it is escaped above)


def _holder(seat: Seat, readonly: bool) -> str:
    if readonly:
        return escape(seat.holder.name) if seat.holder is not None else EMPTY
    if not seat.proposed_holder_id:
        return EMPTY
    user = getattr(seat, "draft_user", None)
    return escape(user.name) if user is not None else "(former member)"


def _seat_cell(
    seat: Seat | None, row: dict[str, Any], readonly: bool, version: int, urls, tz: tzinfo
) -> str:
    if seat is None:
        return '<td class="seat-cell"></td>'
    if readonly:
        parts = [f'<a href="{urls[seat.shift_id]}">{_holder(seat, True)}</a>']
    else:
        parts = [f'<a href="{SEAT_LINK.format(pk=seat.pk)}">{_holder(seat, False)}</a>']
        if seat.locked:
            parts.append(LOCKED)
        if version and seat.holder_id != seat.proposed_holder_id:
            parts.append(
                '<span class="badge warn" title="Differs from the published version">changed</span>'
            )
    if row["regional"]:
        shift = seat.shift
        parts.append(
            f'<br><a class="small muted" href="{urls[seat.shift_id]}">'
            f"{_hm(shift.starts_at, tz)}–{_hm(shift.ends_at, tz)}</a>"
        )
    return f'<td class="seat-cell">{" ".join(parts)}</td>'


def shift_rows(
    rows: Iterable[dict[str, Any]], *, version: int = 0, readonly: bool = False
) -> SafeString:
    """Return the shifts table's body rows: a day, then a cell per region and role."""
    urls = ShiftUrls()
    tz = timezone.get_current_timezone()
    out: list[str] = []
    for row in rows:
        shift = row["shift"]
        head = f'<td><a href="{urls[shift.pk]}">{dateformat.format(row["date"], "D j M")}</a>'
        if not row["regional"]:
            weight = f" · weight {shift.weight}" if shift.weight != 1 else ""
            head += (
                f'<br><span class="small muted">{_hm(shift.starts_at, tz)}–{_hm(shift.ends_at, tz)}'
                f" · {floatformat(shift.hours, 0)} h{weight}</span>"
            )
        cells = "".join(_seat_cell(seat, row, readonly, version, urls, tz) for seat in row["cells"])
        out.append(f"<tr>{head}</td>{cells}</tr>\n")
    if not out:
        out.append('<tr><td class="empty">This period has no shifts.</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 (every value in it is escaped above)


def load_rows(summary: dict[str, Any]) -> SafeString:
    """Return the summary's loads table body: a row per person, heaviest load first."""
    out: list[str] = []
    shared = summary["shared"]
    for row in summary["loads"]:
        cells = [
            f'<td>{escape(row.user.name)}<div class="loadbar">'
            f'<span style="width: {row.bar}%"></span></div></td>',
            f"<td>{row.seats}</td>",
            f"<td>{floatformat(row.weight, '-1')}</td>",
            f"<td>{row.weekends}</td>",
            f"<td>{row.holidays}</td>",
        ]
        if shared:
            where = escape(row.elsewhere_title)
            title = f' title="{where}"' if where else ""
            note = f' <span class="small muted">({where})</span>' if where else ""
            cells.append(f"<td{title}>{row.elsewhere}{note}</td>")
        cells.append(f'<td class="hide-phone">{floatformat(row.busy_hours, "0")}</td>')
        past = escape(row.past_title)
        title = f' title="{past}"' if past else ""
        note = f' <span class="small muted">({past})</span>' if "," in row.past_title else ""
        cells.append(f'<td class="hide-phone"{title}>{row.past}{note}</td>')
        out.append(f"<tr>{''.join(cells)}</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 (every value in it is escaped above)


def health_rows(health: Any) -> SafeString:
    """Return the health table body: a row per person, the largest share of time first."""
    out: list[str] = []
    for p in health.people:
        warn = ' class="health-warn"' if p.warnings else ""
        other = (
            f' <span class="small muted">incl. {floatformat(p.other_hours, 0)} h'
            " for other teams</span>"
            if p.other_hours
            else ""
        )
        out.append(
            f"<tr{warn}><td>{escape(p.name)}{other}</td>"
            f'<td class="num">{p.percent}%</td>'
            f'<td class="num">{floatformat(p.weekend_holiday_hours, 0)} h</td>'
            f'<td class="num">{floatformat(p.night_hours, 0)} h</td>'
            f'<td class="num">{p.longest_run} d</td></tr>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value in it is escaped above)
