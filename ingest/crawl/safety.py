"""A crawl must not become a way into the operator's network.

By default every host is resolved before it is contacted, and one that resolves to a private,
loopback, link-local, multicast, reserved or unspecified address is refused (`--allow-private`
lifts this for intranet sites and tests). Checked for every host a request goes to, redirects
included, and again when the connection is made (`PinnedBackend`): the name is resolved there and
only an allowed address is connected to, so a name that changes its answer between the check and
the connection (DNS rebinding) cannot lead the crawl inside.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Iterable
from urllib.parse import urlsplit

import httpcore


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


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the address check at connect time: the name is resolved here and
    only allowed addresses are connected to (the one checked is the one used). Raises `RefusedAddress`."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self.inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve the host name {host}: {exc.strerror or exc}") from None
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        for address in addresses:
            reason = _refused(ipaddress.ip_address(address.split("%", 1)[0]))
            if reason:
                raise RefusedAddress(
                    f"{host} resolves to a {reason} address ({address}) at connection time; docqa crawl refuses "
                    "private, loopback and link-local addresses unless --allow-private is given"
                )
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Iterable | None = None):
        raise httpcore.ConnectError("docqa crawl does not use Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
