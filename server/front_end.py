"""The browser-facing pages: the chat page at `/`, `GET /widget.js`, the `/demo` host page, `/docs` and the favicon.

The chat page and the widget are one front-end (static/widget.js): the page loads it in
full-page mode, other sites embed it with one `<script>` tag.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
WIDGET = HERE / "static" / "widget.js"
FAVICON = HERE / "static" / "favicon.svg"


def page_language(accept_language: str | None) -> str:
    """`fr` when the visitor's browser prefers French over English, else `en`."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("fr"):
            return "fr"
        if tag.startswith("en"):
            return "en"
    return "en"


def install_front_end(
    app: FastAPI, *, title: str = "docqa", greeting: str = "", suggestions: Sequence[str] = (), max_question_chars: int = 1000
) -> None:
    """Mount /static and add the `/`, `/widget.js`, `/demo`, `/docs` and `/favicon.ico` routes to `app`.

    `greeting` and `suggestions` start the chat page's conversation (the widget's `data-greeting` and
    `data-suggestions`, each suggestion's language detected for `data-suggestions-lang`); an empty greeting
    leaves the widget's own, in the visitor's language.
    `max_question_chars` limits the chat page's question field (the widget's `data-max-chars`, 1000 by default).
    """
    import fastapi_offline

    from docqa.index.answering.language import detect_language

    # Each suggestion's language (DOCQA_SUGGESTIONS are often English on a French page): screen readers read
    # each button in its own voice.
    suggestion_langs = "|".join(detect_language(q) for q in suggestions)
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Swagger UI from the fastapi-offline wheel's assets: the API reference works offline and under the CSP.
    assets = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def api_docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "docs.html", {"title": title})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def chat_page(request: Request) -> HTMLResponse:
        lang = page_language(request.headers.get("accept-language"))
        context = {"title": title, "lang": lang, "greeting": greeting, "suggestions": "|".join(suggestions), "suggestion_langs": suggestion_langs, "max_chars": max_question_chars}
        return templates.TemplateResponse(request, "index.html", context)

    @app.get("/widget.js", include_in_schema=False)
    async def widget_script() -> FileResponse:
        # Short cache: sites embedding the widget pick up a new version within minutes.
        return FileResponse(WIDGET, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "public, max-age=300"})

    @app.get("/demo", response_class=HTMLResponse, include_in_schema=False)
    async def demo_page(request: Request) -> HTMLResponse:
        page = request.query_params.get("page", "home")
        return templates.TemplateResponse(request, "demo.html", {"title": title, "page": "about" if page == "about" else "home"})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        # Browsers ask for /favicon.ico on pages without a <link rel="icon">: an SVG answers them too.
        return FileResponse(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
