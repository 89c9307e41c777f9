"""Helpers for the real-browser tests: a docqa server and static host sites on local ports, and Chromium.

Not a test module: tests/test_browser_*.py import it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path(os.environ.get("DOCQA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def playwright_browser():
    """Debian's Chromium driven by Playwright, one per test module (import this fixture into the module)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def serve_app(app) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a background thread; yields its base URL."""
    import uvicorn

    sock = _socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the docqa test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` as a static web site (a "host site") in a background thread; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def host_page(
    *, server: str, body: str, lang: str = "en", head: str = "", widget: bool = True, attributes: str = " defer"
) -> str:
    """An HTML page of a host site, embedding the widget from `server` with the one-line tag (in <head>)."""
    tag = f'<script src="{server}/widget.js"{attributes}></script>' if widget else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>Host site</title>'
        f"{head}{tag}</head>\n<body>{body}</body></html>\n"
    )


# Runs in the page: WCAG contrast of every text node shown in the widget's shadow root.
CONTRAST_JS = """
(root) => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let out = {r: 255, g: 255, b: 255};
    for (const c of layers.reverse()) out = {r: c.r * c.a + out.r * (1 - c.a), g: c.g * c.a + out.g * (1 - c.a), b: c.b * c.a + out.b * (1 - c.a)};
    return out;
  };
  const worst = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || !el || el.closest('.sr,style')) continue;
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height || getComputedStyle(el).visibility === 'hidden') continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color);
    const opacity = [...(function* () { for (let n = el; n && n.nodeType === 1; n = n.parentElement) yield Number(getComputedStyle(n).opacity); })()].reduce((a, b) => a * b, 1);
    const bg = background(el);
    const mixed = {r: fg.r * opacity + bg.r * (1 - opacity), g: fg.g * opacity + bg.g * (1 - opacity), b: fg.b * opacity + bg.b * (1 - opacity)};
    const [hi, lo] = [lum(mixed), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) worst.push({text: t.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100});
  }
  return worst;
}
"""


# Runs in the page after axe.min.js: every violation, each node marked as inside the widget or not.
_AXE_RUN_JS = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations', 'incomplete'], rules: {'label-content-name-mismatch': {enabled: true}}});
  const inWidget = (target) => Array.isArray(target[0]) || !!(document.querySelector(target[0]) || {closest: () => null}).closest('[data-docqa]');
  const rows = (kind) => results[kind].flatMap(v => v.nodes.map(n => ({kind, id: v.id, impact: v.impact || n.impact, widget: inWidget(n.target), target: JSON.stringify(n.target)})));
  return [...rows('violations'), ...rows('incomplete')];
}
"""


def axe_faults(page) -> list[dict]:
    """axe-core run inside `page`, shadow DOM included (the copy axe-playwright-python bundles; no download).

    Returns one row per flagged node (kind, rule id, impact, whether it belongs to the docqa widget, its
    target) of: every violation on the page, whatever its impact (the issue forbids serious and critical
    ones anywhere and moderate ones from the widget; docqa's own pages have none at all, and a widget
    landmark that collides with the host page's is flagged on the host's node); and widget controls whose
    visible label and accessible name differ (the experimental label-content-name-mismatch rule, turned on).
    """
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"
    page.evaluate(script.read_text(encoding="utf-8"))
    rows = page.evaluate(_AXE_RUN_JS)
    return [r for r in rows if r["kind"] == "violations" or (r["widget"] and r["id"] == "label-content-name-mismatch")]
