"""Ingest: readers (txt, md, html, pdf) -> a typed document (blocks: heading, paragraph, list
item, note, table) -> cleaning -> chunking -> an incremental, atomic index build."""

from .build import BuildInProgress, build_index
from .chunking import ChunkingParams, chunk_document
from .discover import discover, load_manifest
from .readers import read_document
from .report import BuildReport, format_report

__all__ = [
    "BuildInProgress",
    "BuildReport",
    "ChunkingParams",
    "build_index",
    "chunk_document",
    "discover",
    "format_report",
    "load_manifest",
    "read_document",
]
