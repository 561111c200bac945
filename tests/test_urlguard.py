"""The URL guard: blocked addresses are refused before any connection, redirects included."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from rota import http, urlguard


@pytest.fixture
def no_connections(monkeypatch):
    """Record (and refuse) every outgoing TCP connection attempt."""
    attempts: list = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"connected to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/cal.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/",
        "http://172.16.0.5/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "https://[ff02::1]/",
    ],
)
def test_blocked_addresses_are_refused_before_connecting(url, settings, no_connections):
    settings.URL_FETCH_ALLOW = []
    with pytest.raises(urlguard.BlockedAddress, match="private or reserved"):
        urlguard.check_url(url)
    with pytest.raises(urlguard.BlockedAddress):
        http.get_body(url, max_bytes=1000, timeout=2)
    assert no_connections == []


def test_loopback_is_blocked_unless_allowed(settings, no_connections):
    settings.URL_FETCH_ALLOW = []
    with pytest.raises(urlguard.BlockedAddress):
        urlguard.check_url("http://127.0.0.1:9/")
    with pytest.raises(urlguard.BlockedAddress):
        urlguard.check_url("http://localhost:9/")
    settings.URL_FETCH_ALLOW = ["127.0.0.1", "::1"]
    urlguard.check_url("http://127.0.0.1:9/")


def test_allow_list_takes_networks_and_host_names(settings):
    settings.URL_FETCH_ALLOW = ["10.1.0.0/16", "calendar.internal"]
    assert urlguard.address_allowed("10.1.2.3")
    assert not urlguard.address_allowed("10.2.0.1")
    assert urlguard.address_allowed("10.9.9.9", host="calendar.internal")
    assert urlguard.address_allowed("::ffff:10.1.0.7")


def test_public_addresses_are_allowed(settings):
    settings.URL_FETCH_ALLOW = []
    assert urlguard.address_allowed("8.8.8.8")
    assert urlguard.address_allowed("2606:4700:4700::1111")


def test_a_name_resolving_to_a_private_address_is_refused(settings, monkeypatch, no_connections):
    settings.URL_FETCH_ALLOW = []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 80))],
    )
    with pytest.raises(urlguard.BlockedAddress, match="private or reserved") as raised:
        http.get_body("http://calendar.example.com/cal.ics", max_bytes=1000, timeout=2)
    # The message must not map the internal network: the address stays unsaid.
    assert "10.0.0.7" not in str(raised.value)
    assert no_connections == []


def test_session_checks_the_address_it_connects_to(settings, monkeypatch, no_connections):
    """DNS rebinding: the name looked public when checked, private when connecting."""
    settings.URL_FETCH_ALLOW = []
    answers = iter(["93.184.215.14", "10.0.0.9", "10.0.0.9", "10.0.0.9"])
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), 80))],
    )
    session = urlguard.guarded_session()
    with pytest.raises(urlguard.BlockedAddress, match="private or reserved"):
        session.get("http://rebind.example.com/", timeout=2)
    assert no_connections == []


def test_only_http_and_https():
    with pytest.raises(urlguard.FetchError, match="Only http"):
        urlguard.check_url("file:///etc/passwd")
    with pytest.raises(urlguard.FetchError, match="Only http"):
        urlguard.check_url("ftp://example.com/x")


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self) -> None:  # noqa: N802
        status, headers, body = self.routes.get(self.path, (404, {}, b"no"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def local_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.routes = {}
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.routes
    httpd.shutdown()
    httpd.server_close()


def test_fetch_follows_allowed_redirects(local_server):
    base, routes = local_server
    routes["/a"] = (302, {"Location": "/b"}, b"")
    routes["/b"] = (301, {"Location": f"{base}/c"}, b"")
    routes["/c"] = (200, {}, b"hello")
    assert http.get_body(f"{base}/a", max_bytes=100, timeout=2) == b"hello"


def test_fetch_checks_every_redirect_hop(local_server):
    base, routes = local_server
    routes["/a"] = (302, {"Location": "/b"}, b"")
    routes["/b"] = (302, {"Location": "http://169.254.169.254/latest/"}, b"")
    with pytest.raises(urlguard.BlockedAddress, match="private or reserved"):
        http.get_body(f"{base}/a", max_bytes=100, timeout=2)


def test_session_redirect_to_blocked_address_is_refused(local_server):
    base, routes = local_server
    routes["/a"] = (302, {"Location": "http://10.0.0.1/"}, b"")
    with pytest.raises(urlguard.BlockedAddress):
        urlguard.guarded_session().get(f"{base}/a", timeout=2)


def test_fetch_stops_after_five_redirects(local_server):
    base, routes = local_server
    for n in range(7):
        routes[f"/{n}"] = (302, {"Location": f"/{n + 1}"}, b"")
    with pytest.raises(urlguard.FetchError, match="more than 5"):
        http.get_body(f"{base}/0", max_bytes=100, timeout=2)


def test_fetch_caps_the_size(local_server):
    base, routes = local_server
    routes["/big"] = (200, {}, b"x" * 5000)
    with pytest.raises(urlguard.FetchError, match="larger than the limit"):
        http.get_body(f"{base}/big", max_bytes=4000, timeout=2)
    assert len(http.get_body(f"{base}/big", max_bytes=5000, timeout=2)) == 5000


def test_fetch_reports_http_errors_readably(local_server):
    base, routes = local_server
    routes["/private"] = (401, {"WWW-Authenticate": "Basic"}, b"")
    with pytest.raises(urlguard.FetchError, match=r"401 Unauthorized"):
        http.get_body(f"{base}/private", max_bytes=100, timeout=2)


def test_fetch_refused_connection_is_readable(settings):
    from tests.services import free_port

    with pytest.raises(urlguard.FetchError, match="refused"):
        http.get_body(f"http://127.0.0.1:{free_port()}/", max_bytes=100, timeout=2)


def test_guarded_session_ignores_proxy_environment(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    assert urlguard.guarded_session().trust_env is False
    assert isinstance(urlguard.guarded_session(), requests.Session)
