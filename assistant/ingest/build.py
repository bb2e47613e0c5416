"""Building the index from a corpus folder: incremental, atomic, and honest about bad files.

Unchanged documents (same bytes, same manifest facts, same pipeline) keep their cleaned text and
passages from the generation being served; passages whose content was embedded before take their
vectors from the cache; only what is new is read, cleaned, chunked and embedded. The result is
written as a new generation and swapped in at the very end. A file that cannot be read is
reported and skipped. When nothing changed at all, nothing is written.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import AssistantError, CorpusError, IndexDamaged, reason
from assistant.model import Chunk, Document, DocumentInfo, Meta
from assistant.settings import Settings
from assistant.store.chunkstore import STORE, write_store
from assistant.store.embedding import CACHE_FILE, Embedder, EmbeddingCache
from assistant.store.generations import (
    current_generation,
    earlier_generations,
    named_generation,
    new_build_folder,
    publish,
    remove_stale,
)
from assistant.store.manifest import FORMAT_VERSION, file_digests, read_manifest, verify_files, write_manifest
from assistant.store.model_files import fingerprint
from assistant.store.reader import IndexReader
from assistant.store.vectors import OWNERS, VECTORS, choose_index_type, write_vectors

from .acronyms import build_glossary, glossary_hash
from .chunking import ChunkingParams
from .discover import SourceFile, discover, load_collection, load_manifest
from .engines import CutJob, Engine, Source, open_engine
from .report import BuildReport

# Bump when cleaning or chunking changes what they produce, so unchanged files are redone.
PIPELINE_VERSION = 7
WINDOW_TOKENS = 32


class BuildInProgress(AssistantError):
    status_code = 409


class IndexReadOnly(AssistantError):
    status_code = 503


class IndexWriteFailed(AssistantError):
    status_code = 503


def pipeline_params(settings: Settings, max_tokens: int | None) -> dict[str, Any]:
    return {
        "pipeline_version": PIPELINE_VERSION,
        "target_tokens": settings.chunk_tokens,
        "max_tokens": max_tokens,
        "max_chars": settings.max_passage_chars,
        "window_tokens": WINDOW_TOKENS,
    }


def build_index(
    settings: Settings,
    load_embedder: Callable[[], Embedder],
    *,
    progress: bool = False,
    force: bool = False,
    before_publish: Callable[[], None] | None = None,
    engine: Callable[[Embedder], Engine] | None = None,
) -> BuildReport:
    """Build or update the index of `settings.corpus_dir` in `settings.index_dir`; the heavy
    stages run on `engine(embedder)` (default: the one `settings.engine` names), started only
    when something is to be done."""
    started = time.perf_counter()
    report = BuildReport()
    files, walk_problems = discover(settings.corpus_dir)
    report.problems.extend((f"{settings.corpus_dir / rel}", why) for rel, why in walk_problems)
    metas = load_manifest(settings.corpus_dir)
    collection = load_collection(settings.corpus_dir)
    index_dir = settings.index_dir
    if not _writable(index_dir):
        # Nothing may be written, which is fine when there is nothing to write.
        sources = _hash_sources(files, metas, settings, report)
        folder = current_generation(index_dir)
        manifest = _intact_manifest(folder, report)
        if not force and _up_to_date(folder, manifest, _corpus_hash(sources), collection, settings, report):
            report.seconds = time.perf_counter() - started
            return report
        raise IndexReadOnly(f"cannot build in {index_dir}: the folder is not writable")
    with _build_lock(index_dir):
        previous_folder = current_generation(index_dir)
        previous_manifest = _intact_manifest(previous_folder, report)
        sources = _hash_sources(files, metas, settings, report)
        corpus_hash = _corpus_hash(sources)
        if not force and _up_to_date(previous_folder, previous_manifest, corpus_hash, collection, settings, report):
            report.seconds = time.perf_counter() - started
            return report
        if not sources:
            raise CorpusError(f"nothing to index in {settings.corpus_dir}: no readable .txt, .md, .html or .pdf files")
        embedder = load_embedder()
        params = pipeline_params(settings, embedder.max_tokens)
        runner = (engine or (lambda e: open_engine(settings, e, progress)))(embedder)
        previous = None if force else _open_previous(previous_folder, previous_manifest, embedder, params)
        try:
            documents, chunks, glossary_digest = _documents_and_chunks(
                sources, previous, runner, embedder, params, settings, report
            )
            if not documents:
                raise CorpusError(f"none of the files in {settings.corpus_dir} could be read")
            try:
                vectors, owners = _vectors(chunks, runner, embedder, index_dir, report)
            except (OSError, sqlite3.Error) as exc:
                raise IndexWriteFailed(
                    f"cannot write in {index_dir}: {reason(exc)}; the served index is unchanged"
                ) from None
        finally:
            runner.close()
            if previous is not None:
                previous.close()
        # What was read is what the index holds: a file edited between hashing and reading is
        # recorded with the digest of the text read, so the next build sees it changed.
        read = {d.info.path: d.info.sha256 for d in documents}
        corpus_hash = _corpus_hash(
            [dataclasses.replace(s, sha256=read.get(s.file.relative, s.sha256)) for s in sources]
        )
        try:
            build = new_build_folder(index_dir)
        except (OSError, sqlite3.Error) as exc:
            raise IndexWriteFailed(
                f"cannot write in {index_dir}: {reason(exc)}; the served index is unchanged"
            ) from None
        try:
            write_store(build, documents, chunks)
            index_type = choose_index_type(settings.faiss_index, len(vectors))
            write_vectors(build, vectors, owners, index_type)
            write_manifest(
                build,
                {
                    "format_version": FORMAT_VERSION,
                    "model": embedder.name,
                    "model_fingerprint": embedder.fingerprint,
                    "backend": embedder.backend,
                    "dimension": embedder.dimension,
                    "chunking": params,
                    "corpus_hash": corpus_hash,
                    "glossary_hash": glossary_digest,
                    "documents": len(documents),
                    "chunks": len(chunks),
                    "vectors": len(vectors),
                    "faiss_index": index_type,
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "collection": collection,
                    "files": file_digests(build, [STORE, VECTORS, OWNERS]),
                },
            )
            IndexReader(build, digests_checked=True).close()  # loaded, and its parts agree, before it is published
            if before_publish is not None:
                before_publish()
            report.generation = publish(index_dir, build).name
        except (OSError, sqlite3.Error) as exc:
            raise IndexWriteFailed(
                f"cannot write the new index in {build}: {reason(exc)}; the served index is unchanged"
            ) from None
        finally:
            if build.exists():
                shutil.rmtree(build, ignore_errors=True)
    report.documents = len(documents)
    report.chunks = len(chunks)
    report.seconds = time.perf_counter() - started
    return report


def _up_to_date(
    folder: Path | None,
    manifest: dict[str, Any] | None,
    corpus_hash: str,
    collection: dict[str, Any],
    settings: Settings,
    report: BuildReport,
) -> bool:
    """Whether the served generation (whole: `manifest` is None otherwise) was built from these
    files with these settings; if so the report says so."""
    if folder is None or manifest is None or not _unchanged(manifest, corpus_hash, collection, settings):
        return False
    report.up_to_date = True
    report.documents = int(manifest.get("documents", 0))
    report.chunks = int(manifest.get("chunks", 0))
    report.vectors = int(manifest.get("vectors", report.chunks))
    report.reused = report.vectors
    report.generation = folder.name
    return True


def _intact_manifest(folder: Path | None, report: BuildReport) -> dict[str, Any] | None:
    """The manifest of a generation whose files are all whole; a damaged one is reported (and
    rebuilt from the corpus, not reused)."""
    if folder is None:
        return None
    try:
        manifest = read_manifest(folder)
        verify_files(folder, manifest)
    except IndexDamaged as exc:
        report.problems.append((str(folder), f"damaged, built again: {exc.message}"))
        return None
    return manifest


def _writable(index_dir: Path) -> bool:
    """Whether files can be created in the index folder (tried, as permissions alone do not say:
    a read-only mount refuses even root)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=index_dir):
            return True
    except OSError:
        return False


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = open(index_dir / ".lock", "w")  # noqa: SIM115 - held for the whole build
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildInProgress(f"another build is writing {index_dir}; wait for it to finish") from None
        remove_stale(index_dir, keep=_served(index_dir))
        yield
    finally:
        handle.close()


