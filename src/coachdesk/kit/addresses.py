"""Where a URL leads: an address the server may call on a coach's word, or one of its own
network's (loopback, private, link-local such as a cloud's metadata service)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


def is_internal_ip(text: str) -> bool:
    address = ipaddress.ip_address(text.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


async def leads_inside(url: str) -> bool:
    """True when the URL's host is, or resolves to, any non-public address; a host that
    cannot be resolved counts as inside (nothing is called on a guess)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:  # "http://[" and the like
        return True
    if not host:
        return True
    try:
        return is_internal_ip(host)
    except ValueError:
        pass  # a name, not an address
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return True
    return not found or any(is_internal_ip(str(entry[4][0])) for entry in found)
