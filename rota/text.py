"""Text that leaves Rota in another format: one-line names, email headers and CSV cells.

Names and titles (a person's display name, a team, a requirement, a template, a role) are
shown inside email subjects, calendar lines and CSV cells, so `validate_single_line` refuses
control characters in them (line breaks, tabs, C1 controls, Unicode line separators), at the
form and at the model. `one_line` makes any text safe for one header line anyway, for the data
saved before the validator existed; `csv_cell` stops a cell from being read as a formula.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

# C0 controls (tab, CR and LF included), DEL, C1 controls, and the Unicode line separators.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def validate_single_line(value: str) -> None:
    """Refuse line breaks and other control characters in a name or title."""
    if value and CONTROL.search(value):
        raise ValidationError(
            "Use one line without tabs or other control characters.", code="control_characters"
        )


def one_line(text: str) -> str:
    """Return the text on one line: every run of control characters becomes one space."""
    return " ".join(CONTROL.sub(" ", text).split()) if CONTROL.search(text) else text


def csv_cell(value: Any) -> Any:
    """Return a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        # OWASP's advice: a leading apostrophe makes spreadsheets treat the cell as text.
        return "'" + value
    return value
