"""A turn of the conversation taken away: Markdown with numbered citations and references (for a
report or a note), and its figures as CSV (for a spreadsheet). Both number the passages as the
page does, and link each reference to the viewer at its passage."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .schemas import FigureModel
from .wording import citations_of, operands_text, page_label, qualifier_words

if TYPE_CHECKING:
    from .pages import Turn

COLUMNS = ["figure", "value", "value_high", "qualifier", "unit", "scale", "label", "row", "column", "sentence"]
COLUMNS += ["citation", "document", "page", "url", "formula", "derived_from"]
_PLAIN_NUMBER = re.compile(r"[-+]?[\d,.]+%?")


def turn_markdown(turn: Turn, absolute: Callable[[str], str]) -> str:
    """The turn as Markdown: the question, the answer line, the supporting sentences, the figures,
    then the references its citation numbers point to."""
    r = turn.response
    lines = [f"# {_md(r.question)}", ""]
    if turn.understood_as:
        lines += [f"_Understood as: {_md(turn.understood_as)}_", ""]
    if not r.answerable:
        lines += [f"**The documents don't say.** Searched for “{_md(r.resolved_query)}”; the closest passages:", ""]
    elif turn.lead is not None:
        detail = f" ({_md(turn.lead.detail)})" if turn.lead.detail else ""
        confidence = round(r.confidence * 100)
        lines += [f"**{_md(turn.lead.text)}**{detail} [{turn.lead.citation}] · confidence {confidence}%", ""]
        lines += [f"- {_md(s.text)} {_marks(s.citations)}" for s in turn.supporting]
        lines += [""] if turn.supporting else []
    if r.figures:
        lines += ["| Figure | How the source puts it | What it counts | Source |", "|---:|---|---|---|"]
        for figure in r.figures:
            passage = turn.passages.get(figure.citation)
            where = f"{passage.title}, {page_label(passage.page, passage.page_end)}" if passage and passage.page else ""
            cited = _marks(citations_of(figure))
            cells = [figure.text, qualifier_words(figure), figure.label, f"{where} {cited}".strip()]
            lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
        lines.append("")
    lines += ["## References", ""]
    for passage in r.passages:
        page = f", {page_label(passage.page, passage.page_end)}" if passage.page else ""
        reference = passage.cite or passage.title
        lines.append(f"{passage.n}. {_md(reference)}{page.replace(chr(0xA0), ' ')}. <{absolute(passage.url)}>")
    return "\n".join(lines) + "\n"


def figures_csv(turn: Turn, absolute: Callable[[str], str]) -> str:
    """One row per figure: as written, its value and how it is qualified, what it counts, the
    sentence or table row it comes from, and the passage (number, document, page, link)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for figure in turn.response.figures:
        passage = turn.passages.get(figure.citation)
        writer.writerow(
            [*_values(figure), figure.citation]
            + ([_guarded(passage.title), passage.page or "", absolute(passage.url)] if passage else ["", "", ""])
            + [_guarded(figure.formula or ""), _guarded(operands_text(figure))]
        )
    return out.getvalue()


def _values(figure: FigureModel) -> list[object]:
    texts = [figure.text, figure.qualifier, figure.unit, figure.scale, figure.label, figure.row, figure.column]
    text, qualifier, unit, scale, label, row, column = (_guarded(t or "") for t in texts)
    sentence = _guarded(figure.sentence)
    return [
        text,
        _number(figure.value),
        _number(figure.value_high),
        qualifier,
        unit,
        scale,
        label,
        row,
        column,
        sentence,
    ]


def _number(value: float | None) -> object:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def _guarded(text: str) -> str:
    """A cell a spreadsheet would read as a formula (=, +, -, @ first, other than a plain number)
    is kept as text."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _marks(citations: list[int]) -> str:
    return "".join(f"[{n}]" for n in citations)


def _md(text: str) -> str:
    """Text from the documents, with the characters Markdown would read as markup escaped."""
    out = []
    for char in " ".join(text.split()):
        out.append("\\" + char if char in "\\`*_[]<>|#" else char)
    return "".join(out)
