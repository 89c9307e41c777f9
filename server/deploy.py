"""`docqa deploy nginx`: the nginx configuration for one or more `docqa serve` replicas.

The text comes from templates/nginx.conf.j2 (jinja2), whose limits are those of deploy/nginx/docqa.conf
(tests/test_deploy_nginx.py compares them); this module only checks the options and fills it in.
Every value that reaches the configuration is checked first, so an option can never add a directive.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

from docqa.errors import InvalidInput

DEFAULT_RATE = "10r/s"
"""Per client address on /api/ (nginx `limit_req`): the same as deploy/nginx/docqa.conf."""
DEFAULT_BURST = 20
MAX_FAILS = 2
FAIL_TIMEOUT = "5s"

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$")
_RATE = re.compile(r"^[1-9][0-9]{0,6}r/[sm]$")
_SERVER_NAME = re.compile(r"^[A-Za-z0-9_.*~^$\\-]+$")
_PATH = re.compile(r"^[^\s;{}'\"#$]+$")


@dataclass(frozen=True)
class NginxSite:
    """What the generated configuration is made of (all values checked)."""

    upstreams: tuple[str, ...]
    listen: str
    server_name: str = "_"
    rate: str = DEFAULT_RATE
    burst: int = DEFAULT_BURST
    certificate: str | None = None
    certificate_key: str | None = None


def address(text: str, *, what: str) -> str:
    """`HOST:PORT` (a name, an IPv4 address or a bracketed IPv6 one) as nginx writes it; InvalidInput otherwise."""
    text = text.strip()
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise InvalidInput(f"{what} {text!r} is not HOST:PORT (a port from 1 to 65535)")
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise InvalidInput(f"{what} {text!r}: {host} is not an IPv6 address") from None
        return f"{host}:{int(port)}"
    if ":" in host:
        raise InvalidInput(f"{what} {text!r}: write an IPv6 address in brackets, e.g. [::1]:8000")
    if not _HOSTNAME.match(host):
        raise InvalidInput(f"{what} {text!r}: {host!r} is not a host name or an IP address")
    return f"{host}:{int(port)}"


def upstream_list(text: str) -> tuple[str, ...]:
    """`HOST:PORT[,HOST:PORT...]` → the addresses, in order, each once."""
    parts = [part for part in (p.strip() for p in text.split(",")) if part]
    if not parts:
        raise InvalidInput("--upstream is empty: give at least one replica as HOST:PORT (several: HOST:PORT,HOST:PORT)")
    return tuple(dict.fromkeys(address(part, what="--upstream") for part in parts))


def site(
    *,
    upstream: str,
    listen: str,
    server_name: str | None = None,
    rate_limit: str | None = None,
    burst: int | None = None,
    certificate: Path | None = None,
    certificate_key: Path | None = None,
) -> NginxSite:
    """The command's options, checked (InvalidInput names the first wrong one)."""
    name = (server_name or "_").strip()
    if not _SERVER_NAME.match(name):
        raise InvalidInput(f"--server-name {name!r}: one host name (letters, digits, dots, dashes, a leading *.)")
    rate = (rate_limit or DEFAULT_RATE).strip()
    if not _RATE.match(rate):
        raise InvalidInput(f"--rate-limit {rate!r}: requests per second or minute per client address, e.g. 10r/s or 300r/m")
    burst = DEFAULT_BURST if burst is None else burst
    if not 0 <= burst <= 100_000:
        raise InvalidInput(f"--burst {burst}: from 0 to 100000")
    if (certificate is None) != (certificate_key is None):
        raise InvalidInput("--certificate and --certificate-key go together (TLS), or neither (plain HTTP)")
    files = [str(p) for p in (certificate, certificate_key) if p is not None]
    if files and listen.strip().endswith(":80"):
        raise InvalidInput("--listen on port 80 with TLS: port 80 is where plain HTTP is redirected to HTTPS; use 443")
    for path in files:
        if not _PATH.match(path):
            raise InvalidInput(f"certificate path {path!r}: no spaces, quotes, ';', '{{', '}}', '#' or '$'")
    return NginxSite(
        upstreams=upstream_list(upstream),
        listen=address(listen, what="--listen"),
        server_name=name,
        rate=rate,
        burst=burst,
        certificate=files[0] if files else None,
        certificate_key=files[1] if files else None,
    )


def command_line(chosen: NginxSite) -> str:
    """The options that give `chosen` (written in the configuration's first line)."""
    words = [f"--upstream {','.join(chosen.upstreams)}", f"--listen {chosen.listen}", f"--server-name {chosen.server_name}"]
    words += [f"--rate-limit {chosen.rate}", f"--burst {chosen.burst}"]
    if chosen.certificate is not None:
        words += [f"--certificate {chosen.certificate}", f"--certificate-key {chosen.certificate_key}"]
    return " ".join(words)


def render(chosen: NginxSite) -> str:
    """The nginx configuration (a file for nginx's http block: conf.d/ or sites-enabled/)."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # a configuration file, not HTML; every value was checked above
    )
    host = chosen.listen.rpartition(":")[0]
    return environment.get_template("nginx.conf.j2").render(
        upstreams=chosen.upstreams,
        listen=chosen.listen,
        http_listen=f"{host}:80",
        server_name=chosen.server_name,
        rate=chosen.rate,
        burst=chosen.burst,
        tls=chosen.certificate is not None,
        certificate=chosen.certificate,
        certificate_key=chosen.certificate_key,
        max_fails=MAX_FAILS,
        fail_timeout=FAIL_TIMEOUT,
        command_line=command_line(chosen),
    )
