"""The one way an app contributes a part to another: a named list filled in AppConfig.ready().

The app that shows or runs the parts declares the list (`PANELS = Parts("dashboard panels")`);
an app offering one adds it from its own `ready()` (`PANELS.add(my_panel)`), so the consumer
never imports or names the contributor, and a rename fails at start-up, not silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Parts(Generic[T]):
    """An ordered list of parts apps contribute; adding the same part twice keeps one."""

    def __init__(self, name: str, *, key: Callable[[T], object] | None = None) -> None:
        self.name = name
        self._key = key or (lambda part: part)
        self._items: dict[object, T] = {}

    def add(self, part: T) -> T:
        """Add a part (a newer one with the same key replaces it); return it, for decorators."""
        self._items[self._key(part)] = part
        return part

    def get(self, key: object) -> T | None:
        """Return the part with this key, or None."""
        return self._items.get(key)

    def remove(self, key: object) -> None:
        """Forget a part (tests clean up with this)."""
        self._items.pop(key, None)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Parts {self.name}: {len(self)}>"
