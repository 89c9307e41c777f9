"""`docqa deploy nginx`: the generated configuration is accepted by Debian's nginx (`nginx -t`), holds the
limits of deploy/nginx/docqa.conf, and every bad option is one line and exit 2, never a traceback.
(tests/test_replicas.py runs it in front of three real replicas.)"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from docqa.server import cli
from tests.replica_cluster import NGINX, nginx_command
from tests.serve_harness import REPO

DEPLOYED = REPO / "deploy" / "nginx" / "docqa.conf"
# Directives of the server block that both files must set alike (the hardening issue's limits).
SHARED = (
    "client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout", "client_header_buffer_size",
    "large_client_header_buffers", "client_max_body_size", "limit_conn", "proxy_request_buffering", "proxy_buffering",
    "proxy_http_version", "proxy_set_header", "proxy_connect_timeout", "proxy_read_timeout", "limit_req", "limit_req_status",
    "limit_conn_zone", "limit_req_zone", "ssl_protocols", "add_header",
)  # fmt: skip


def generate(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(["deploy", "nginx", *args])
    out, err = capsys.readouterr()
    return code, out, err


def directives(config: str) -> dict[str, list[str]]:
    """Each directive's values (comments dropped), in order of appearance."""
    found: dict[str, list[str]] = {}
    for line in config.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.endswith(";"):
            name, _, value = line[:-1].partition(" ")
            found.setdefault(name, []).append(" ".join(value.split()))
    return found


