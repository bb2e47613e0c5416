"""The record every reader returns: a Figure, with the qualifiers and kinds it may carry.

Prose and table rows are read differently, but both give this one frozen shape, so that answering
can rank figures without knowing where they were read.
"""

from __future__ import annotations

from dataclasses import dataclass

QUALIFIERS = ("exact", "approx", "more_than", "less_than", "at_least", "at_most", "range", "derived")
KINDS = (
    "count", "percent", "money", "distance", "measure", "multiplier", "duration", "fraction", "identifier", "period"
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """A number as the source writes it, what it is worth, and what it counts."""

    text: str  # exactly as written: ">800", "18,000-22,000", "about 30%", "nine", "822km (510 mile)"
    value: float  # for a range, the lower bound
    value_high: float | None  # the upper bound of a range, else None
    qualifier: str  # one of QUALIFIERS
    unit: str | None  # "percent", "km", "USD", "years", "times", ...; None for plain counts
    kind: str  # one of KINDS
    label: str  # what is counted, in words from the source
    sentence: str  # the sentence (prose), or the header and the row (tables) the figure comes from
    start: int  # offsets of `text` in the prose passage or the row
    end: int
    in_table: bool = False  # read from a table row against its header, not from prose
    row: str | None = None  # for a table cell: what its row is about ("Deferred tax assets: Other")
    column: str | None = None  # for a table cell: its column's header ("2019")
    scale: str | None = None  # what the table says its numbers count in: "thousand", "million", ...
