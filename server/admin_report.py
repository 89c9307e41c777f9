"""The staff report: `GET /admin` (an HTML page with SVG charts) and `GET /admin/export/LIST.csv|jsonl`.

Everything shown comes from the question log (server/questions/); visitors' text is escaped by the
template (Jinja autoescape), charts are drawn on the server (questions/charts.py), so the page runs
under the same Content-Security-Policy as the rest of the site, with no script at all.
"""

from __future__ import annotations

import contextlib
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

if TYPE_CHECKING:
    from docqa.server.admin import AdminAuth
    from docqa.server.questions.report import Report

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
NO_STORE = {"Cache-Control": "no-store"}
WINDOWS = (7, 30, 90, 365)
DaysQuery = Query(30, ge=1, le=3650, description="The report covers the questions of the last DAYS days")


def login_page(request: Request, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    """The sign-in form (also the answer to an unauthenticated `GET /admin`, with 401)."""
    return templates.TemplateResponse(request, "admin_login.html", {"error": error}, status_code=status_code, headers=NO_STORE)


@contextlib.contextmanager
def _database_or_503() -> Iterator[None]:
    """The log's database down, timed out or damaged, inside → 503 with the reason (never a 500)."""
    from docqa.server.questions.log import StoreUnavailable, database_errors_unavailable

    try:
        with database_errors_unavailable():
            yield
    except StoreUnavailable as exc:
        raise HTTPException(503, f"The question log's database cannot be reached: {exc}") from exc


def _store(request: Request):
    log = request.app.state.question_log
    if log is None:
        return None
    with _database_or_503():
        return log.store()


def _report(request: Request, store, days: int) -> "Report":
    from docqa.server.questions.report import build_report

    assistant = request.app.state.assistant
    return build_report(store, days=days, embedder=assistant.embedder if assistant is not None else None)


def _charts(report: "Report") -> dict[str, Markup]:
    from datetime import timedelta

    from docqa.server.questions.charts import Series, lines, stacked_bars

    first, last = report.since.date(), (report.daily[-1].day if report.daily else report.since.date())
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    by_day = {d.day: d for d in report.daily}
    get = lambda attr: tuple(getattr(by_day[d], attr) if d in by_day else None for d in days)  # noqa: E731
    asked = stacked_bars(
        "Questions per day: answered and declined",
        days,
        [Series("answered", get("answered"), "s-answered"), Series("declined", get("declined"), "s-declined")],
    )
    rate = lines("Answer rate per day", days, [Series("answered", tuple(None if v is None else 100 * v for v in get("answer_rate")), "s-answered")], unit="%", top=100)
    latency = lines("Latency per day (server side)", days, [Series("p50", get("p50_ms"), "s-p50"), Series("p95", get("p95_ms"), "s-p95")], unit=" ms")
    return {"asked": Markup(asked), "rate": Markup(rate), "latency": Markup(latency)}


def install_report_routes(router: APIRouter, *, auth: "AdminAuth") -> None:
    """Add `GET /admin` and the exports to the admin router (prefix /admin)."""

    @router.get("", response_class=HTMLResponse)
    def report_page(request: Request, days: int = DaysQuery) -> HTMLResponse:
        """The report (or, without a token or session, the sign-in form with 401)."""
        if not auth.staff(request):
            return login_page(request, status_code=401)
        store = _store(request)
        log = request.app.state.question_log
        context = {"days": days, "windows": WINDOWS, "report": None, "counts": log.counts() if log is not None else None}
        if store is not None:
            with _database_or_503():
                report = _report(request, store, days)
            # Host and port only: behind a TLS-terminating proxy the page is https, the request http.
            context.update(report=report, charts=_charts(report), own_host=request.url.netloc.lower())
        return templates.TemplateResponse(request, "admin.html", context, headers=NO_STORE)

    @router.get("/export/{filename}")
    def export(request: Request, filename: str, days: int = DaysQuery) -> StreamingResponse:
        """A list of the report as a file: questions | daily | frequent | unanswered | unhelpful | origins, .csv or .jsonl."""
        from docqa.server.questions import export as exports
        from docqa.server.questions.report import window_start
        from docqa.server.questions.store import Selection

        if not auth.staff(request):
            raise HTTPException(401, "Admin token missing or wrong; sign in at /admin/login.", headers={"WWW-Authenticate": "Bearer"})
        name, _, fmt = filename.rpartition(".")
        if fmt not in exports.FORMATS or name not in ("questions", *exports.REPORT_TABLES):
            raise HTTPException(404, f"No such export; try questions.csv, or one of {', '.join(exports.REPORT_TABLES)} as .csv or .jsonl")
        store = _store(request)
        if store is None:
            raise HTTPException(404, "The question log is off (DOCQA_LOG_QUESTIONS=off).")
        with _database_or_503():  # the report, and the first chunk: a database that fails now gets a 503
            if name == "questions":
                table = exports.questions_table(store, Selection(since=window_start(days)))
            else:
                table = exports.report_table(_report(request, store, days), name)
            chunks = exports.lines(table, fmt)
            first = next(chunks, "")
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="docqa-{name}-{days}d.{fmt}"'}
        return StreamingResponse(itertools.chain([first], chunks), media_type=media, headers=headers)
