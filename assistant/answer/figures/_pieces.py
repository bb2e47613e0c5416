"""Sentence pieces: the sentences a passage's figures sit in, found fast.

Labelling needs each figure's sentence, and the sentence segmenter is too slow to run on every
retrieved passage, so the text is cut by pattern where a sentence surely ends and only the pieces
with a doubtful full stop go to it.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from assistant.text.sentences import sentence_spans

from ._lexicon import _words
from ._numbers import _Read

_SURE_END = re.compile(
    r"(?:\n\s*\n|(?:(?P<word>\b[A-Za-z]*[a-z][a-z])|\d)[.!?][”\"’)]*(?:\s*\[[^\]\n]{1,12}\])*(?=\s+[“\"‘(]?[A-Z]))"
)
_DOUBTFUL_END = re.compile(r"(\S+)[.!?][”\"’)]*(?:\s*\[[^\]\n]{1,12}\])*\s+[“\"‘(]?[A-Z]")
_ABBREVIATIONS = _words(
    "gen col capt lt sgt maj prof inc corp vol fig jan feb mar apr jun jul aug sep sept oct nov dec etc vs al "
    "approx est nos dept govt univ mr mrs ms dr st jr sr rev"
)


def _sentence_spans_near(text: str, reads: list[_Read]) -> list[tuple[int, int]]:
    """Sentence spans around the figures. pysbd takes a few milliseconds per passage, so the text
    is first cut where a sentence surely ends (a full stop after a lowercase word or a number,
    before a capital), and only the pieces that hold a figure and a doubtful full stop ("U.S. The")
    go to the segmenter."""
    spans: list[tuple[int, int]] = []
    for start, end in _pieces(text):
        if not any(start <= r.start < end for r in reads):
            continue
        piece = text[start:end]
        if any(
            m.group(1).lower() in _ABBREVIATIONS or not m.group(1)[-1].islower() for m in _DOUBTFUL_END.finditer(piece)
        ):
            spans.extend((start + a, start + b) for a, b in _spans(piece))
        else:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
    return spans


@lru_cache(maxsize=4096)
def _spans(piece: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of a piece of text, remembered: the same passages come back question after question."""
    return tuple(sentence_spans(piece))


def _pieces(text: str) -> list[tuple[int, int]]:
    """The text cut at paragraph breaks and at sure sentence ends."""
    cuts = [0]
    for m in _SURE_END.finditer(text):
        word = m.group("word") or ""
        if word.lower() not in _ABBREVIATIONS:
            cuts.append(m.end())
    cuts.append(len(text))
    return [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]
