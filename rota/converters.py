"""Path converters: an id that always fits a database integer."""

from __future__ import annotations


class IdConverter:
    """Match 1 to 18 digits: any longer "id" is a 404, never an overflowing query."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
