"""A metric's arithmetic: its value from the cited figures of its quantities, and its working as
an analyst checks it ("365 × (($ 30,196 + $ 35,490) / 2) / (140,089 + (2,349 − 2,111)) = 85.43").

Amounts are added in units (a table "in millions" and a sentence's "$4.2 billion" alike) and shown in
their tables' scale; a ratio is shown to two places, or as the question asks; a ratio asked in percent
is multiplied by 100 unless its definition does so itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.text.numbers import SCALES

from .derived import decimals
from .figures import Figure
from .formulas import Metric, Node, Quantity


@dataclass(frozen=True)
class Computed:
    """A metric computed: its value, its working with each operand as the source writes it, and
    the figures it was computed from (the cells of each quantity, in the order they appear)."""

    value: float
    text: str
    working: str
    operands: tuple[Figure, ...]
    amount: bool  # an amount (in the operands' currency and scale), not a ratio


def evaluate(metric: Metric, lookup: Callable[[Quantity, int], Figure | None]) -> Computed | None:
    """The metric computed from the figures `lookup` finds for each quantity and year (None when
    one is not found, a division is by zero, or amounts of different currencies are added)."""
    figures: list[Figure] = []

    def value_of(node: Node) -> tuple[float, str, bool] | None:
        """The value (in units, not thousands or millions), its working, and whether it is an amount."""
        if node.constant is not None:
            return node.constant, _plain(node.constant), False
        if node.quantity is not None:
            return _quantity(node.quantity, lookup, figures)
        left = value_of(node.left) if node.left else None
        right = value_of(node.right) if node.right else None
        if left is None or right is None:
            return None
        (a, shown_a, amount_a), (b, shown_b, amount_b) = left, right
        if node.op in ("+", "−"):
            value = a + b if node.op == "+" else a - b
            return value, f"{shown_a} {node.op} {_bracketed(shown_b, b, node.op)}", amount_a or amount_b
        if node.op == "×":
            return a * b, f"{_factor(shown_a, True)} × {_factor(shown_b, True)}", amount_a != amount_b
        if b == 0:
            return None
        return a / b, f"{_factor(shown_a)} / {_factor(shown_b, True)}", amount_a and not amount_b

    found = value_of(metric.tree)
    if found is None:
        return None
    value, working, amount = found
    scale = _common_scale(figures) if amount else None
    if amount and scale:
        value /= SCALES[scale]
    if metric.percent and not amount and not _times_hundred(metric.tree):
        value *= 100
    places = metric.places
    if places is None:  # an amount as its operands are printed, a ratio or a percentage to two places
        places = max((decimals(f.text) for f in figures if f.scale == scale), default=0) if amount else 2
    text = f"{value:,.{places}f}{'%' if metric.percent and not amount else ''}"
    return Computed(round(value, 6), text, f"{working} = {text}", tuple(figures), amount)


def scale_of(computed: Computed) -> str | None:
    """The scale an amount computed is shown in: its operands' common one."""
    return _common_scale(list(computed.operands)) if computed.amount else None


def _quantity(
    quantity: Quantity, lookup: Callable[[Quantity, int], Figure | None], figures: list[Figure]
) -> tuple[float, str, bool] | None:
    cells = [lookup(quantity, year) for year in quantity.years]
    if any(cell is None for cell in cells):
        return None
    found = [cell for cell in cells if cell is not None]
    figures.extend(found)
    values = [_units(cell) for cell in found]
    shown = [cell.text.strip() for cell in found]
    amount = any(cell.kind == "money" or cell.unit not in ("percent", None) for cell in found) or any(
        cell.scale for cell in found
    )
    if quantity.how == "average":
        return sum(values) / len(values), f"({' + '.join(shown)}) / {len(values)}", amount
    if quantity.how == "change":
        return values[-1] - values[0], f"({shown[-1]} − {_bracketed(shown[0], values[0], '−')})", amount
    return values[0], shown[0], amount


def _units(figure: Figure) -> float:
    return figure.value * SCALES.get(figure.scale or "", 1.0)


def _common_scale(figures: list[Figure]) -> str | None:
    scales = [f.scale for f in figures if f.scale]
    return max(set(scales), key=scales.count) if scales else None


def _times_hundred(node: Node) -> bool:
    """Whether a definition multiplies by 100 itself (it is a percentage already)."""
    if node.constant is not None:
        return node.constant == 100
    return node.op == "×" and any(_times_hundred(n) for n in (node.left, node.right) if n is not None)


def _plain(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _bracketed(shown: str, value: float, op: str) -> str:
    """A term subtracted, in brackets when it is a sum or negative, so the working reads right."""
    if op == "−" and (value < 0 or " + " in shown or " − " in shown) and not shown.startswith("("):
        return f"({shown})"
    return shown


def _factor(shown: str, strict: bool = False) -> str:
    """A term multiplied or divided, in brackets when it is a sum or a difference, or (`strict`:
    multiplied, or divided by) a product or a quotient itself: "365 × ((a + b) / 2)"."""
    depth, top = 0, ""
    for char in shown:
        depth += {"(": 1, ")": -1}.get(char, 0)
        top += char if depth == 0 else " "
    operators = (" + ", " − ", " × ", " / ") if strict else (" + ", " − ")
    return f"({shown})" if any(op in top for op in operators) else shown
