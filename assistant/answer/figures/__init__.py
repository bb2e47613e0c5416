"""Figures: the numbers a passage states, each with its value, qualifier, unit and what it counts.

Numeric questions ("how many stores opened in 2019?") are answered with a figure taken from the
text, never computed, so every numeric expression of quantity in a prose passage or a table row is
read here: digits, number words ("nine", "a dozen", "a million"), ranges, percentages, money,
distances, durations, multipliers and fractions. Numbers that are not quantities are left out:
years, dates, note markers ("[19]"), page, article, table and list numbers, citation volumes.
Unit and road numbers ("Route 66", "Highway 20", "unit 4") are kept as identifiers, because an analyst
may ask for them. Each figure carries a label in the source's own words (what is counted, and
whose) so that answering can rank figures against a question without a model.

Kinds: count, percent, money (unit "USD", "EUR", "GBP", ...), distance ("km", "mile", "mm"),
measure ("kg", "ton"), multiplier ("times"), duration ("years", "hours", ...), fraction ("two-thirds"
is 0.667, "one in five" 0.2) and identifier.

The reading is rule-based and fast enough to run on every retrieved passage: a scan for number
atoms, then context rules on the words of the figure's sentence for its label ("63,000 registered
members of the cooperative", "IBM employees assigned to Europe"). Table cells are read by their
row and column, so a label is "row label — column name" ("Total sales — 2019").
"""

from ._cells import row_figures
from ._figure import KINDS, QUALIFIERS, Figure
from ._lexicon import unit_kind
from ._prose import extract_figures

__all__ = ["KINDS", "QUALIFIERS", "Figure", "extract_figures", "row_figures", "unit_kind"]
