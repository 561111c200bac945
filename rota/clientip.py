"""The client's address: REMOTE_ADDR, or X-Forwarded-For only when the peer is a trusted proxy.

`TRUSTED_PROXIES` lists the addresses or networks of the reverse proxies in front of Rota.
X-Forwarded-For is read from the right: each hop added by a trusted proxy is skipped and the
first address no trusted proxy added is the client's. From any other peer the header is
ignored, so nobody can choose the address a sign-in limit counts against.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(items: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip("[]"), strict=False) for item in items if item)


def _parse(text: str) -> Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]  # [v6]:port
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]  # v4:port
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """Return the address of the client that sent the request, as a string."""
    peer = _parse(request.META.get("REMOTE_ADDR", "")) or ipaddress.ip_address("0.0.0.0")  # noqa: S104
    if not _trusted(peer):
        return str(peer)
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            break  # a garbled hop: trust nothing to the left of it
        client = address
        if not _trusted(address):
            break
    return str(client)
