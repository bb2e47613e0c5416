"""Highlighting of a passage for its card: paragraphs escaped, the answer's quotes and the query's
words marked.

Everything from a document is escaped here with markupsafe before any markup is added, so the
templates can show the result as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from assistant.text.markers import MARKER
from assistant.text.words import WORD, stem

_TOKEN = re.compile(rf"(?P<ref>{MARKER.pattern})|{WORD.pattern}")
_PARAGRAPH_GAP = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Segment:
    """A paragraph of a passage card (`kind` "text"), or a table's header line ("head") or rows ("rows")."""

    kind: str
    html: Markup


def highlight(
    text: str,
    quotes: Iterable[tuple[int, int]],
    terms: Sequence[str],
    *,
    parts: Sequence[tuple[str, int, int]] | None = None,
) -> list[Segment]:
    """`text` as paragraphs (or as the given `parts`: a table's header and rows), escaped, with the
    answer's `quotes` (character spans of `text`) in `<mark class="answer">` and words matching the
    query `terms` in `<mark class="term">`."""
    spans = _merge(quotes)
    segments = parts if parts is not None else _paragraphs(text)
    return [Segment(kind, _marked(text, start, end, spans, terms)) for kind, start, end in segments]


def _paragraphs(text: str) -> list[tuple[str, int, int]]:
    out = []
    start = 0
    for gap in _PARAGRAPH_GAP.finditer(text):
        out.append(("text", start, gap.start()))
        start = gap.end()
    out.append(("text", start, len(text)))
    return [(kind, a, b) for kind, a, b in out if text[a:b].strip()]


def _marked(text: str, start: int, end: int, spans: Sequence[tuple[int, int]], terms: Sequence[str]) -> Markup:
    out: list[str] = []
    position = start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        out.append(inline(text[position:a], terms))
        out.append(f'<mark class="answer">{inline(text[a:b], terms)}</mark>')
        position = b
    out.append(inline(text[position:end], terms))
    return Markup("".join(out))


def inline(text: str, terms: Sequence[str] = ()) -> Markup:
    """`text` escaped, with note markers ("[19]", "[c]") set apart and words matching `terms` marked."""
    out: list[str] = []
    position = 0
    wanted = {stem(word) for term in terms for word in WORD.findall(term)}
    for match in _TOKEN.finditer(text):
        if match.group("ref"):
            html = f'<span class="ref">{escape(match.group())}</span>'
        elif stem(match.group()) in wanted:
            html = f'<mark class="term">{escape(match.group())}</mark>'
        else:
            continue
        out.append(str(escape(text[position : match.start()])))
        out.append(html)
        position = match.end()
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
