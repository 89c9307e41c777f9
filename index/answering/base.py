"""What every answerer returns and must offer, and the registry that picks one by name.

    Answer, Source     what the assistant says, and the passages it cites
    Answerer           the protocol `Assistant` needs: ask(question, *, history, mode) -> Answer
    ANSWERERS          name -> factory(searcher, *, settings=None) -> Answerer (like simonw/llm's plugins)
    get_answerer(name) the factory registered under `name`, or InvalidInput listing the choices

Another answering mode is a new module registering itself with `register_answerer`,
not a change to the assistant. Factories import their module on call, so this one
stays light.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol, Sequence, runtime_checkable

from docqa.errors import InvalidInput

if TYPE_CHECKING:
    from docqa.index.retrieval.search import Searcher, SearchMode


@dataclass(frozen=True)
class Source:
    """A passage cited for an answer."""

    doc_id: str
    title: str
    source: str
    text: str
    score: float
    answer_span: tuple[int, int] | None = None
    """Where the answer sentence(s) sit in `text`, if this passage holds the answer."""
    language: str | None = None
    """The language of the document it comes from (None: not recorded by the index)."""


@dataclass(frozen=True)
class Answer:
    """What the assistant says, and the passages it is based on."""

    answer: str
    answered: bool
    sources: list[Source]
    highlights: list[tuple[int, int]] = field(default_factory=list)
    """Character spans of `answer` that answer the question ("end of 2017"), for bold display."""
    language: str = "en"
    """The language of the question, and of the assistant's messages ("en" or "fr")."""
    confidence: float = 0.0
    """The probability (0-1) that the answer is right; the answerer declines below its decline point."""
    query: str = ""
    """The question as searched: glossed into English and/or completed from the conversation."""
    read_as: str | None = None
    """The visitor's question with its typos corrected, in its own language, when one was (answering/spelling.py)."""
    short_answer: str | None = None
    """The few words of `answer` that answer the question ("end of 2017"), when the answerer finds them."""


@runtime_checkable
class Answerer(Protocol):
    """Answers questions from one searcher's index."""

    def ask(
        self, question: str, *, history: Sequence[Mapping[str, str]] = (), mode: "SearchMode | str | None" = None
    ) -> Answer:
        """Answer `question` (`history`: earlier turns, oldest first; `mode`: retrieval mode, None for the default)."""
        ...


AnswererFactory = Callable[..., Answerer]
"""`factory(searcher, *, settings=None) -> Answerer`; `settings` None means the answerer's defaults."""


class AnswererName(str, enum.Enum):
    """The answerers docqa ships (plugins may register more names in `ANSWERERS`)."""

    EXTRACTIVE = "extractive"

    def __str__(self) -> str:
        return self.value


DEFAULT_ANSWERER = AnswererName.EXTRACTIVE.value


def _extractive(searcher: "Searcher", *, settings: Any = None) -> Answerer:
    from docqa.index.answering.extractive import AnswerSettings, ExtractiveAnswerer

    return ExtractiveAnswerer(searcher, settings=AnswerSettings() if settings is None else settings)


ANSWERERS: dict[str, AnswererFactory] = {AnswererName.EXTRACTIVE.value: _extractive}
"""Answerer factories by name."""


def register_answerer(name: str, factory: AnswererFactory) -> None:
    """Make `factory` available as `name` (replacing any factory of that name)."""
    ANSWERERS[str(name).strip().lower()] = factory


def get_answerer(name: "str | AnswererName") -> AnswererFactory:
    """The factory registered as `name` (case and spaces ignored); InvalidInput naming the choices if none is."""
    key = str(name).strip().lower()
    try:
        return ANSWERERS[key]
    except KeyError:
        raise InvalidInput(f"Unknown answerer {str(name)!r}; choose one of: {', '.join(sorted(ANSWERERS))}") from None
