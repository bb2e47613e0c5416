"""Generations of the index folder: which one is served, and the atomic swap to a new one.

A build writes a complete generation into a fresh `.build-*` folder; `publish` syncs it to disk,
renames it to `gen-<stamp>`, then replaces the CURRENT pointer in one rename, so a reader always
sees either the old generation or the new one, never a half-written one. Plain files only: what
is inside a generation is the index's business (`assistant.index`).
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime
from pathlib import Path

CURRENT = "CURRENT"
MANIFEST = "manifest.json"  # written last into a generation: a folder without it is unfinished


def current_generation(index_dir: Path) -> Path | None:
    """The generation CURRENT names, or None when there is none or it is unfinished."""
    pointer = index_dir / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    folder = index_dir / name
    return folder if name and (folder / MANIFEST).is_file() else None


def earlier_generations(index_dir: Path, than: str) -> list[Path]:
    """Finished generations older than the one named `than`, newest first (names carry the time
    they were published, so they sort in time)."""
    older = [
        folder
        for folder in index_dir.glob("gen-*")
        if folder.name < than and folder.is_dir() and (folder / MANIFEST).is_file()
    ]
    return sorted(older, key=lambda folder: folder.name, reverse=True)


def named_generation(index_dir: Path) -> str | None:
    """The name CURRENT holds, whether or not that generation is whole."""
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip() or None
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None


def new_build_folder(index_dir: Path) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    folder = index_dir / f".build-{uuid.uuid4().hex[:12]}"
    folder.mkdir()
    return folder


def publish(index_dir: Path, build: Path) -> Path:
    """Make a finished build the served generation: rename, then replace CURRENT atomically."""
    _fsync_tree(build)
    final = index_dir / f"gen-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}-{uuid.uuid4().hex[:6]}"
    os.replace(build, final)
    pointer_tmp = index_dir / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    with open(pointer_tmp, "w", encoding="utf-8") as handle:
        handle.write(final.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    previous = current_generation(index_dir)
    os.replace(pointer_tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    keep = {final.name} | ({previous.name} if previous else set())
    remove_stale(index_dir, keep)
    return final


def remove_stale(index_dir: Path, keep: set[str]) -> None:
    """Remove unfinished builds and generations no longer served (the previous one is kept so a
    server still reading it is not cut off mid-swap)."""
    for entry in index_dir.iterdir():
        if entry.name in keep or not entry.is_dir():
            continue
        if entry.name.startswith((".build-", "gen-")):
            shutil.rmtree(entry, ignore_errors=True)
    for entry in index_dir.glob(f".{CURRENT}.*"):
        entry.unlink(missing_ok=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
