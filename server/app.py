"""The HTTP app: `create_app(settings)` → FastAPI with the chat page and the JSON API.

Exceptions become JSON error responses here, in one place (`_install_error_handlers`); an
unexpected one becomes a JSON 500 in the access-log middleware (server/access_log.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from docqa.config import Settings
from docqa.errors import DAMAGED_MESSAGE, DocqaError, IndexDamaged, IndexMismatch, IndexNotFound, InvalidInput
from docqa.index.assistant import Assistant
from docqa.index.retrieval.search import SearchMode
from docqa.server import components
from docqa.server.access_log import request_id
from docqa.server.first_index import FirstIndex, index_exists, without_paths
from docqa.server.front_end import install_front_end
from docqa.server.hardening import install_hardening
from docqa.server.questions.api import install_feedback_route, record_answer
from docqa.server.visible import QUESTION_PATTERN  # one visible character (Unicode categories)

log = logging.getLogger("docqa")

MAX_HISTORY_TURNS = 20
MAX_TURN_CHARS = 4000
ANSWER_THREADS = 8
"""Questions answered at once: enough for concurrent ones to meet in the model's batches.
(A plain executor: ~5% more requests/s under load than anyio's hand-off, FastAPI's default.)"""
GIL_SWITCH_SECONDS = 0.001
STARTING_MESSAGE = "The assistant is still preparing its index; try again in a few seconds."
RETRY_AFTER_SECONDS = 3
NO_INDEX_MESSAGE = "The assistant is not available at the moment; please try again later."
"""What a visitor is told when no index could be prepared (operators: /healthz and the log say why)."""


class Turn(BaseModel):
    """One earlier message of the conversation."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)


class AskRequestFields(BaseModel):
    """A visitor's question, with the conversation so far (oldest first).

    The question's length limit is a setting: `ask_request_model(max_question_chars)` is the
    subclass an app validates with (and documents in its OpenAPI schema as "AskRequest").
    """

    model_config = ConfigDict(extra="forbid")
    max_question_chars: ClassVar[int] = 1000
    question: str = Field(description="The question (1 to DOCQA_MAX_QUESTION_CHARS characters, with a visible one)")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    mode: SearchMode | None = Field(None, description="Retrieval: dense | bm25 | hybrid (default: hybrid)")
    conversation_id: str | None = Field(
        None, max_length=64, description="A random id the chat page and the widget keep per browser tab (optional)"
    )

    @field_validator("question")
    @classmethod
    def _question_length(cls, value: str) -> str:
        if not re.search(QUESTION_PATTERN, value):
            raise ValueError("the question is empty")
        if len(value) > cls.max_question_chars:
            raise ValueError(f"the question is longer than {cls.max_question_chars} characters")
        return value.strip()


@functools.lru_cache(maxsize=8)
def ask_request_model(max_question_chars: int) -> type[AskRequestFields]:
    """The request body of /api/ask with the question limited to `max_question_chars` (schema and validation)."""
    limits = {"minLength": 1, "maxLength": max_question_chars, "pattern": QUESTION_PATTERN}

    class AskRequest(AskRequestFields):
        __doc__ = AskRequestFields.__doc__
        question: str = Field(description=f"The question, 1 to {max_question_chars:,} characters", json_schema_extra=limits)

    AskRequest.max_question_chars = max_question_chars
    return AskRequest


class SourceOut(BaseModel):
    """A cited passage."""

    doc_id: str
    title: str
    source: str
    text: str
    score: float
    answer_span: tuple[int, int] | None = None
    language: str | None = None


class AskResponse(BaseModel):
    """The answer (or an honest decline) and the passages behind it."""

    answer: str
    answered: bool
    highlights: list[tuple[int, int]]
    short_answer: str | None = Field(
        None, description="The few words that answer the question (a name, a date, a number...), when the answer has them"
    )
    sources: list[SourceOut]
    index_version: str = Field("", description="The index version that answered (/healthz reports the one served now)")
    language: str = Field("en", description="The question's language; the assistant's messages use it (en, fr)")
    confidence: float = Field(
        0.0, description="Probability that the answer is right (a calibrated model); below its operating point the assistant declines"
    )
    query: str = Field("", description="The question as searched (French glossed, follow-up completed from history)")
    read_as: str | None = Field(None, description="The question with its typos corrected, in its own language, when it had any (else null)")
    answer_id: str | None = Field(None, description="This answer's id in the question log, for POST /api/feedback (null when not logged)")


