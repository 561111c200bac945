"""HTTP servers on loopback that misbehave: oversized, dripping, malformed, redirecting."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Behaviour = Callable[[socket.socket, bytes], None]


@dataclass
class Server:
    url: str
    requests: list[bytes] = field(default_factory=list)


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def oversized(content_type: str = "text/calendar", megabytes: int = 200) -> Behaviour:
    """Send far more than any limit, with no Content-Length, as fast as possible."""

    def behave(conn: socket.socket, _request: bytes) -> None:
        conn.sendall(_head("200 OK", {"Content-Type": content_type, "Connection": "close"}))
        block = b"X" * (1024 * 1024)
        for _ in range(megabytes):
            conn.sendall(block)

    return behave


def dripping(content_type: str = "text/calendar", every: float = 0.2) -> Behaviour:
    """Answer the headers at once, then one byte of the body every `every` seconds, forever."""

    def behave(conn: socket.socket, _request: bytes) -> None:
        conn.sendall(_head("200 OK", {"Content-Type": content_type, "Content-Length": "100000"}))
        for _ in range(100000):
            conn.sendall(b"B")
            time.sleep(every)

    return behave


def dripping_headers(every: float = 0.2) -> Behaviour:
    """Send the status line and headers one byte at a time, never finishing."""

    def behave(conn: socket.socket, _request: bytes) -> None:
        for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 100000:
            conn.sendall(bytes([byte]))
            time.sleep(every)

    return behave


def fixed(status: str, headers: dict[str, str], body: bytes = b"") -> Behaviour:
    """Answer once with this status, these headers and this body."""

    def behave(conn: socket.socket, _request: bytes) -> None:
        headers_ = {"Content-Length": str(len(body)), "Connection": "close", **headers}
        conn.sendall(_head(status, headers_) + body)

    return behave


@contextmanager
def serve(behaviour: Behaviour | Callable[[bytes], Behaviour]) -> Iterator[Server]:
    """Run a server on 127.0.0.1 that treats every connection with `behaviour`."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    server = Server(url=f"http://127.0.0.1:{listener.getsockname()[1]}")
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    request += chunk
                server.requests.append(request)
                behaviour(conn, request)
            except OSError:
                pass  # the client hung up, as it should

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
