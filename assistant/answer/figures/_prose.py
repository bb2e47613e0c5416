"""Figures in prose: the passage's note markers masked, its numbers read, the sentences around
them cut, and each figure labelled from its sentence and returned as a `Figure`.

The one entry point for prose, joining the reading, cutting and labelling stages in that order.
"""

from __future__ import annotations

from bisect import bisect_left

from assistant.text.markers import mask_markers as _mask_markers

from ._figure import Figure
from ._labels import _label
from ._numbers import _Read, _reads
from ._pieces import _sentence_spans_near
from ._tokens import _Sentence, _tokens


def extract_figures(text: str) -> list[Figure]:
    """Every figure in a prose passage, in reading order, each labelled from its sentence."""
    masked = _mask_markers(text)
    reads = _reads(masked)
    if not reads:
        return []
    tokens = _tokens(masked)
    starts = [t.start for t in tokens]
    figures: list[Figure] = []
    spans = _sentence_spans_near(text, reads)
    current: tuple[int, int] | None = None
    sentence: _Sentence | None = None
    for read in reads:
        span = next((sp for sp in spans if sp[0] <= read.start < sp[1]), (read.start, read.end))
        if span != current or sentence is None:
            current = span
            sentence = _Sentence(tokens, bisect_left(starts, span[0]), bisect_left(starts, span[1]))
        _label(sentence, read)
        sentence.done.append(read)
        figures.append(_figure(text, read, text[span[0] : span[1]]))
    return figures


def _figure(text: str, read: _Read, sentence: str) -> Figure:
    return Figure(
        text=text[read.text_start : read.end],
        value=read.value,
        value_high=read.high,
        qualifier=read.qualifier,
        unit=read.unit,
        kind=read.kind,
        label=read.label,
        sentence=sentence,
        start=read.text_start,
        end=read.end,
    )