def nginx_accepts(tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    if not Path(NGINX).exists():
        pytest.skip("nginx missing: apt-get install nginx (.ci/run does)")
    return subprocess.run([*nginx_command(tmp_path, site), "-t"], capture_output=True, text=True)


def test_three_replicas_config_passes_nginx_t_with_health_checks_retries_and_rate_limit(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, site, err = generate(capsys, "--upstream", "127.0.0.1:8001, 10.0.0.2:8000,[::1]:8003", "--listen", "127.0.0.1:8080",
                               "--server-name", "docqa.example.org", "--rate-limit", "5r/s", "--burst", "7")  # fmt: skip
    assert code == 0 and err == ""
    found = directives(site)
    assert found["server"] == [f"{a} max_fails=2 fail_timeout=5s" for a in ("127.0.0.1:8001", "10.0.0.2:8000", "[::1]:8003")]
    assert found["proxy_next_upstream"] == ["error timeout http_502 http_503 http_504 non_idempotent"]  # POST /api/ask too
    assert found["proxy_next_upstream_tries"] == ["3"]
    assert found["keepalive"] == ["16"] and found["proxy_set_header"][0] == 'Connection ""'
    assert "X-Forwarded-For $remote_addr" in found["proxy_set_header"]
    assert found["limit_req_zone"] == ["$binary_remote_addr zone=docqa_api:10m rate=5r/s"]
    assert found["limit_req"] == ["zone=docqa_api burst=7 nodelay"]
    assert found["listen"] == ["127.0.0.1:8080"] and found["server_name"] == ["docqa.example.org"]
    assert "rate limiting is nginx's" in site  # more than one replica: DOCQA_RATE_LIMIT off, documented in the file
    checked = nginx_accepts(tmp_path, site)
    assert checked.returncode == 0, checked.stderr


def test_the_same_command_gives_the_single_replica_config_with_the_documented_default_rate(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, site, _ = generate(capsys, "--upstream", "127.0.0.1:8000", "--listen", "127.0.0.1:8080")
    found = directives(site)
    assert code == 0 and len(found["server"]) == 1 and found["proxy_next_upstream_tries"] == ["1"]
    assert found["limit_req_zone"] == directives(DEPLOYED.read_text())["limit_req_zone"]  # 10r/s, burst 20 as documented
    assert found["limit_req"] == ["zone=docqa_api burst=20 nodelay"]
    assert "rate limiting is nginx's" not in site
    checked = nginx_accepts(tmp_path, site)
    assert checked.returncode == 0, checked.stderr


def test_limits_are_those_of_deploy_nginx_docqa_conf(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """With TLS, the generated file sets every limit, header and TLS directive of the tested docqa.conf alike."""
    if not shutil.which("openssl"):
        pytest.skip("openssl missing")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)  # fmt: skip
    code, site, _ = generate(capsys, "--upstream", "127.0.0.1:8000", "--listen", "127.0.0.1:8443", "--certificate", str(cert), "--certificate-key", str(key))
    assert code == 0
    generated, deployed = directives(site), directives(DEPLOYED.read_text())
    for name in SHARED:
        assert generated.get(name) == deployed.get(name), name
    assert directives(site)["listen"] == ["127.0.0.1:80", "127.0.0.1:8443 ssl http2"]
    checked = nginx_accepts(tmp_path, site)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--upstream", "", "--listen", "127.0.0.1:80"], "--upstream is empty"),
        (["--upstream", " , ", "--listen", "127.0.0.1:80"], "--upstream is empty"),
        (["--upstream", "127.0.0.1", "--listen", "127.0.0.1:80"], "is not HOST:PORT"),
        (["--upstream", "127.0.0.1:0", "--listen", "127.0.0.1:80"], "is not HOST:PORT"),
        (["--upstream", "127.0.0.1:80; return 200", "--listen", "127.0.0.1:80"], "is not HOST:PORT"),
        (["--upstream", "evil;host:80", "--listen", "127.0.0.1:80"], "not a host name"),
        (["--upstream", "::1:80", "--listen", "127.0.0.1:80"], "in brackets"),
        (["--upstream", "127.0.0.1:80", "--listen", "80"], "--listen '80' is not HOST:PORT"),
        (["--upstream", "127.0.0.1:80", "--listen", "127.0.0.1:80", "--rate-limit", "10/s"], "--rate-limit '10/s'"),
        (["--upstream", "127.0.0.1:80", "--listen", "127.0.0.1:80", "--server-name", "a b"], "--server-name"),
        (["--upstream", "127.0.0.1:80", "--listen", "127.0.0.1:80", "--certificate", "/c.pem"], "go together"),
        (["--upstream", "127.0.0.1:80", "--listen", "127.0.0.1:80", "--burst", "-1"], "--burst"),
        (["--upstream", "127.0.0.1:80", "--listen", "127.0.0.1:80", "--certificate", "/c.pem", "--certificate-key", "/k.pem"], "port 80"),
        (["--upstream", "127.0.0.1:80", "--listen", "127.0.0.1:80", "--bogus"], "No such option: --bogus"),
        (["--listen", "127.0.0.1:80"], "Missing option '--upstream'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture) -> None:
    code, out, err = generate(capsys, *args)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("Error: ") and message in err, err


def test_an_unknown_command_is_one_line_too(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["deploy", "apache"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No such command 'apache'" in err


def test_the_command_runs_as_operators_run_it() -> None:
    """The installed entry point, in a process of its own: an empty list is one line on stderr, exit 2."""
    import sys

    done = subprocess.run([sys.executable, "-m", "docqa", "deploy", "nginx", "--upstream", "", "--listen", "127.0.0.1:80"],
                          capture_output=True, text=True, cwd=REPO)  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_values_reach_the_file_only_after_checks() -> None:
    """Nothing in an option can add a directive: the checks refuse `;`, braces, quotes and spaces."""
    from docqa.errors import InvalidInput
    from docqa.server.deploy import site

    for bad in ("a:1 backup", "a:1}", 'a"b:1', "a:1\nserver b:2"):
        with pytest.raises(InvalidInput):
            site(upstream=bad, listen="127.0.0.1:80")
    assert re.fullmatch(r"[a-z0-9.:,\[\]]+", ",".join(site(upstream="Example.org:80,[::1]:81", listen="0.0.0.0:80").upstreams).lower())
