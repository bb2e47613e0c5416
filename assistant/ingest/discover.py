"""Finding a corpus folder's documents: the files of a supported format (with a readable id each)
and the manifest of their bibliographic facts.
"""

from __future__ import annotations

import errno
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError
from assistant.model import Meta
from assistant.text.controls import strip_controls

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}
MANIFEST_NAMES = ("manifest.toml",)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str
    doc_id: str
    fmt: str


def discover(corpus_dir: Path) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Supported files under `corpus_dir` (sorted) and the problems met on the way: hidden files
    and folders, linked folders, links out of the folder, symlink loops and unreadable folders are
    skipped and reported; unsupported files are not problems."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    files: list[SourceFile] = []
    problems: list[tuple[str, str]] = []
    taken: set[str] = set()
    for path, relative, error in _walk(corpus_dir):
        if error:
            problems.append((relative, error))
            continue
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            continue
        doc_id = _unique(slug_for(relative), taken, fmt)
        files.append(SourceFile(path, relative, doc_id, fmt))
    return files, problems


def _walk(root: Path) -> Iterator[tuple[Path, str, str | None]]:
    """Files under `root`, with a reason for each one that cannot be taken. A link is followed only
    when it stays inside the corpus folder: a link out of it (to /etc/passwd, say) is reported, never
    indexed. Linked folders are not followed, and are reported."""
    inside = root.resolve()
    for folder, subfolders, names in os.walk(root, followlinks=False, onerror=None):
        for name in sorted(subfolders):
            path = Path(folder) / name
            if name.startswith("."):
                yield path, path.relative_to(root).as_posix(), "hidden folder, not read"
            elif path.is_symlink():
                yield path, path.relative_to(root).as_posix(), "linked folder not followed"
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not (Path(folder) / d).is_symlink())
        for name in sorted(names):
            if name in MANIFEST_NAMES:
                continue
            if name.startswith("."):
                if Path(name).suffix.lower() in FORMATS:
                    yield (
                        Path(folder) / name,
                        (Path(folder) / name).relative_to(root).as_posix(),
                        "hidden file, not read",
                    )
                continue
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            try:
                target = path.stat()  # follows links; a loop raises ELOOP
            except OSError as exc:
                reason = "symlink loop" if exc.errno == errno.ELOOP else f"cannot stat: {exc.strerror}"
                yield path, relative, reason
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                if path.suffix.lower() in FORMATS:
                    yield path, relative, "link to a file outside the corpus folder, not followed"
                continue
            if not os.path.isfile(path) or target.st_size < 0:
                continue
            yield path, relative, None


def slug_for(relative: str) -> str:
    """A readable document id from a file's path: "reports/Annual Report.pdf" -> "reports--annual-report"."""
    stem = relative.rsplit(".", 1)[0] if "." in relative.rsplit("/", 1)[-1] else relative
    parts = [re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") for part in stem.split("/")]
    slug = "--".join(part for part in parts if part)
    return slug or "document"


def _unique(slug: str, taken: set[str], fmt: str) -> str:
    candidate = slug
    if candidate in taken:
        candidate = f"{slug}-{fmt}"
    n = 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def load_manifest(corpus_dir: Path) -> dict[str, Meta]:
    """Facts per file name from `manifest.toml`; a malformed manifest is a corpus error."""
    return {
        name: _meta_from(entry)
        for name, entry in _manifest_tables(corpus_dir).items()
        if isinstance(entry, dict) and name != COLLECTION
    }


COLLECTION = "collection"  # the manifest's table about the collection as a whole
MAX_EXAMPLES = 5


def load_collection(corpus_dir: Path) -> dict[str, Any]:
    """What `manifest.toml` says of the collection as a whole (its `[collection]` table): its
    `name`, a short `description` and up to five `examples` of questions, shown on the home page."""
    entry = _manifest_tables(corpus_dir).get(COLLECTION)
    if not isinstance(entry, dict):
        return {}
    found: dict[str, Any] = {}
    if name := _text_or_none(entry.get("name")):
        found["name"] = strip_controls(name)[:80]
    if description := _text_or_none(entry.get("description")):
        found["description"] = strip_controls(description)[:300]
    examples = entry.get("examples")
    if isinstance(examples, list):
        found["examples"] = [strip_controls(str(q)).strip()[:200] for q in examples if str(q).strip()][:MAX_EXAMPLES]
    return found


def _manifest_tables(corpus_dir: Path) -> dict[str, Any]:
    path = corpus_dir / "manifest.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from None


def _meta_from(entry: dict[str, Any]) -> Meta:
    authors = entry.get("authors") or ([entry["author"]] if entry.get("author") else [])
    return Meta(
        title=_text_or_none(entry.get("title")),
        authors=tuple(str(a) for a in authors),
        publisher=_text_or_none(entry.get("publisher")),
        date=_text_or_none(entry.get("date")),
        link=_text_or_none(entry.get("link")),
        title_supplied=bool(entry.get("title_supplied", False)),
    )


def _text_or_none(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None
