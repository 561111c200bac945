"""The deadline of one outbound call: a watchdog shuts every socket it used once time is up.

`Deadline(timeout)` is entered around a call; the adapter (`WatchedAdapter`) registers each
socket its connections open or reuse with the deadline of the call running in this context, so
a server that drips one byte at a time is cut off at the deadline, not at a per-read timeout.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from rota import urlguard
from rota.fetch_errors import FetchTimeout, seconds


@dataclass
class Deadline:
    """Shut every socket used for one call once its total time has passed."""

    timeout: float
    at: float = 0.0
    expired: bool = False
    sockets: list[socket.socket] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    timer: threading.Timer | None = None

    def __enter__(self) -> Deadline:
        self.at = time.monotonic() + self.timeout
        self.timer = threading.Timer(self.timeout, self._expire)
        self.timer.daemon = True
        self.timer.start()
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _current.reset(self._token)
        if self.timer is not None:
            self.timer.cancel()

    def remaining(self) -> float:
        return max(0.01, self.at - time.monotonic())

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self.lock:
            if sock not in self.sockets:
                self.sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self.lock:
            self.expired = True
            sockets = list(self.sockets)
        for sock in sockets:
            _shut(sock)

    def check(self) -> None:
        if self.expired or time.monotonic() >= self.at:
            raise FetchTimeout(f"The server did not answer within {seconds(self.timeout)}.")


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "rota_http_deadline", default=None
)


def _watch(sock: socket.socket | None) -> None:
    deadline = _current.get()
    if deadline is not None:
        deadline.watch(sock)


class _WatchedHTTPConnection(urlguard._GuardedHTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)

    def getresponse(self) -> Any:
        # A kept-alive connection is reused by a later call: watch it for that call too.
        _watch(self.sock)
        return super().getresponse()


class _WatchedHTTPSConnection(urlguard._GuardedHTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)

    getresponse = _WatchedHTTPConnection.getresponse


class _WatchedHTTPPool(urlguard._GuardedHTTPPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urlguard._GuardedHTTPSPool):
    ConnectionCls = _WatchedHTTPSConnection


class WatchedAdapter(urlguard.GuardedAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }
