"""A small threaded HTTP server on loopback that records calls, for contract servers."""

from __future__ import annotations

import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def line(self) -> str:
        """Return "METHOD /path" (the call as documentation names it)."""
        return f"{self.method} {self.path}"


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is instead of JSON


class ContractServer:
    """Serve `handle(call) -> Reply` on 127.0.0.1; `down` answers 503, `limit` 429s first."""

    def __init__(self, tls: Path | None = None) -> None:
        self.tls = tls
        self.calls: list[Call] = []
        self.down = False
        self.rate_limited = 0  # how many of the next requests get 429 with Retry-After
        self.retry_after = 30
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                call = Call(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                reply = server.dispatch(call)
                data = b"" if reply.body is None else json.dumps(reply.body).encode()
                if reply.raw is not None:
                    data = reply.raw
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if data and "Content-Type" not in reply.headers:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls / "cert.pem", tls / "key.pem")
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def dispatch(self, call: Call) -> Reply:
        with self.lock:
            if self.down:
                return Reply(503, self.error_body(503, "Service Unavailable"))
            if self.rate_limited > 0:
                self.rate_limited -= 1
                self.calls.append(call)
                return Reply(
                    429,
                    self.error_body(429, "Rate Limit Exceeded"),
                    {"Retry-After": str(self.retry_after)},
                )
            self.calls.append(call)
            return self.handle(call)

    def handle(self, call: Call) -> Reply:
        raise NotImplementedError

    def error_body(self, status: int, message: str) -> Any:
        return {"message": message}

    def lines(self) -> list[str]:
        return [c.line for c in self.calls]

    def reset(self) -> None:
        self.calls.clear()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def self_signed(directory: Path) -> Path:
    """Write a certificate for 127.0.0.1 (cert.pem, key.pem) into directory; return it."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return directory
