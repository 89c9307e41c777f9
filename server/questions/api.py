"""The question log in the HTTP app: recording each answer of `/api/ask`, and `POST /api/feedback`."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from docqa.server.questions.log import QuestionLog, StoreUnavailable, new_answer_id
from docqa.server.questions.record import MAX_COMMENT_CHARS, MAX_ORIGIN_CHARS, LoggedAnswer, utc_now

if TYPE_CHECKING:
    from docqa.index.answering.base import Answer
    from docqa.index.assistant import Assistant

_ANSWER_ID = re.compile(r"[0-9a-f]{32}")
UNKNOWN_ANSWER = "No such answer: it is unknown, or older than the log keeps."
LOG_OFF = "This server does not keep answers (DOCQA_LOG_QUESTIONS=off), so it takes no feedback."
UNAVAILABLE = "The feedback could not be stored just now; please try again later."


class FeedbackRequest(BaseModel):
    """A visitor's thumbs up or down on one answer (the `answer_id` of `/api/ask`), with an optional comment."""

    model_config = ConfigDict(extra="forbid")
    answer_id: str = Field(max_length=64, description="The answer's id, from /api/ask")
    helpful: StrictBool = Field(description="true: thumbs up; false: thumbs down")
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS, description=f"Optional, at most {MAX_COMMENT_CHARS:,} characters")


class FeedbackResponse(BaseModel):
    status: str = "ok"
    answer_id: str


def install_feedback_route(app: FastAPI, *, error_model: type[BaseModel]) -> None:
    """`POST /api/feedback`: one rating per answer (sending it again replaces it); 404 for an unknown answer."""

    @app.post(
        "/api/feedback",
        response_model=FeedbackResponse,
        responses={404: {"model": error_model}, 422: {"model": error_model}, 503: {"model": error_model}},
    )
    def feedback(body: FeedbackRequest, request: Request) -> FeedbackResponse | JSONResponse:
        """Rate an answer: thumbs up or down, and an optional comment (the last rating of an answer counts)."""
        from docqa.server.access_log import request_id

        log: QuestionLog | None = request.app.state.question_log
        if log is None:
            return JSONResponse({"error": LOG_OFF, "request_id": request_id(request)}, status_code=404)
        comment = body.comment.strip() if body.comment else None
        try:
            known = _ANSWER_ID.fullmatch(body.answer_id) is not None and log.rate(body.answer_id, helpful=body.helpful, comment=comment)
        except StoreUnavailable:
            return JSONResponse({"error": UNAVAILABLE, "request_id": request_id(request)}, status_code=503)
        if not known:
            return JSONResponse({"error": UNKNOWN_ANSWER, "request_id": request_id(request)}, status_code=404)
        return FeedbackResponse(answer_id=body.answer_id)


def record_answer(
    request: Request, *, question: str, conversation_id: str | None, answer: "Answer", assistant: "Assistant", started: float
) -> str | None:
    """Queue this answer for the log; its `answer_id`, or None when the log is off or full."""
    log: QuestionLog | None = request.app.state.question_log
    if log is None:
        return None
    answer_id = new_answer_id()
    origin = request.headers.get("origin")
    logged = LoggedAnswer(
        answer_id=answer_id,
        asked_at=utc_now(),
        question=question,
        query=answer.query,
        language=answer.language,
        answered=answer.answered,
        confidence=answer.confidence,
        answer=answer.answer,
        short_answer=answer.short_answer,
        doc_ids=tuple(s.doc_id for s in answer.sources),
        index_version=assistant.index.folder.name,
        latency_ms=(time.perf_counter() - started) * 1000,
        origin=origin[:MAX_ORIGIN_CHARS] if origin else None,
        conversation_id=conversation_id,
    )
    return answer_id if log.record(logged) else None