def _served(index_dir: Path) -> set[str]:
    """The generations a server may be reading: the current one and, as the fallback when that
    one is damaged, the newest one before it."""
    name = named_generation(index_dir)
    if name is None:
        return set()
    return {name, *(folder.name for folder in earlier_generations(index_dir, name)[:1])}


def _hash_sources(
    files: list[SourceFile], metas: dict[str, Meta], settings: Settings, report: BuildReport
) -> list[Source]:
    sources = []
    for file in files:
        try:
            digest = _sha256(file.path)
        except FileNotFoundError:
            report.problems.append(
                (str(settings.corpus_dir / file.relative), "disappeared while the index was being built")
            )
            continue
        except OSError as exc:
            report.problems.append((str(settings.corpus_dir / file.relative), f"cannot read: {exc.strerror or exc}"))
            continue
        sources.append(Source(file, digest, metas.get(file.relative, Meta())))
    return sources


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _corpus_hash(sources: list[Source]) -> str:
    entries = sorted((s.file.relative, s.sha256, dataclasses.asdict(s.meta)) for s in sources)
    return hashlib.sha256(json.dumps(entries, sort_keys=True, default=list).encode()).hexdigest()


def _unchanged(manifest: dict[str, Any], corpus_hash: str, collection: dict[str, Any], settings: Settings) -> bool:
    chunking = manifest.get("chunking", {})
    expected = pipeline_params(settings, chunking.get("max_tokens"))
    return (
        manifest.get("format_version") == FORMAT_VERSION
        and manifest.get("corpus_hash") == corpus_hash
        and manifest.get("model") == settings.model_name
        and manifest.get("model_fingerprint") == fingerprint(settings)
        and manifest.get("backend", "torch") == settings.backend
        and chunking == expected
        and manifest.get("faiss_index") == choose_index_type(settings.faiss_index, int(manifest.get("vectors", 0)))
        and manifest.get("collection", {}) == collection
    )


