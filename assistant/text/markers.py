"""The one footnote-marker pattern.

Ingest sets note references apart in the text as `[n]` (numbered notes, up to 999) or `[a]`
(lettered notes, one or two lower-case letters): a reader sees them, while the model, the lexical
index, sentence splitting and figure reading look past them. Every stage finds them with `MARKER`.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"\[(?:\d{1,3}|[a-z]{1,2})\]")
_WITH_SPACE = re.compile(r"\s?" + MARKER.pattern)


def strip_markers(text: str) -> str:
    """`text` without its note markers (and the space before each)."""
    return _WITH_SPACE.sub("", text)


def mask_markers(text: str) -> str:
    """`text` with every note marker blanked out by spaces, so offsets stay the same."""
    return MARKER.sub(lambda m: " " * len(m.group()), text)
