"""Settings, declared once with help text and defaults.

Every field can be set by an `ASSISTANT_<NAME>` environment variable; the CLI passes its flags in
as overrides. A bad value fails at start with the setting's name, never later mid-request.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import SettingError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED_NAMES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


class Settings(BaseSettings):
    """What the index build and the server need to know."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid", frozen=True)

    corpus_dir: Path = Field(Path("corpus"), description="Folder of source documents to index.")
    index_dir: Path = Field(Path("index"), description="Folder the index is built into and served from.")
    model: str = Field(
        DEFAULT_MODEL,
        min_length=1,
        description="Sentence-transformers model name or path; the default is bundled and loads offline.",
    )
    backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8",
        description=(
            "How the model runs: 'torch' (sentence-transformers as is), 'onnx' (exported once to ONNX, "
            "same vectors) or 'onnx-int8' (ONNX with 8-bit weights: about twice as fast)."
        ),
    )
    model_cache: Path = Field(
        default_factory=lambda: Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assistant",
        description="Folder for models exported to ONNX (once per model and machine).",
    )
    host: str = Field("127.0.0.1", description="Address the server binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port the server listens on.")
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "::1"],
        description=(
            "Host names the server answers for (besides the address it binds to); '*' for any. "
            "Other Host headers get 400, which stops DNS-rebinding pages from reading the collection."
        ),
    )
    chunk_tokens: int = Field(
        160,
        ge=32,
        le=512,
        description="Target size of a passage in the model's word pieces (hard cap: the model's maximum).",
    )
    max_passage_chars: int = Field(1200, ge=200, le=4000, description="Longest passage shown to a reader.")
    batch_size: int = Field(
        32, ge=1, le=1024, description="Texts per embedding batch (8-bit weights embed one text at a time)."
    )
    faiss_index: Literal["auto", "flat", "hnsw", "hnsw-sq8", "ivf-sq8"] = Field(
        "auto",
        description=(
            "FAISS index type: 'auto' searches exactly below 100,000 vectors and uses HNSW over 8-bit "
            "quantised vectors above; 'flat', 'hnsw', 'hnsw-sq8' and 'ivf-sq8' force one."
        ),
    )
    max_body_bytes: int = Field(65536, ge=1024, description="Largest request body the API accepts.")
    concurrency: int = Field(
        default_factory=lambda: os.cpu_count() or 2,
        ge=1,
        le=256,
        description=(
            "Searches and answers computed at once (default: the number of cores); others wait their turn, "
            "so that health checks and pages stay quick under load."
        ),
    )
    queue_seconds: float = Field(
        60.0, gt=0, description="Longest a request waits for its turn before it is answered 503 (busy)."
    )
    request_seconds: float = Field(
        10.0, gt=0, description="Time a client has to send a whole request; slower connections are closed."
    )
    max_file_mb: float = Field(20.0, gt=0, description="Corpus files larger than this are reported and skipped.")
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        le=256,
        description="Processes that read documents in parallel during a build (default: the number of cores).",
    )
    engine: Literal["local", "ray"] = Field(
        "local",
        description=(
            "Where a build reads, cuts and embeds documents: 'local' (this machine) or 'ray' (Ray Data; "
            "needs the ray extra)."
        ),
    )
    ray_address: str | None = Field(
        None,
        description="Ray cluster a 'ray' build joins (e.g. 'ray://head:10001' or 'auto'); unset: a Ray on 127.0.0.1.",
    )
    file_seconds: float = Field(
        600.0,
        gt=0,
        description="Time one file may take to be read and cut into passages before it is reported and skipped.",
    )

    @property
    def served_hosts(self) -> frozenset[str]:
        """The host names requests may be addressed to: the allowed ones and the bound address."""
        return frozenset(h.strip().lower().strip("[]") for h in [*self.allowed_hosts, self.host])

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @property
    def model_is_bundled(self) -> bool:
        return self.model in _BUNDLED_NAMES

    @property
    def model_name(self) -> str:
        """Short name reported by /api/health and recorded in the index manifest."""
        if self.model_is_bundled:
            return DEFAULT_MODEL
        return self.model.rstrip("/").split("/")[-1]


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with explicit overrides (CLI flags) taking precedence."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "settings"
            problems.append(f"ASSISTANT_{name.upper()}: {error['msg']}")
        raise SettingError("bad setting: " + "; ".join(problems)) from None
