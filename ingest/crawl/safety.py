"""A crawl must not become a way into the operator's network.

By default every host is resolved before it is contacted, and one that resolves to a private,
loopback, link-local, multicast, reserved or unspecified address is refused (`--allow-private`
lifts this for intranet sites and tests). Checked for every host a request goes to, redirects
included. (A name that changes its answer between this check and the connection, DNS rebinding,
is not caught: that needs a resolver pinned into the connection.)
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class RefusedAddress(Exception):
    """The host resolves to an address the crawl may not reach."""


class UnknownHost(Exception):
    """The host name does not resolve."""


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for kind in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return None


class AddressGuard:
    """Resolves each host once per crawl and refuses the ones that point inside the network."""

    def __init__(self, *, allow_private: bool = False) -> None:
        self.allow_private = allow_private
        self._checked: dict[str, str | None] = {}  # host → why refused (None: fine)

    async def check(self, url: str) -> None:
        """Raise `RefusedAddress` or `UnknownHost` for a URL whose host may not be contacted."""
        host = (urlsplit(url).hostname or "").lower()
        if self.allow_private:
            return
        if host not in self._checked:
            self._checked[host] = await self._verdict(host, urlsplit(url).port or 443)
        reason = self._checked[host]
        if reason:
            raise RefusedAddress(
                f"{host} is a {reason} address; docqa crawl refuses private, loopback and link-local addresses "
                "unless --allow-private is given"
            )

    async def _verdict(self, host: str, port: int) -> str | None:
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
            return _refused(literal)
        except ValueError:
            pass
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise UnknownHost(f"cannot resolve the host name {host}: {exc.strerror or exc}") from None
        for info in infos:
            reason = _refused(ipaddress.ip_address(info[4][0].split("%", 1)[0]))
            if reason:
                return f"{reason} ({info[4][0]})" if info[4][0] != host else reason
        return None
