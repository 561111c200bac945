"""What can go wrong with an outbound fetch, said for the person who typed the address.

Every error is a `rota.urlguard.FetchError`; the messages never name what a private host
resolves to. `rota.http` raises them and re-exports them (`http.FetchTimeout`, …).
"""

from __future__ import annotations

import requests

from rota.urlguard import FetchError


class FetchTimeout(FetchError):
    """The server did not answer, or did not finish answering, before the deadline."""


class ResponseTooLarge(FetchError):
    """The answer is larger than the caller's limit."""


class Unreachable(FetchError):
    """No connection could be made (refused, reset, name not found)."""


def innermost(error: BaseException) -> BaseException:
    """Return the deepest cause of a library's error (or the FetchError it wraps)."""
    inner = error
    for _depth in range(10):
        following = inner.__cause__ or inner.__context__
        if following is None:
            break
        inner = following
    if isinstance(error, requests.RequestException) and error.args:
        for arg in error.args:
            cause = getattr(arg, "reason", None)
            if isinstance(cause, FetchError):
                return cause
    return inner


def reason(inner: BaseException) -> str:
    """Say why in a few words, without internal host names or addresses."""
    text = str(inner).lower()
    if "refused" in text:
        return "the connection was refused"
    if "timed out" in text:
        return "the connection timed out"
    if "reset" in text or "aborted" in text or "broken pipe" in text:
        return "the connection was closed by the server"
    if "ssl" in text or "certificate" in text:
        return "the secure connection could not be established"
    if "incomplete" in text or "chunk" in text or "protocol" in text:
        return "the answer was cut off or malformed"
    return "the server could not be reached"


def seconds(timeout: float) -> str:
    """Return "1 second" or "2.5 seconds"."""
    return f"{timeout:g} second{'' if timeout == 1 else 's'}"


def size(count: int) -> str:
    """Return a byte count in words: "5 MB" from a mebibyte up, else "512 bytes"."""
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count} bytes"
