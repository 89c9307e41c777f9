"""Every setting docqa has, in one frozen `Settings`: command-line flags and DOCQA_* environment variables.

This is the only module that reads DOCQA_* variables. Library code gets its values as
parameters (see docqa/server/components.py, which builds library objects from a `Settings`).
README.md's configuration table is `markdown_table()`'s output (tests/test_config.py checks it).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, SettingsConfigDict

from docqa.errors import InvalidInput
from docqa.index.embedding.embedder import BACKENDS, DEFAULT_MODEL
from docqa.index.storage.vector_index import INDEX_TYPES

ENV_PREFIX = "DOCQA_"
_CHOICES = {"backend": ("embedding backend", BACKENDS), "index_type": ("index type", INDEX_TYPES)}
"""Settings that name one of a few choices: (what the choice is called, the choices)."""


def default_index_dir() -> Path:
    """Outside the source tree: $XDG_DATA_HOME/docqa/index (~/.local/share/docqa/index)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "docqa" / "index"


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/docqa (~/.cache/docqa)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "docqa"


def bundled_corpus() -> Path:
    """The bundled corpus: docqa/corpus/ in an installed package (package data), else the source
    checkout's corpus/ (an editable install), else the working directory's corpus/."""
    package = Path(__file__).resolve().parent
    for folder in (package / "corpus", package.parent / "corpus"):
        if folder.is_dir():
            return folder
    return Path.cwd() / "corpus"


DEFAULT_SUGGESTIONS = "When does ERA PerMed start?|How many members does ICPerMed have?|What is personalised medicine?|How many research activities does the Action Plan list?"
"""Questions the bundled corpus answers: the chat page's suggestions unless DOCQA_SUGGESTIONS says otherwise."""


def _shown(text: str) -> dict[str, Any]:
    """How the README shows a default that is computed, or that a bare value would not explain."""
    return {"shown_default": text}


