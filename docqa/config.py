"""One `Settings` object, from command-line flags and DOCQA_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from docqa.index.embedding.embedder import DEFAULT_MODEL


def default_index_dir() -> Path:
    """Outside the source tree: $XDG_DATA_HOME/docqa/index (~/.local/share/docqa/index)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "docqa" / "index"


def bundled_corpus() -> Path:
    """The corpus/ folder shipped with docqa (the source checkout's, else the working directory's)."""
    beside_source = Path(__file__).resolve().parent.parent / "corpus"
    return beside_source if beside_source.is_dir() else Path.cwd() / "corpus"


class Settings(BaseSettings):
    """Everything an operator can configure. Each field `x` also reads DOCQA_X."""

    model_config = SettingsConfigDict(env_prefix="DOCQA_", frozen=True, extra="ignore")

    index: Path = Field(default_factory=default_index_dir, description="Index root directory")
    model: str = Field(DEFAULT_MODEL, description="sentence-transformers model name or folder")
    corpus: Path = Field(default_factory=bundled_corpus, description="What `serve` ingests when no index exists")
    host: str = "127.0.0.1"
    port: int = 8000
    chunk_tokens: int = Field(200, ge=16, le=512)
    keep_versions: int = Field(3, ge=1)
    passages: int = Field(5, ge=1, le=50, description="Passages the answerer reads")
    max_question_chars: int = 1000
    allowed_origins: str = Field("", description="Comma-separated origins allowed to call /api/* from a browser")
    keep_alive_seconds: int = Field(
        30, ge=1, description="Idle keep-alive connections close after this; short values race with clients' next request"
    )
    # Hardening (issue 7): see server/limits.py, server/security.py, server/reload.py.
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="Largest request body; bigger ones get 413")
    rate_limit: str = Field("", description='Per-client limit on /api/*, e.g. "30/minute" (empty: off)')
    admin_token: str = Field("", description="Bearer token for /admin/*; the admin routes do not exist when empty")
    reload_check_seconds: float = Field(1.0, ge=0.0, description="How often the server looks for a new CURRENT index version")

    @property
    def allowed_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()]