class PassageOut(BaseModel):
    doc_id: str
    title: str
    source: str
    text: str
    score: float
    rank: int


class SearchResponse(BaseModel):
    query: str
    passages: list[PassageOut]


class ErrorOut(BaseModel):
    error: str


def _readable(errors: list[dict]) -> str:
    parts = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if error.get("type") == "json_invalid":  # loc: ("body", the character offset)
            reason = ((error.get("ctx") or {}).get("error") or "JSON decode error").removesuffix(" at")  # "Invalid control character at"
            at = f" at character {loc[-1]}" if len(loc) > 1 else ""
            parts.append(f"The request body is not valid JSON ({reason}{at})")
            continue
        if error.get("type") == "missing" and loc == ("body",):
            parts.append("The request body is missing: send a JSON object")
            continue
        where = ".".join(str(p) for p in loc if p not in ("body", "query"))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid request"


def prepare_serving_process() -> None:
    """Process-wide settings for a process that serves (call once, before serving): answering
    threads hand the GIL back to the event loop after 1 ms instead of Python's 5, so responses
    go out and new requests come in sooner (measured +10-15% requests/s at 16 clients)."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


def _json(model: BaseModel) -> Response:
    """`model` as a JSON response, already validated: FastAPI would validate it again."""
    return Response(model.model_dump_json(), media_type="application/json")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": _readable(exc.errors()), "request_id": request_id(request)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {"error": str(exc.detail), "request_id": request_id(request)}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(DocqaError)
    async def _docqa(request: Request, exc: DocqaError) -> JSONResponse:
        status = 422 if isinstance(exc, InvalidInput) else 503 if isinstance(exc, (IndexNotFound, IndexMismatch)) else 400
        if isinstance(exc, IndexDamaged):  # which version and file: in the log, and for the operator's token-guarded routes
            log.error("request %s: %s %s", request_id(request), status, exc)
            shown = str(exc) if request.url.path.startswith("/admin/") else DAMAGED_MESSAGE
            return JSONResponse({"error": shown, "request_id": request_id(request)}, status_code=status)
        log.info("request %s: %s %s", request_id(request), status, exc)
        return JSONResponse({"error": without_paths(str(exc)), "request_id": request_id(request)}, status_code=status)


def create_app(
    settings: Settings, *, assistant: Assistant | None = None, load_in_background: bool = False, build_missing_index: bool = False
) -> FastAPI:
    """Build the app. The index loads (and the model warms up) before the first request, or, with
    `load_in_background`, while /healthz answers 503 "starting". With `build_missing_index` and no
    index yet, the bundled corpus (`settings.corpus`) is indexed in the background first (`docqa serve`)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.assistant is None:
            if build_missing_index and not index_exists(settings.index):
                app.state.first_index.start()
            elif load_in_background:
                app.state.reloader.start_in_background()
            else:
                app.state.reloader.reload_now()
        app.state.answering = ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="docqa-answer")
        if app.state.question_log is not None:
            app.state.question_log.start()
        try:
            yield
        finally:  # without blocking the loop on questions still queued
            answering, app.state.answering = app.state.answering, None
            answering.shutdown(wait=False, cancel_futures=True)
            if app.state.question_log is not None:  # what is queued is written before the process ends
                await asyncio.get_running_loop().run_in_executor(None, app.state.question_log.close)

    app = FastAPI(
        title="docqa",
        summary="Answers from your documents, with their sources.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's own page needs an inline script and a CDN: front_end.py serves /docs instead
        redoc_url=None,
        redirect_slashes=False,  # Starlette's 307 for `/api/ask/` builds its Location from the client's Host: a JSON 404 instead
    )
    app.state.assistant = assistant
    app.state.settings = settings
    app.state.question_log = components.question_log(settings)
    if app.state.question_log is not None:

        def cache_unanswered(store, batch) -> None:
            """Off the request path: the report's grouping then finds declined questions already embedded."""
            from docqa.server.questions.grouping import cache_unanswered

            served = app.state.assistant
            if served is not None:
                cache_unanswered(batch, store=store, embedder=served.embedder)

        app.state.question_log.after_write = cache_unanswered
    _install_error_handlers(app)
    install_front_end(app, greeting=settings.greeting, suggestions=settings.suggestion_list, max_question_chars=settings.max_question_chars)
    reloader = install_hardening(app, settings, load=lambda version=None: components.open_assistant(settings, version=version))
    app.state.first_index = FirstIndex(settings, reloader=reloader)
    max_chars = settings.max_question_chars
    AskBody = ask_request_model(max_chars)

    def not_ready(request: Request) -> StarletteHTTPException:
        """503 while the first index is built or loaded (with Retry-After), or after that failed."""
        first, reloader = request.app.state.first_index, request.app.state.reloader
        if first.error is None and (first.running or reloader.status != "error"):
            return StarletteHTTPException(503, detail=STARTING_MESSAGE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        return StarletteHTTPException(503, detail=DAMAGED_MESSAGE if reloader.damaged and first.error is None else NO_INDEX_MESSAGE)

    def current(request: Request) -> Assistant:
        loaded = request.app.state.assistant
        if loaded is None:
            raise not_ready(request)
        return loaded

    async def ask(body: AskRequestFields, request: Request) -> Response:
        """Answer a question from the documents, citing the passages used."""
        started = time.perf_counter()
        assistant = current(request)
        history = [t.model_dump() for t in body.history]
        # One hop to a worker thread for the work (the model call releases the GIL, so concurrent
        # questions overlap and batch); the response is serialised here, not in a second hop.
        work = functools.partial(assistant.ask, body.question, history=history, mode=SearchMode.parse(body.mode))
        # (Without the lifespan, as in some test clients, the loop's default executor serves.)
        answer = await asyncio.get_running_loop().run_in_executor(getattr(request.app.state, "answering", None), work)
        return _json(
            AskResponse(
                answer=answer.answer,
                answered=answer.answered,
                highlights=answer.highlights,
                short_answer=answer.short_answer,
                sources=[SourceOut(**vars(s)) for s in answer.sources],
                index_version=assistant.index.folder.name,
                language=answer.language,
                confidence=answer.confidence,
                query=answer.query,
                read_as=answer.read_as,
                answer_id=record_answer(
                    request, question=body.question, conversation_id=body.conversation_id, answer=answer, assistant=assistant, started=started
                ),
            )
        )

    ask.__annotations__["body"] = AskBody  # the app's own question limit, in validation and in the schema
    app.post("/api/ask", response_model=AskResponse, responses={422: {"model": ErrorOut}, 503: {"model": ErrorOut}})(ask)

    install_feedback_route(app, error_model=ErrorOut)

    @app.get("/api/search", response_model=SearchResponse, responses={422: {"model": ErrorOut}})
    def search(
        request: Request,
        q: str = Query(min_length=1, max_length=max_chars, description="The query", json_schema_extra={"pattern": QUESTION_PATTERN}),
        k: int = Query(5, ge=1, le=100, description="How many passages"),
        mode: SearchMode | None = Query(None, description="Retrieval: dense | bm25 | hybrid (default: hybrid)"),
    ) -> SearchResponse:
        """The best-matching passages, scored."""
        if not re.search(QUESTION_PATTERN, q):
            raise InvalidInput("q: the query is empty")
        passages = current(request).search(q.strip(), k=k, mode=SearchMode.parse(mode))
        return SearchResponse(
            query=q,
            passages=[
                PassageOut(
                    doc_id=p.chunk.document.doc_id,
                    title=p.chunk.document.title,
                    source=p.chunk.document.source,
                    text=p.chunk.text,
                    score=round(p.score, 4),
                    rank=p.rank,
                )
                for p in passages
            ],
        )

    @app.get("/healthz")
    async def healthz(request: Request) -> dict:
        """200 with the index summary when questions can be answered; 503 {"status": "starting" | "error"} before."""
        state = request.app.state
        if state.assistant is None:
            body = state.first_index.health() or state.reloader.health()
            if "error" in body:  # readable, never a path of this machine
                body["error"] = without_paths(body["error"])
            return JSONResponse(body, status_code=503)
        skipped = {"skipped": state.reloader.skipped} if state.reloader.skipped else {}
        return {**state.assistant.health(), "ready": True, **skipped}

    return app