class Settings(BaseSettings):
    """Everything an operator can configure. Each field `x` reads DOCQA_X; a few commands also take a flag."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore", allow_inf_nan=False)
    # (every float setting is a finite number: DOCQA_INGEST_MAX_SECONDS=inf would let a PDF bomb run for ever)

    index: Path = Field(
        default_factory=default_index_dir,
        description="index directory (outside the source tree)",
        json_schema_extra=_shown("`~/.local/share/docqa/index` (`$XDG_DATA_HOME/docqa/index`)"),
    )
    model: str = Field(
        DEFAULT_MODEL,
        description="any sentence-transformers model name or folder; an index is only served with the model that built it",
        json_schema_extra=_shown(f"`{DEFAULT_MODEL}` (bundled)"),
    )
    corpus: Path = Field(
        default_factory=bundled_corpus,
        description="what `serve` indexes when the index directory holds no index, and `ingest` without paths",
        json_schema_extra=_shown("`corpus/` (bundled)"),
    )
    host: str = Field("127.0.0.1", description="where `serve` listens")
    port: int = Field(8000, ge=0, le=65535, description="the port `serve` listens on")
    chunk_tokens: int = Field(200, ge=16, le=512, description="largest chunk at ingest, in model word pieces (never above the model's limit)")
    keep_versions: int = Field(3, ge=1, description="index versions kept for rollback")
    passages: int = Field(5, ge=1, le=50, description="passages the answerer reads")
    min_confidence: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="answers less likely than this to be right are declined; lower answers more questions and gets more "
        "wrong (`benchmarks/answer_threshold.py` shows the trade on your own questions)",
        json_schema_extra=_shown("the confidence model's fitted operating point (0.22)"),
    )

    @field_validator("min_confidence", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value
    max_question_chars: int = Field(1000, ge=1, description="longest question accepted (`/api/ask`, `/api/search`, `docqa ask`)")
    allowed_origins: str = Field("", description="comma-separated origins whose pages may call `/api/*`")
    keep_alive_seconds: int = Field(
        30,
        ge=1,
        description="idle keep-alive connections close after this (uvicorn's 5 s raced with busy clients during re-index: "
        "3 dropped connections in 6,947 requests, 0 with 30 s)",
    )
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="largest request body (413 above it)")
    max_header_bytes: int = Field(32 * 1024, ge=1024, description="largest request head (request line and header fields); 431 above it")
    max_headers: int = Field(100, ge=8, description="most header fields in one request; 431 above it")
    request_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="a request (head and body) must arrive whole within this, counted from its first byte, or from the "
        "connection's opening for its first request; else 408 (a plain close if nothing came) and the connection is closed",
    )
    max_connections: int = Field(
        1000,
        ge=1,
        description="open connections per server process; beyond it new ones get 503 and are closed. `serve` raises the "
        "open-file limit to this + 128 when the hard limit allows, else stops with a message",
    )
    trusted_proxies: str = Field(
        "",
        description="comma-separated addresses or networks (`127.0.0.1`, `10.0.0.0/8`) of reverse proxies whose "
        "`X-Forwarded-For` and `X-Forwarded-Proto` are believed; unset: no forwarded header is, loopback included",
    )
    rate_limit: str = Field(
        "", description="per-client limit on `/api/*`, e.g. `30/minute`, `5/second`; beyond it: 429 + `Retry-After`", json_schema_extra=_shown("(off)")
    )
    rate_limit_clients: int = Field(
        100_000,
        ge=64,
        description="clients the rate limiter remembers (32 bytes each, allocated at start; IPv6 clients counted by /64); "
        "a new client beyond it replaces the one whose bucket is fullest among those sharing its slot group",
    )
    admin_token: str = Field(
        "", description="enables the staff report `/admin` (a login form, or this bearer token), `/admin/reload` and `/admin/stats` (and `docqa reload`)"
    )
    reload_check_seconds: float = Field(1.0, ge=0.0, description="how often the server looks for a new `CURRENT` version")
    backend: str = Field(
        "auto",
        description="embedding backend: `onnx` (int8, the `auto` choice for a model folder and for the shipped model), `onnx-fp32`, "
        "`torch` (sentence-transformers), `torch-bf16`; same vectors, same index. The torch ones need the `torch` extra; with it, "
        "on a CPU with AMX-BF16, `auto` embeds large ingest batches with `torch-bf16` (about 2× fp32) and questions with `onnx`",
    )
    threads: int = Field(
        0,
        ge=0,
        description="cores for ONNX model calls, which run side by side when embedding many texts (ingest), one core each; "
        "`0`: all cores (`serve --workers N` gives each worker its share)",
        json_schema_extra=_shown("`0` (all cores)"),
    )
    index_type: str = Field("auto", description="vector index at ingest: `auto` (`flat` below 100k chunks, else `ivf`), `flat` (exact), `ivf`, `hnsw`")
    ray_address: str = Field(
        "",
        description="`docqa ingest` reads, chunks and embeds (`docqa crawl` chunks and embeds) on this Ray cluster (`HOST:PORT` of its head, or `auto`; the `ray` extra), "
        "then writes the version here; each worker embeds on up to 8 of its node's cores (`DOCQA_THREADS` when set)",
        json_schema_extra=_shown("(off: ingest on this machine)"),
    )
    log_questions: bool = Field(
        True,
        description="keep the question log (every `/api/ask`: question, answer, confidence, latency, cited documents; "
        "no IP address, cookie or user agent) and take thumbs up/down at `/api/feedback`; `off` disables both",
        json_schema_extra=_shown("on"),
    )
    log_retention_days: int = Field(90, ge=0, description="logged questions older than this are deleted (`0`: kept until `docqa questions purge`)")
    database_url: str = Field(
        "",
        description="where the question log is kept: `postgresql://user:password@host/db` (the `postgres` extra) so several "
        "workers and machines share one log; by default a SQLite file, `questions.sqlite3` in the index directory",
        json_schema_extra=_shown("(SQLite in the index directory)"),
    )
    greeting: str = Field(
        "",
        description="the chat page's first message (the widget's is its `data-greeting`)",
        json_schema_extra=_shown("(a built-in one, in the visitor's language)"),
    )
    suggestions: str = Field(
        DEFAULT_SUGGESTIONS,
        description="up to 4 questions the chat page suggests, separated by vertical bars (the widget's are its `data-suggestions`); "
        "empty: none. The default suits the bundled corpus: set your own for your documents",
        json_schema_extra=_shown("questions about the bundled corpus"),
    )
    ingest_max_pages: int = Field(2000, ge=1, description="a PDF with more pages is skipped at ingest (with the reason)")
    ingest_max_chars: int = Field(10_000_000, ge=1, description="a PDF whose text runs longer is skipped at ingest")
    ingest_max_seconds: float = Field(
        60.0, gt=0, description="a PDF, or an HTML, Markdown, DOCX or ODT file over 256 KiB, still being read after this is skipped at ingest (read in a helper process, stopped then: PDF bombs, hostile nesting)"
    )
    cache: Path = Field(
        default_factory=default_cache_dir,
        description="where ONNX exports of models docqa does not ship (made once, on first use) and `docqa eval`'s BEIR and SQuAD indexes are kept",
        json_schema_extra=_shown("`~/.cache/docqa` (`$XDG_CACHE_HOME/docqa`)"),
    )

    @field_validator("index", "corpus", "cache", mode="before")
    @classmethod
    def _folder_named(cls, value: Any) -> Any:
        """An empty value would be the working folder (Path("") is "."): an index written, or a corpus read, wherever docqa runs."""
        if isinstance(value, (str, Path)) and not str(value).strip():
            raise ValueError("give a folder, not an empty value")
        return value

    @field_validator("index", "corpus", "cache")
    @classmethod
    def _home_expanded(cls, value: Path) -> Path:
        """`~/...` means the home folder here too (a variable from an env file is not expanded by a shell)."""
        return value.expanduser()

    @field_validator("*")
    @classmethod
    def _text_is_utf8(cls, value: Any) -> Any:
        """A variable holding bytes that are not UTF-8 (Python reads them as lone surrogates) is refused
        here, not where the text is first encoded (an HTTP header, a host name)."""
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("not valid UTF-8 text") from None
        return value

    @field_validator("model")
    @classmethod
    def _model_named(cls, value: str) -> str:
        """An empty name would load the working folder as the model."""
        if not value.strip():
            raise ValueError("give a model name or folder, not an empty value")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        """uvicorn takes an entry it cannot parse for a literal name no peer has: a typo would trust nobody, silently."""
        for entry in (p.strip() for p in value.split(",")):
            try:
                if entry:
                    ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an address or network (comma-separated, e.g. 127.0.0.1,10.0.0.0/8)") from None
        return value

    @field_validator("backend", "index_type", mode="before")
    @classmethod
    def _one_of_the_choices(cls, value: Any, info: ValidationInfo) -> Any:
        """Case and surrounding spaces ignored; an unknown name lists the choices."""
        if not isinstance(value, str):
            return value  # pydantic's own type error
        what, choices = _CHOICES[info.field_name]
        chosen = value.strip().lower()
        if chosen not in choices:
            raise ValueError(f"unknown {what} {chosen!r}; choose one of: {', '.join(choices)}")
        return chosen

    @property
    def suggestion_list(self) -> list[str]:
        """`suggestions` as a list: the first 4 non-empty questions."""
        return [q.strip() for q in self.suggestions.split("|") if q.strip()][:4]

    @property
    def allowed_origin_list(self) -> list[str]:
        """`allowed_origins` as a list, without trailing slashes."""
        return [o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()]


def load_settings(**flags: Any) -> Settings:
    """Settings from the given flags (None: not given), DOCQA_* variables filling the rest.

    A bad value raises `InvalidInput` naming the flag it came from (`--port`), else the variable
    (`DOCQA_PORT`), not a pydantic traceback.
    """
    given = {k: v for k, v in flags.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error.get("loc") else ""
            where = ("--" + name.replace("_", "-") if name in given else environment_name(name)) if name else "settings"
            problems.append(f"{where}: {str(error.get('msg', 'invalid')).removeprefix('Value error, ')}")
        raise InvalidInput("Invalid setting: " + "; ".join(problems)) from exc


def environment_name(field: str) -> str:
    """The environment variable of a `Settings` field."""
    return f"{ENV_PREFIX}{field.upper()}"


def shown_default(info: FieldInfo) -> str:
    """A field's default as the README shows it."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if "shown_default" in extra:
        return str(extra["shown_default"])
    if info.default == "":
        return "(none)"
    return f"`{info.default}`"


def markdown_table() -> str:
    """README.md's configuration table, one row per `Settings` field."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, info in Settings.model_fields.items():
        rows.append(f"| `{environment_name(name)}` | {shown_default(info)} | {info.description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
