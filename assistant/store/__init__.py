"""The index on disk: embedding backends, FAISS vectors, the SQLite chunk store with FTS5,
generations swapped atomically, and the manifest that says what a generation was built with."""

from .generations import CURRENT, MANIFEST, current_generation
from .manifest import FORMAT_VERSION, read_manifest
from .reader import IndexReader

__all__ = ["CURRENT", "FORMAT_VERSION", "MANIFEST", "IndexReader", "current_generation", "read_manifest"]
