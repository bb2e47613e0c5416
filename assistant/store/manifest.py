"""The index manifest: what a generation was built from and with, so that loading it can check
that it fits (txtai's habit: a saved index describes itself), and the size and SHA-256 of each of
its files, so that a truncated or altered generation is refused before it is served."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from assistant.errors import IndexDamaged, reason

from .generations import MANIFEST

# Bump when the store's layout changes, so that an index of another layout is rebuilt, not misread.
FORMAT_VERSION = 6


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    with open(folder / MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        with open(folder / MANIFEST, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexDamaged(f"{folder / MANIFEST} cannot be read ({reason(exc)})") from None
    if not isinstance(data, dict):
        raise IndexDamaged(f"{folder / MANIFEST} is not a manifest")
    return data


def file_digests(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """The size and SHA-256 of each named file of a generation, for its manifest."""
    return {name: {"bytes": (folder / name).stat().st_size, "sha256": _sha256(folder / name)} for name in names}


def verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    """Raise `IndexDamaged`, naming the file, unless every file the manifest lists is there with
    its recorded size and digest."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexDamaged(f"{folder / MANIFEST} lists no files to check")
    for name, expected in files.items():
        path = folder / name
        if not isinstance(expected, dict):
            raise IndexDamaged(f"{folder / MANIFEST} says nothing checkable about {name}")
        try:
            size = path.stat().st_size
            if size != expected.get("bytes"):
                raise IndexDamaged(f"{path} has {size:,} bytes, {expected.get('bytes'):,} were written")
            if _sha256(path) != expected.get("sha256"):
                raise IndexDamaged(f"{path} is not the file that was written (its SHA-256 differs)")
        except OSError as exc:
            raise IndexDamaged(f"{path} cannot be read ({reason(exc)})") from None


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
