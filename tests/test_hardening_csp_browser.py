"""The security headers in a real browser: our pages work under their CSP with zero violations."""

from __future__ import annotations

import pytest

from tests.browser_harness import CHROMIUM, CHROMIUM_ARGS, serve_app


@pytest.mark.e2e
def test_pages_run_under_the_csp_without_violations(tiny_index, fake_embedder) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    from docqa.index.assistant import Assistant
    from docqa.server.app import create_app
    from docqa.config import Settings

    app = create_app(Settings(index=tiny_index, model=fake_embedder.name), assistant=Assistant(tiny_index, embedder=fake_embedder))
    with serve_app(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            console = []
            page.on("console", lambda message: console.append(message.text))
            page.add_init_script(
                "window.__violations = []; document.addEventListener('securitypolicyviolation',"
                " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            for path in ("/", "/demo"):
                response = page.goto(base + path)
                assert "script-src 'self'" in response.headers["content-security-policy"]
                page.wait_for_selector("[data-docqa]", state="attached")
                page.wait_for_timeout(300)
                violations = page.evaluate("window.__violations")
                assert violations == [], violations
                styled = page.evaluate(
                    "() => { const r = document.querySelector('[data-docqa]').shadowRoot;"
                    " return !!r && (r.adoptedStyleSheets.length > 0 || !!r.querySelector('style')); }"
                )
                assert styled
            # The API reference renders Swagger UI from local assets, under the same policy.
            page.goto(base + "/docs")
            page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
            assert "/api/ask" in page.inner_text("#swagger-ui")
            violations = page.evaluate("window.__violations")
            assert violations == [], violations
            # An injected inline script is blocked: the policy is live, not just a header.
            page.goto(base + "/")
            page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 1'; document.body.appendChild(s); }")
            page.wait_for_timeout(100)
            assert page.evaluate("window.__pwned") is None
            assert any("script-src" in v for v in page.evaluate("window.__violations"))
            assert not [m for m in console if "Content Security Policy" in m and "__pwned" not in m and "inline" not in m]
        finally:
            browser.close()
