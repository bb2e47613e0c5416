"""Where a build's heavy stages run: on this machine, or on Ray Data (`ray_engine`).

An engine runs three stage functions over what changed: `parse` (a file's bytes into a cleaned,
typed document), `cut` (a document into passages, with the collection's glossary) and the model's
`embed`. Both engines run the same functions on the same inputs, so they build the same index; the
build itself (what to redo, the cache, the atomic write) does not know which one ran.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np

from assistant.errors import UnreadableFile
from assistant.model import Chunk, Document, Meta
from assistant.settings import Settings
from assistant.store.embedding import Embedder
from assistant.store.onnx import OnnxSpec, embed_with, worker_embedder

from .budget import OverBudget, time_budget
from .chunking import ChunkingParams, chunk_document
from .discover import SourceFile
from .readers import parse_document, read_bytes

T = TypeVar("T")
R = TypeVar("R")
PARALLEL_EMBED_TEXTS = 2000  # fewer are embedded here: starting the workers costs a few seconds
PARTS_PER_WORKER = 8  # texts go out in parts, for the progress bar and to even out the workers

Read = tuple[Document | None, str | None, float]  # the document or why not, and the seconds it took
Cut = tuple[list[Chunk] | None, str | None]  # the passages or why not


@dataclass(frozen=True)
class Source:
    """A file to index, with its digest and its facts from the manifest."""

    file: SourceFile
    sha256: str
    meta: Meta


@dataclass(frozen=True)
class CutJob:
    """A document to cut, with what is left of its file's time budget."""

    document: Document
    seconds: float


class Engine(Protocol):
    description: str

    def read(self, sources: Sequence[Source]) -> list[Read]:
        """Each file read and parsed, in the order given."""

    def cut(self, jobs: Sequence[CutJob], params: ChunkingParams, glossary: dict[str, str]) -> list[Cut]:
        """Each document cut into passages, in the order given."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text, grouped into batches by `length_batches`."""

    def close(self) -> None: ...


def open_engine(settings: Settings, embedder: Embedder, progress: bool = False) -> Engine:
    """The engine `settings.engine` names (Ray is imported only when it is asked for)."""
    if settings.engine == "ray":
        from .ray_engine import RayEngine

        return RayEngine(settings, progress)
    return LocalEngine(settings, embedder, progress)


# --- the stage functions, the same for every engine ----------------------------------------------


def read_one(file: SourceFile, meta: Meta, max_bytes: int, seconds: float) -> Read:
    """Read and parse one file within its time budget."""
    try:
        data = read_bytes(file, max_bytes)
    except UnreadableFile as exc:
        return None, exc.message, 0.0
    return parse_one(file, meta, data, seconds)


def parse_one(file: SourceFile, meta: Meta, data: bytes, seconds: float) -> Read:
    """Parse one file's bytes within its time budget (here, in a worker process, or on Ray)."""
    started = time.perf_counter()
    try:
        with time_budget(seconds):
            document = parse_document(file, meta, data)
    except UnreadableFile as exc:
        return None, exc.message, time.perf_counter() - started
    return document, None, time.perf_counter() - started


def cut_one(job: CutJob, params: ChunkingParams, count_tokens: Callable[[str], int], glossary: dict[str, str]) -> Cut:
    """Cut one document into passages within what is left of its time budget."""
    try:
        with time_budget(max(job.seconds, 0.01)):
            return chunk_document(job.document, params, count_tokens, glossary), None
    except OverBudget as exc:
        return None, exc.message


def cut_with(spec: OnnxSpec, job: CutJob, params: ChunkingParams, glossary: dict[str, str]) -> Cut:
    """`cut_one` in a worker process, counting word pieces with the embedder `spec` describes."""
    return cut_one(job, params, worker_embedder(spec).count_tokens, glossary)


# --- this machine --------------------------------------------------------------------------------


