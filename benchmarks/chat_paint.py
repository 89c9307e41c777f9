"""The chat in a real browser: Enter → answer painted, against the server's own latency (same run), and the widget's weight.

    python benchmarks/chat_paint.py [--questions 20] [--rounds 2] [--json]

A real `docqa serve` over the bundled corpus and Debian's Chromium (Playwright). For each question of
corpus/questions.jsonl, typed into the chat page `/` and into the open widget on `/demo` and sent with
Enter, the page itself measures with the Performance API:
  total   keydown Enter → the frame after the answer is in the DOM (requestAnimationFrame, then a task);
  server  the /api/ask fetch: its PerformanceResourceTiming startTime → responseEnd (loopback + server);
  front   total − server: what the page adds (reading the field, building the request, parsing, rendering, painting);
          split into Enter → fetch start, response → answer in the DOM, response → painted (the rest is the wait for a frame).
Target: front ≤ 50 ms (p50 and p90). Also: widget.js size (raw, gzip -9), requests for it, third-party requests.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402
from _common import REPO, machine, percentiles  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TARGET_MS = 50.0

# Installed before the page's scripts: timestamps of Enter and of the frame that shows the answer.
PROBE = """
window.__marks = [];
window.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__enter = performance.now(); }, true);
window.__watch = () => {
  const log = document.querySelector('[data-docqa]').shadowRoot.querySelector('.log');
  new MutationObserver((changes) => {
    for (const c of changes) for (const n of c.addedNodes) {
      if (n.classList && n.classList.contains('bot') && !n.classList.contains('loading')) {
        const dom = performance.now(), enter = window.__enter;
        requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => {
          const fetches = performance.getEntriesByType('resource').filter(r => r.name.endsWith('/api/ask'));
          const f = fetches[fetches.length - 1];
          window.__marks.push({enter, dom, painted: performance.now(), fetchStart: f.startTime, fetchEnd: f.responseEnd});
          performance.clearResourceTimings();
        }; ch.port2.postMessage(0); });
      }
    }
  }).observe(log, {childList: true});
};
"""


def questions(limit: int) -> list[str]:
    rows = [json.loads(line) for line in (REPO / "corpus" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if "question" in r][:limit]


def measure(page, base: str, path: str, asked: list[str]) -> list[dict]:
    page.goto(base + path)
    page.wait_for_selector("[data-docqa]", state="attached")
    if path == "/demo" and not page.locator("[data-docqa] .panel").is_visible():  # (it stays open across pages)
        page.locator("[data-docqa] .launcher").click()
    page.evaluate("window.__watch()")
    field = page.get_by_label("Your question")
    for n, question in enumerate(asked, start=1):
        field.fill(question)
        field.press("Enter")
        page.wait_for_function(f"() => window.__marks.length >= {n}", timeout=30_000)
    return page.evaluate("window.__marks")


def summary(marks: list[dict]) -> dict:
    total = [(m["painted"] - m["enter"]) / 1000 for m in marks]
    server = [(m["fetchEnd"] - m["fetchStart"]) / 1000 for m in marks]
    front = [t - s for t, s in zip(total, server)]
    before = [(m["fetchStart"] - m["enter"]) / 1000 for m in marks]
    after = [(m["painted"] - m["fetchEnd"]) / 1000 for m in marks]
    built = [(m["dom"] - m["fetchEnd"]) / 1000 for m in marks]
    return {
        "n": len(marks),
        "total": percentiles(total),
        "server": percentiles(server),
        "front": percentiles(front),
        "enter_to_fetch": percentiles(before),
        "response_to_dom": percentiles(built),
        "response_to_paint": percentiles(after),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="each page asks the questions this many times")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    widget = (REPO / "server" / "static" / "widget.js").read_bytes()
    asked = questions(args.questions) * args.rounds
    results: dict = {"machine": machine(), "widget_bytes": len(widget), "widget_gzip_bytes": len(gzip.compress(widget, compresslevel=9))}
    with tempfile.TemporaryDirectory(prefix="docqa-chat-paint-") as tmp:
        index = Path(tmp) / "index"
        _server.ingest(REPO / "corpus", index)
        port = _server.free_port()
        base = f"http://127.0.0.1:{port}"
        server = _server.start(index, port=port)
        try:
            _server.wait_answering(base, server)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for path in ("/", "/demo"):
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    context.add_init_script(PROBE)
                    page = context.new_page()
                    requests: list[str] = []
                    page.on("request", lambda r: requests.append(r.url))
                    measure(page, base, path, asked[:3])  # warm-up: the first frames and fetches of a fresh page
                    requests.clear()
                    marks = measure(page, base, path, asked)
                    results[path] = summary(marks)
                    results[path]["widget_requests"] = sum(1 for u in requests if u.split("?")[0].endswith("/widget.js"))
                    results[path]["third_party_requests"] = sorted({u for u in requests if not u.startswith(base + "/")})
                    context.close()
                browser.close()
        finally:
            _server.stop(server)

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(results["machine"])
    print(f"widget.js: {results['widget_bytes']:,} bytes, {results['widget_gzip_bytes']:,} gzipped (target <= 12,288)")
    print(f"{'page':8} {'n':>4}  {'total p50/p90':>15}  {'server p50/p90':>15}  {'front p50/p90':>15}  {'Enter->fetch':>12}  {'response->DOM':>13}  {'response->paint':>15}")
    for path in ("/", "/demo"):
        r = results[path]
        pair = lambda k: f"{r[k]['p50']:6.1f}/{r[k]['p90']:6.1f}"  # noqa: E731
        print(f"{path:8} {r['n']:>4}  {pair('total'):>15}  {pair('server'):>15}  {pair('front'):>15}  {r['enter_to_fetch']['p50']:10.1f}ms  {r['response_to_dom']['p50']:11.1f}ms  {r['response_to_paint']['p50']:13.1f}ms")
    for path in ("/", "/demo"):
        r = results[path]
        ok = r["front"]["p50"] <= TARGET_MS and r["front"]["p90"] <= TARGET_MS
        print(
            f"{path}: front p50 {r['front']['p50']:.1f} ms, p90 {r['front']['p90']:.1f} ms over the server's latency "
            f"(target <= {TARGET_MS:.0f} ms: {'met' if ok else 'NOT met'}); widget.js requests per page load: {r['widget_requests']}; "
            f"third-party requests: {len(r['third_party_requests'])}"
        )


if __name__ == "__main__":
    main()
