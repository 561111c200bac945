"""Fetch URLs that people type in without letting them reach our own network.

`check_url(url)` resolves the host and refuses private, loopback, link-local, multicast,
reserved and unspecified addresses (IPv4, IPv6 and IPv4-mapped IPv6) unless the host or the
address is listed in settings.URL_FETCH_ALLOW (hosts, addresses or networks such as
"10.1.0.0/16"). `rota.http.fetch()` builds on it: every redirect hop checked, a size cap and
a total deadline.

`guarded_session()` returns a requests Session for other libraries (e.g. `caldav.DAVClient`:
set `client.session = guarded_session()`). Its connections check the address they actually
connect to, at connect time, so a DNS answer that changes between the check and the
connection (DNS rebinding) still cannot reach a blocked address, and redirects are covered
because every hop opens its connection through the same guard.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

MAX_REDIRECTS = 5
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """A URL could not be fetched; the message is meant for the person who entered it."""


class BlockedAddress(FetchError):
    """The URL points at an address Rota must not connect to."""


def _allow_list() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    hosts: set[str] = set()
    networks = []
    for item in getattr(settings, "URL_FETCH_ALLOW", []):
        try:
            networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
        except ValueError:
            hosts.add(item.lower().rstrip("."))
    return hosts, networks


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None and not _is_public(mapped):
            return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def address_allowed(address: str, host: str = "") -> bool:
    """Tell whether Rota may connect to this IP address (reached through host)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    hosts, networks = _allow_list()
    if host and host.lower().rstrip(".") in hosts:
        return True
    if any(ip in network for network in networks):
        return True
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    if mapped is not None and any(mapped in network for network in networks):
        return True
    return _is_public(ip)


def _resolve(host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The host name {host} could not be found.") from None
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


def _split(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError("Only http:// and https:// addresses can be fetched.")
    if not parts.hostname:
        raise FetchError("The address has no host name.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError("The address has an invalid port.") from None
    return parts.scheme, parts.hostname, port


def _blocked(host: str) -> str:
    # Never say what the name resolves to: that would map the internal network for anyone.
    return f"{host} is a private or reserved address; Rota does not connect to internal networks."


def check_url(url: str) -> None:
    """Refuse the URL unless every address its host resolves to may be reached."""
    _scheme, host, port = _split(url)
    for address in _resolve(host, port):
        if not address_allowed(address, host):
            raise BlockedAddress(_blocked(host))


def _guarded_socket(conn: HTTPConnection) -> socket.socket:
    """Connect to the first allowed address of the host, refusing blocked ones."""
    host = conn._dns_host.strip("[]")
    addresses = _resolve(host, conn.port)
    allowed = [address for address in addresses if address_allowed(address, host)]
    if not allowed:
        raise BlockedAddress(_blocked(host))
    last_error: OSError | None = None
    for address in allowed:
        try:
            return urllib3_connection.create_connection(
                (address, conn.port),
                conn.timeout,
                source_address=conn.source_address,
                socket_options=conn.socket_options,
            )
        except OSError as error:
            last_error = error
    assert last_error is not None
    raise last_error


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        try:
            return _guarded_socket(self)
        except TimeoutError as error:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.") from error
        except BlockedAddress:
            raise
        except OSError as error:
            raise NewConnectionError(self, f"Failed to connect: {error}") from error


class _GuardedHTTPSConnection(HTTPSConnection):
    _new_conn = _GuardedHTTPConnection._new_conn


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections refuse blocked addresses at connect time."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


class GuardedSession(requests.Session):
    """A Session that checks each request's URL (every redirect hop too) before sending."""

    def __init__(self) -> None:
        super().__init__()
        # Environment proxies would make the proxy, not the checked host, our peer.
        self.trust_env = False
        self.max_redirects = MAX_REDIRECTS
        adapter = GuardedAdapter(max_retries=0)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        check_url(request.url or "")
        kwargs["proxies"] = {}
        return super().send(request, **kwargs)


def guarded_session() -> GuardedSession:
    """Return a requests Session that cannot reach blocked addresses."""
    return GuardedSession()


STATUS_HINTS = {
    401: "the server asked for a user name and password (401 Unauthorized)",
    403: "the server refused access (403 Forbidden)",
    404: "nothing was found at this address (404 Not Found)",
}


def describe_status(status: int, reason: str = "") -> str:
    """Return a readable sentence for an HTTP error status."""
    return STATUS_HINTS.get(status, f"the server answered {status} {reason}".strip())
