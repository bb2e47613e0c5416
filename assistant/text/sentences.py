"""Sentence boundaries, from pysbd's rule set (abbreviations, initials, decimals, quotes)."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from .markers import MARKER, mask_markers

# Note markers ("[19]", "[a]") confuse the rules; they are blanked out for segmentation and then
# kept with the sentence they follow.
_TRAILING_MARKER = re.compile(r" ?" + MARKER.pattern)


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


# pysbd's cost grows with the square of the text it is given, so long text goes to it in windows
# of about this many characters; the last sentence of a window is cut again with what follows.
WINDOW_CHARS = 2000


# Where pysbd's rules can end a sentence (or cut an enumeration such as "(i)"); text with none of
# these before its last character is one sentence, and pysbd need not read it.
_BREAKS = re.compile(r"[.!?…;:()\[\]\"“”\r\n]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, in order, without surrounding whitespace.

    Linear in the length of `text`: a long paragraph is read window by window. A paragraph is
    often segmented twice (for its passages and for the table after it), so recent answers are kept."""
    return list(_sentence_spans(text))


@lru_cache(maxsize=4096)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > WINDOW_CHARS:
        end = text.rfind(" ", start + WINDOW_CHARS // 2, start + WINDOW_CHARS)
        end = end if end > 0 else start + WINDOW_CHARS
        found = _spans(text[start:end])
        if len(found) > 1:
            found.pop()  # the window may have cut it; it is read again with the next window
        spans.extend((start + a, start + b) for a, b in found)
        start += found[-1][1] if found else end - start
    spans.extend((start + a, start + b) for a, b in _spans(text[start:]))
    return tuple(spans)


def _spans(text: str) -> list[tuple[int, int]]:
    stripped = text.strip()
    body = stripped[:-1] if stripped.endswith((".", "!", "?")) else stripped
    if stripped and _BREAKS.search(body) is None:
        start = len(text) - len(text.lstrip())
        return [(start, start + len(stripped))]
    original = text
    text = mask_markers(text)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter().segment(text):
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # pysbd normalised something; fall back to the rest of the text
            start = cursor
            end = len(text)
        else:
            end = start + len(piece)
        while (marker := _TRAILING_MARKER.match(original, end)) is not None:
            end = marker.end()
        spans.append((start, end))
        cursor = end
    if not spans and text.strip():
        spans.append((len(text) - len(text.lstrip()), len(text.rstrip())))
    return spans
