"""Issue 16 row 3 and the reverse-proxy deployment, against a real `docqa serve` and Debian's nginx on 127.0.0.1.

Without DOCQA_TRUSTED_PROXIES no forwarded header is believed, loopback included (uvicorn trusted
127.0.0.1 by default: a rotated X-Forwarded-For made every request a new client). Behind the
documented nginx configuration (deploy/nginx/docqa.conf, run as it is, only its addresses, ports and
certificate rewritten), the client's own address reaches docqa and a spoofed header changes nothing.
Clients bind distinct loopback source addresses (127.0.0.5, .6, .7) so each is a client of its own.
"""

from __future__ import annotations

import http.client
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from tests.serve_harness import REPO, free_port, start_serve, write_nginx_config

pytestmark = [pytest.mark.e2e, pytest.mark.model]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOYED = REPO / "deploy" / "nginx" / "docqa.conf"
LIMIT = 3


def request(port: int, path: str = "/api/search?q=museum", *, source: str = "127.0.0.1", headers: dict | None = None,
            tls: ssl.SSLContext | None = None, method: str = "GET", body: bytes | None = None) -> tuple[int, dict, bytes]:  # fmt: skip
    """One request from the loopback address `source` (plain HTTP, or HTTPS with `tls`)."""
    if tls is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    else:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, source_address=(source, 0), context=tls)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def statuses_with_rotated_forwarded_for(port: int, *, source: str, tls: ssl.SSLContext | None = None, count: int = 8) -> list[int]:
    return [request(port, source=source, tls=tls, headers={"X-Forwarded-For": f"203.0.113.{n}"})[0] for n in range(count)]


def test_forwarded_for_from_loopback_is_not_trusted_by_default(tmp_path):
    """Row 3: with DOCQA_RATE_LIMIT=10/minute, 30 of 30 requests with a rotated X-Forwarded-For passed."""
    served = start_serve(tmp_path, {"DOCQA_RATE_LIMIT": f"{LIMIT}/minute"})
    try:
        codes = statuses_with_rotated_forwarded_for(served.port, source="127.0.0.1")
    finally:
        served.stop()
    assert codes == [200] * LIMIT + [429] * (len(codes) - LIMIT), codes
    assert {line["client"] for line in served.log_lines() if line.get("route") == "/api/search"} == {"127.0.0.1"}


def nginx_config(folder: Path, *, https_port: int, http_port: int, docqa_port: int, cert: Path, key: Path) -> Path:
    """deploy/nginx/docqa.conf with test addresses, inside a minimal nginx.conf of its own."""
    site = DEPLOYED.read_text()
    rewrites = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{docqa_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/docqa.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/docqa.example.org/privkey.pem": str(key),
    }
    for old, new in rewrites.items():
        assert old in site, f"deploy/nginx/docqa.conf no longer holds {old!r}: update this test"
        site = site.replace(old, new)
    return write_nginx_config(folder, site, worker_connections=256)


@pytest.fixture
def behind_nginx(tmp_path):
    """(docqa, nginx https port, nginx http port, TLS context) with DOCQA_TRUSTED_PROXIES=127.0.0.1."""
    if not Path(NGINX).exists() or not shutil.which("openssl"):
        pytest.skip("nginx or openssl missing: apt-get install nginx openssl (.ci/run does)")
    folder = tmp_path / "nginx"
    folder.mkdir()
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    served = start_serve(tmp_path / "docqa", {"DOCQA_RATE_LIMIT": f"{LIMIT}/minute", "DOCQA_TRUSTED_PROXIES": "127.0.0.1"})
    https_port, http_port = free_port(), free_port()
    conf = nginx_config(folder, https_port=https_port, http_port=http_port, docqa_port=served.port, cert=cert, key=key)
    checked = subprocess.run([NGINX, "-t", "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(conf), "-g", "daemon off;"])
    tls = ssl.create_default_context(cafile=str(cert))
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                request(https_port, "/healthz", tls=tls)
                break
            except OSError:
                assert time.monotonic() < deadline and nginx.poll() is None, (folder / "error.log").read_text()
                time.sleep(0.1)
        yield served, https_port, http_port, tls
    finally:
        nginx.terminate()
        nginx.wait(20)
        served.stop()


def test_behind_nginx_the_client_address_is_forwarded_and_a_spoofed_header_changes_nothing(behind_nginx):
    served, https_port, http_port, tls = behind_nginx
    # Straight to docqa from an address that is not a listed proxy: its X-Forwarded-For is ignored.
    direct = statuses_with_rotated_forwarded_for(served.port, source="127.0.0.5")
    # Through nginx (TLS), rotating a spoofed X-Forwarded-For: nginx replaces it with the peer's address.
    spoofing = statuses_with_rotated_forwarded_for(https_port, source="127.0.0.6", tls=tls)
    # Another client through the same nginx has its own budget: docqa keys on the forwarded address, not nginx's.
    other = statuses_with_rotated_forwarded_for(https_port, source="127.0.0.7", tls=tls, count=LIMIT)
    expected = [200] * LIMIT + [429] * 5
    assert (direct, spoofing, other) == (expected, expected, [200] * LIMIT)
    clients = {line["client"] for line in served.log_lines() if line.get("route") == "/api/search"}
    assert clients == {"127.0.0.5", "127.0.0.6", "127.0.0.7"}
    # Plain HTTP is redirected to HTTPS.
    status, headers, _ = request(http_port, "/healthz")
    assert status == 301 and headers["location"] == "https://127.0.0.1/healthz"


def test_nginx_refuses_huge_headers_and_bodies_before_docqa(behind_nginx):
    served, https_port, _, tls = behind_nginx
    assert request(https_port, "/healthz", tls=tls, headers={"X-Big": "a" * 100_000})[0] == 400
    body = b'{"question": "' + b"q" * 70_000 + b'"}'
    status = request(https_port, "/api/ask", tls=tls, method="POST", body=body, headers={"Content-Type": "application/json"})[0]
    assert status == 413
    assert request(https_port, "/healthz", tls=tls)[0] == 200
    answer = request(https_port, "/api/ask", tls=tls, method="POST", body=b'{"question": "when does the museum open?"}',
                     headers={"Content-Type": "application/json"}, source="127.0.0.8")  # fmt: skip
    assert answer[0] == 200 and b"nine" in answer[2]
