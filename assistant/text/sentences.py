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
    for piece in _segments(text):
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


def _segments(text: str) -> list[str]:
    """What `pysbd.Segmenter(clean=False).segment(text)` returns: its sentences, each with the
    whitespace after it, as they stand in `text`. pysbd finds each sentence in the text with a
    regular expression made of that sentence, one compiled pattern per sentence (a third of the
    time of cutting a 10-K); here `str.find` does the same search: the first occurrence, scanning
    without overlap, that ends after the sentence before."""
    found: list[str] = []
    prior_end = 0
    for sentence in _segmenter().processor(text).process():
        if not sentence:
            continue
        at = text.find(sentence)
        while at >= 0:
            end = at + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > prior_end:
                found.append(text[at:end])
                prior_end = end
                break
            at = text.find(sentence, end)
    return found
