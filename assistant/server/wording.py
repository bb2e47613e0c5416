"""How a page and an export put a figure and a page into words: "more than 800", "p. 13"."""

from __future__ import annotations

import re

from .schemas import FigureModel

_QUALIFIERS = {
    "exact": "exact figure",
    "approx": "about",
    "more_than": "more than",
    "less_than": "less than",
    "at_least": "at least",
    "at_most": "at most",
    "range": "between",
    "derived": "computed",
}
_UNITS = {"percent": "%"}


def qualifier_words(figure: FigureModel) -> str:
    """ "more than 800", "about 30,000", "between 5 and 10 percent": how the source qualifies a figure."""
    unit = _UNITS.get(figure.unit or "", f" {figure.unit}" if figure.unit else "")
    words = _QUALIFIERS.get(figure.qualifier, figure.qualifier.replace("_", " "))
    if figure.qualifier == "exact":
        return words
    if figure.qualifier == "derived":  # its work, less the result its text already shows
        return f"{words}: {figure.formula.rpartition(' = ')[0]}" if figure.formula else words
    if figure.qualifier == "range" and figure.value_high is not None:
        return f"{words} {_number(figure.value)} and {_number(figure.value_high)}{unit}"
    return f"{words} {_number(figure.value)}{unit}"


def qualification(figure: FigureModel) -> str:
    """How the source qualifies a figure, when its text does not already say it (">800": "more
    than 800"; "about 6,000" says it)."""
    if figure.qualifier == "derived":
        return qualifier_words(figure)
    if figure.qualifier == "exact" or re.search(r"[^\W\d_]", figure.text):
        return ""
    return qualifier_words(figure)


def citations_of(figure: FigureModel) -> list[int]:
    """The passages a figure cites: its own, and for a derived figure each operand's."""
    return list(dict.fromkeys([figure.citation, *(o.citation for o in figure.derived_from)]))


def operands_text(figure: FigureModel) -> str:
    """A derived figure's operands as written, each with its citation: "$82 [1]; $100 [1]"."""
    return "; ".join(f"{o.text} [{o.citation}]" for o in figure.derived_from)


def _number(value: float) -> str:
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def page_label(first: int | None, last: int | None = None) -> str:
    if first is None:
        return ""
    return f"pp.\u00a0{first}–{last}" if last and last != first else f"p.\u00a0{first}"
