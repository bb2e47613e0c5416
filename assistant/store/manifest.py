"""The index manifest: what a generation was built from and with, so that loading it can check
that it fits (txtai's habit: a saved index describes itself)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .generations import MANIFEST

# Bump when the store's layout changes, so that an index of another layout is rebuilt, not misread.
FORMAT_VERSION = 4


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    with open(folder / MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(folder: Path) -> dict[str, Any]:
    with open(folder / MANIFEST, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data