class LocalEngine:
    """Files parsed, documents cut and texts embedded in `settings.workers` processes when there
    are enough of them to pay for starting the processes (two files or documents per worker, 2,000
    texts), else here; the passages and vectors are the same either way."""

    description = "this machine"

    def __init__(self, settings: Settings, embedder: Embedder, progress: bool = False) -> None:
        self.settings = settings
        self.embedder = embedder
        self.progress = progress
        self._workers: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        """The worker processes, started on first use and kept for the build's later stages (a
        worker loads the model once, for cutting and embedding alike)."""
        if self._workers is None:
            context = multiprocessing.get_context("spawn")  # never fork a process that runs model threads
            self._workers = ProcessPoolExecutor(max_workers=self.settings.workers, mp_context=context)
        return self._workers

    def read(self, sources: Sequence[Source]) -> list[Read]:
        limit, seconds, workers = self.settings.max_file_bytes, self.settings.file_seconds, self.settings.workers
        if workers < 2 or len(sources) < 2 * workers:
            return [read_one(s.file, s.meta, limit, seconds) for s in stage(sources, "Reading", self.progress)]
        futures = _largest_first(
            sources,
            lambda s: _file_size(s.file),
            lambda s: self._pool().submit(read_one, s.file, s.meta, limit, seconds),
        )
        for _ in stage(as_completed(futures), "Reading", self.progress, total=len(futures)):
            pass
        return [future.result() for future in futures]

    def cut(self, jobs: Sequence[CutJob], params: ChunkingParams, glossary: dict[str, str]) -> list[Cut]:
        """In `settings.workers` processes too, with the model's own tokenizer, when the embedder
        can be loaded there and there are documents enough (two per worker)."""
        spec = getattr(self.embedder, "spec", None)
        workers = self.settings.workers
        if spec is None or workers < 2 or len(jobs) < 2 * workers:
            return [
                cut_one(job, params, self.embedder.count_tokens, glossary)
                for job in stage(jobs, "Chunking", self.progress)
            ]
        futures = _largest_first(
            jobs,
            lambda job: len(job.document.text),
            lambda job: self._pool().submit(cut_with, spec, job, params, glossary),
        )
        for _ in stage(as_completed(futures), "Chunking", self.progress, total=len(futures)):
            pass
        return [future.result() for future in futures]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """In `settings.workers` processes of one model thread each, when there are texts enough to
        pay for starting them: onnxruntime's own threads share out one short text poorly (1,600
        FinanceBench texts: 5.8 s on two threads, 7.4 s on one, so two processes of one thread
        embed them in about 3.7 s). A text's vector does not depend on where it is embedded (the
        same bits with the 8-bit model, whose sums are of integers)."""
        spec = getattr(self.embedder, "spec", None)
        workers = self.settings.workers
        if spec is None or workers < 2 or len(texts) < PARALLEL_EMBED_TEXTS:
            return self.embedder.embed(texts, progress=self.progress and len(texts) > 50)
        order = sorted(range(len(texts)), key=lambda n: -len(texts[n]))
        parts = [order[i :: workers * PARTS_PER_WORKER] for i in range(workers * PARTS_PER_WORKER)]
        out = np.zeros((len(texts), self.embedder.dimension), dtype=np.float32)
        futures = {self._pool().submit(embed_with, spec, [texts[n] for n in part]): part for part in parts}
        for future in stage(as_completed(futures), "Embedding", self.progress, total=len(futures), unit="part"):
            out[futures[future]] = future.result()
        return out

    def close(self) -> None:
        if self._workers is not None:
            self._workers.shutdown(cancel_futures=True)
            self._workers = None


def _file_size(file: SourceFile) -> int:
    try:
        return file.path.stat().st_size
    except OSError:
        return 0  # gone or unreadable: reading it says so


def _largest_first(items: Sequence[T], size: Callable[[T], int], submit: Callable[[T], Future[R]]) -> list[Future[R]]:
    """Each item submitted, the largest first (the last to finish is then a small one, not a long
    filing that keeps one worker busy while the others wait); the futures in the order of `items`."""
    futures: dict[int, Future[R]] = {}
    for n in sorted(range(len(items)), key=lambda n: -size(items[n])):
        futures[n] = submit(items[n])
    return [futures[n] for n in range(len(items))]


def stage(items: Iterable[T], name: str, shown: bool, total: int | None = None, unit: str = "doc") -> Iterable[T]:
    """`items`, with a progress bar (items per second, time left) when `shown`."""
    if not shown:
        return items
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(items, desc=name, unit=unit, total=total)
    return bar