def _open_previous(
    folder: Path | None, manifest: dict[str, Any] | None, embedder: Embedder, params: dict[str, Any]
) -> IndexReader | None:
    """The served generation, if its passages can be reused as they are."""
    if folder is None or manifest is None:
        return None
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("chunking") != params:
        return None
    try:
        return IndexReader(folder, digests_checked=True)  # `manifest` came from `_intact_manifest`
    except (AssistantError, OSError, RuntimeError):
        return None


def _documents_and_chunks(
    sources: list[Source],
    previous: IndexReader | None,
    engine: Engine,
    embedder: Embedder,
    params: dict[str, Any],
    settings: Settings,
    report: BuildReport,
) -> tuple[list[Document], list[Chunk], str]:
    """Read what changed, keep what did not, then chunk with the collection's glossary.

    Acronyms defined in one document apply in all (an acronym a news piece uses, defined in a
    report), so when the glossary changes every document is chunked again; its vectors still come
    from the cache wherever a passage's text is unchanged."""
    chunking = ChunkingParams(
        target_tokens=min(params["target_tokens"], embedder.max_tokens),
        max_tokens=embedder.max_tokens,
        max_chars=params["max_chars"],
        window_tokens=params["window_tokens"],
    )
    old = {d.path: d for d in previous.documents.values()} if previous else {}
    kept: dict[str, Document] = {}
    fresh: dict[str, Document] = {}
    to_read: list[Source] = []
    for source in sources:
        relative = source.file.relative
        prior = old.get(relative)
        if previous is not None and prior is not None and _reusable(prior, source):
            stored = previous.document(prior.doc_id)
            if stored is not None:
                kept[relative] = stored
                continue
        to_read.append(source)
    spent: dict[str, float] = {}  # seconds each fresh file took to read, out of its budget
    for source, (document, problem, seconds) in zip(to_read, engine.read(to_read), strict=True):
        relative = source.file.relative
        if document is None:
            report.problems.append((str(settings.corpus_dir / relative), problem or "could not be read"))
            continue
        fresh[relative], spent[relative] = document, seconds
        (report.changed if relative in old else report.added).append(relative)
    report.removed = sorted(set(old) - {s.file.relative for s in sources})
    glossary = build_glossary([d.text for d in kept.values()] + [d.text for d in fresh.values()])
    digest = glossary_hash(glossary)
    if previous is not None and previous.manifest.get("glossary_hash") != digest:
        fresh |= kept
        kept = {}
    order = [s.file.relative for s in sources if s.file.relative in fresh]
    jobs = [CutJob(fresh[relative], settings.file_seconds - spent.get(relative, 0.0)) for relative in order]
    cut = dict(zip(order, engine.cut(jobs, chunking, glossary), strict=True))
    documents: list[Document] = []
    chunks: list[Chunk] = []
    for source in sources:
        relative = source.file.relative
        if relative in kept and previous is not None:
            documents.append(kept[relative])
            passages = sorted(previous.document_chunks(kept[relative].doc_id), key=lambda c: c.seq)
        elif relative in cut:
            found, problem = cut[relative]
            if found is None:
                report.problems.append((str(settings.corpus_dir / relative), problem or "could not be cut"))
                _forget(report, relative)
                continue
            passages = found
            document = fresh[relative]
            documents.append(replace(document, info=replace(document.info, chunk_count=len(passages))))
        else:
            continue
        offset = len(chunks)
        chunks.extend(replace(c, pos=offset + n) for n, c in enumerate(passages))
    return documents, chunks, digest


