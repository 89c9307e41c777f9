"""The HTTP app: `create_app(settings)` → FastAPI with the chat page and the JSON API.

Exceptions become JSON error responses here, in one place (`_install_error_handlers`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from docqa.index.answering.extractive import AnswerSettings
from docqa.index.assistant import Assistant
from docqa.errors import DocqaError, IndexMismatch, IndexNotFound, InvalidInput
from docqa.index.retrieval.search import DEFAULT_MODE, MODES
from docqa.server.front_end import install_front_end
from docqa.server.access_log import request_id
from docqa.server.hardening import install_hardening
from docqa.server.origins import OriginMiddleware
from docqa.config import Settings

HERE = Path(__file__).resolve().parent
log = logging.getLogger("docqa")

MAX_QUESTION_CHARS = 1000
# "Has a visible character", the same in Python and in JSON Schema (ECMA) regexes, whose \s differ.
QUESTION_PATTERN = r"[^\s\x1c-\x1f\x85\ufeff]"
MAX_HISTORY_TURNS = 20
MAX_TURN_CHARS = 4000
ANSWER_THREADS = 8
"""Questions answered at once: enough for concurrent ones to meet in the model's batches.
(A plain executor: ~5% more requests/s under load than anyio's hand-off, FastAPI's default.)"""
GIL_SWITCH_SECONDS = 0.001


class Turn(BaseModel):
    """One earlier message of the conversation."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)


class AskRequest(BaseModel):
    """A visitor's question, with the conversation so far (oldest first)."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(
        description="The question, 1 to 1,000 characters",
        json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS, "pattern": QUESTION_PATTERN},
    )
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    mode: Literal[MODES] | None = Field(None, description="Retrieval: dense | bm25 | hybrid (default: hybrid)")

    @field_validator("question")
    @classmethod
    def _question_length(cls, value: str) -> str:
        if not re.search(QUESTION_PATTERN, value):
            raise ValueError("the question is empty")
        if len(value) > MAX_QUESTION_CHARS:
            raise ValueError(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        return value.strip()


class SourceOut(BaseModel):
    """A cited passage."""

    doc_id: str
    title: str
    source: str
    text: str
    score: float
    answer_span: tuple[int, int] | None = None


class AskResponse(BaseModel):
    """The answer (or an honest decline) and the passages behind it."""

    answer: str
    answered: bool
    highlights: list[tuple[int, int]]
    sources: list[SourceOut]
    language: str = Field("en", description="The question's language; the assistant's messages use it (en, fr)")
    confidence: float = Field(0.0, description="Score of the chosen sentence; below the threshold the assistant declines")
    query: str = Field("", description="The question as searched (French glossed, follow-up completed from history)")


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
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
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
        log.info("request %s: %s %s", request_id(request), status, exc)
        return JSONResponse({"error": str(exc), "request_id": request_id(request)}, status_code=status)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in request %s", request_id(request))
        return JSONResponse({"error": "internal error", "request_id": request_id(request)}, status_code=500)


def create_app(settings: Settings, *, assistant: Assistant | None = None, load_in_background: bool = False) -> FastAPI:
    """Build the app. The index loads (and the model warms up) before the first request,
    or, with `load_in_background`, while /healthz answers 503 "starting"."""

    def load() -> Assistant:
        return Assistant.open(settings.index, model=settings.model, answer_settings=AnswerSettings(passages=settings.passages))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.assistant is None:
            app.state.reloader.start_in_background() if load_in_background else app.state.reloader.reload_now()
        app.state.answering = ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="docqa-answer")
        try:
            yield
        finally:  # without blocking the loop on questions still queued
            answering, app.state.answering = app.state.answering, None
            answering.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="docqa",
        summary="Answers from your documents, with their sources.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's own page needs an inline script and a CDN: front_end.py serves /docs instead
        redoc_url=None,
    )
    app.state.assistant = assistant
    app.state.settings = settings
    _install_error_handlers(app)
    app.add_middleware(OriginMiddleware, allowed_origins=settings.allowed_origin_list)
    install_front_end(app)
    install_hardening(app, settings, load=load)

    def current(request: Request) -> Assistant:
        loaded = request.app.state.assistant
        if loaded is None:
            raise IndexNotFound("The index is still loading; try again in a moment.")
        return loaded

    @app.post("/api/ask", response_model=AskResponse, responses={422: {"model": ErrorOut}})
    async def ask(body: AskRequest, request: Request) -> Response:
        """Answer a question from the documents, citing the passages used."""
        assistant = current(request)
        history = [t.model_dump() for t in body.history]
        # One hop to a worker thread for the work (the model call releases the GIL, so concurrent
        # questions overlap and batch); the response is serialised here, not in a second hop.
        work = functools.partial(assistant.ask, body.question, history=history, mode=body.mode or DEFAULT_MODE)
        # (Without the lifespan, as in some test clients, the loop's default executor serves.)
        answer = await asyncio.get_running_loop().run_in_executor(getattr(request.app.state, "answering", None), work)
        return _json(
            AskResponse(
                answer=answer.answer,
                answered=answer.answered,
                highlights=answer.highlights,
                sources=[SourceOut(**vars(s)) for s in answer.sources],
                language=answer.language,
                confidence=answer.confidence,
                query=answer.query,
            )
        )

    @app.get("/api/search", response_model=SearchResponse, responses={422: {"model": ErrorOut}})
    def search(
        request: Request,
        q: str = Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="The query", json_schema_extra={"pattern": QUESTION_PATTERN}),
        k: int = Query(5, ge=1, le=100, description="How many passages"),
        mode: Literal[MODES] | None = Query(None, description="Retrieval: dense | bm25 | hybrid (default: hybrid)"),
    ) -> SearchResponse:
        """The best-matching passages, scored."""
        if not re.search(QUESTION_PATTERN, q):
            raise InvalidInput("q: the query is empty")
        passages = current(request).search(q.strip(), k=k, mode=mode or DEFAULT_MODE)
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
        """200 with the index summary when questions can be answered; 503 {"status": "starting"} before."""
        loaded = request.app.state.assistant
        if loaded is None:
            return JSONResponse(request.app.state.reloader.health(), status_code=503)
        return {**loaded.health(), "ready": True}

    return app