def _forget(report: BuildReport, relative: str) -> None:
    """A file skipped after all is neither added nor changed."""
    for listed in (report.added, report.changed):
        if relative in listed:
            listed.remove(relative)


def _reusable(prior: DocumentInfo, source: Source) -> bool:
    return prior.sha256 == source.sha256 and prior.doc_id == source.file.doc_id and _same_meta(prior, source.meta)


def _same_meta(prior: DocumentInfo, meta: Meta) -> bool:
    return (
        (meta.title is None or prior.title == meta.title)
        and (not meta.authors or prior.authors == meta.authors)
        and prior.publisher == (meta.publisher or prior.publisher)
        and prior.date == (meta.date or prior.date)
        and prior.link == (meta.link or prior.link)
        and prior.title_supplied == meta.title_supplied
    )


def _vectors(
    chunks: list[Chunk], engine: Engine, embedder: Embedder, index_dir: Path, report: BuildReport
) -> tuple[np.ndarray, np.ndarray]:
    """One vector per passage, then one per sentence window, and the passage each belongs to;
    vectors come from the cache where the text was embedded before."""
    texts = [c.embed_text for c in chunks] + [w for c in chunks for w in c.windows]
    owners = np.array(list(range(len(chunks))) + [c.pos for c in chunks for _ in c.windows], dtype=np.int64)
    hashes = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
    cache = EmbeddingCache(
        index_dir / CACHE_FILE, f"{embedder.name}/{embedder.backend}@{embedder.dimension}", embedder.dimension
    )
    matrix = np.empty((len(texts), embedder.dimension), dtype=np.float32)
    known = cache.get(hashes)
    missing: dict[str, list[int]] = {}  # each text to embed, once, and the rows that take its vector
    for n, digest in enumerate(hashes):
        if digest in known:
            matrix[n] = known[digest]
        else:
            missing.setdefault(digest, []).append(n)
    del known
    if missing:
        fresh = engine.embed([texts[rows[0]] for rows in missing.values()])
        for vector, rows in zip(fresh, missing.values(), strict=True):
            matrix[rows] = vector
        cache.put(zip(missing, fresh, strict=True))
    report.vectors = len(texts)
    report.embedded = len(missing)
    report.reused = len(texts) - sum(len(rows) for rows in missing.values())
    return matrix, owners
