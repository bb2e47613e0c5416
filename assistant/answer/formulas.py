"""Metrics a question defines: "DPO is defined as: 365 * (average accounts payable between FY2016
and FY2017) / (FY2017 COGS + change in inventory between FY2016 and FY2017)".

An analyst's question often says how its metric is computed; the documents print the line items,
not the metric. The definition is read as arithmetic (`+ - * /`, "divided by", "plus", "minus",
"times", brackets, constants such as 365) over named quantities, each of which is one line item
of one year ("FY2017 COGS"), its average over years ("average accounts payable between FY2016 and
FY2017") or its change ("change in inventory between FY2016 and FY2017"). A quantity without a
year is of the year the question asks about. A name another definition of the same question
defines ("CCC is defined as: DIO + DSO - DPO. DIO is defined as ...") stands for that definition.

The numbers are looked up by the caller (`evaluate` takes a function from an item and a year to
a cited figure), so the metric is computed from cited cells only and shown with its work. Nothing
is guessed: a quantity no figure is found for leaves the metric uncomputed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.text.numbers import SCALES
from assistant.text.periods import years_in
from assistant.text.sentences import sentence_spans

from .figures import Figure
from .operations import asks_in_percent

# "X is defined as: ...", "X is calculated as ...", "Define X as ...", "X = ..."
_DEFINED = re.compile(
    r"^(?P<name>.+?)\s+(?:is|are)\s+(?:defined|calculated|computed|measured)\s+as\s*:?\s*(?P<expr>.+)$", re.I | re.S
)
_DEFINE = re.compile(r"^define\s+(?P<name>.+?)\s+as\s*:?\s*(?P<expr>.+)$", re.I | re.S)
_EQUALS = re.compile(r"^(?P<name>[^=]+?)\s*=\s*(?P<expr>[^=]+)$", re.S)
_TOKEN = re.compile(
    r"\s*(?:(?P<hint>\[[^\]]*\])|(?P<open>\()|(?P<close>\))|(?P<op>[-+*/×÷−–](?=\s|\(|$)|(?<=\s)[-−–]|[+*/×÷])"
    r"|(?P<word_op>divided\s+by|multiplied\s+by|times|plus|minus|over)\b"
    r"|(?P<number>\d+(?:\.\d+)?)(?![\w.,])|(?P<word>[^\s()\[+*/×÷]+))",
    re.I,
)
_OPS = {"+": "+", "-": "−", "−": "−", "–": "−", "*": "×", "×": "×", "/": "/", "÷": "/"}
_WORD_OPS = {"divided by": "/", "multiplied by": "×", "times": "×", "plus": "+", "minus": "−", "over": "/"}
_AVERAGE = re.compile(r"\b(?:the\s+)?(?:average|mean)\s+(?:of\s+)?", re.I)
_CHANGE = re.compile(r"\b(?:the\s+)?(?:change|increase|decrease)\s+(?:in|of)\s+", re.I)
_YEAR = r"(?:(?:FY|fiscal(?:\s+year)?)\s?)?(?:(?:19|20)\d\d|(?<=FY)\d\d|(?<=FY )\d\d)"
# the period words of a quantity: "between FY2016 and FY2017", "in FY2017", "year-end"
_PERIOD_WORDS = re.compile(
    rf"\b(?:(?:between|from)\s+{_YEAR}\s+(?:and|to|through|until)\s+{_YEAR}"
    rf"|(?:(?:in|for|at|of|as of)\s+)?(?:the\s+)?{_YEAR}|(?:the\s+)?year[- ]end)\b",
    re.I,
)
_LEADING = re.compile(r"^(?:(?:the|of|in|for|at)\s+)+", re.I)
_PLACES = {"one": 1, "two": 2, "three": 3, "four": 4, "zero": 0, "no": 0}
_ROUND = re.compile(r"\b(?:round(?:ed)?|to)\b[^.?]*?\b(\d|one|two|three|four|zero|no)\s+decimal", re.I)


@dataclass(frozen=True)
class Quantity:
    """A named quantity of a definition: a line item of a year, its average or its change over years."""

    item: str  # the line item as the question names it: "accounts payable", "COGS"
    years: tuple[int, ...]  # one year, or the years an average or a change runs over (oldest first)
    how: str = "value"  # "value", "average" or "change"
    hint: str = ""  # where the question says to read it: "from cash flow statement"


@dataclass(frozen=True)
class Node:
    """A definition as a tree: a constant, a quantity, or an operation on two nodes."""

    op: str | None = None  # "+", "−", "×", "/" for an operation
    left: Node | None = None
    right: Node | None = None
    quantity: Quantity | None = None
    constant: float | None = None

    def quantities(self) -> list[Quantity]:
        if self.quantity is not None:
            return [self.quantity]
        return [*(self.left.quantities() if self.left else []), *(self.right.quantities() if self.right else [])]


@dataclass(frozen=True)
class Metric:
    """The metric a question defines, the tree that computes it and how its result is shown."""

    name: str
    tree: Node
    places: int | None  # decimal places asked for (None when not said)
    percent: bool  # the question asks for it in percent


@dataclass(frozen=True)
class Computed:
    """A metric computed: its value, its working with each operand as the source writes it, and
    the figures it was computed from (the cells of each quantity, in the order they appear)."""

    value: float
    text: str
    working: str
    operands: tuple[Figure, ...]
    amount: bool  # an amount (in the operands' currency and scale), not a ratio


@lru_cache(maxsize=256)
def defined_metric(question: str) -> Metric | None:
    """The metric a question defines and asks for, or None when it defines none (or a definition
    does not read as arithmetic over named quantities)."""
    definitions: dict[str, str] = {}
    shown: dict[str, str] = {}
    asked_text = []
    for start, end in sentence_spans(question):
        sentence = question[start:end].strip().rstrip(".")
        match = _DEFINED.match(sentence) or _DEFINE.match(sentence) or _EQUALS.match(sentence)
        if match is None:
            asked_text.append(sentence)
            continue
        definitions[_name(match["name"])] = match["expr"]
        shown[_name(match["name"])] = " ".join(match["name"].split())
    if not definitions:
        return None
    asked = " ".join(asked_text)
    years = sorted(years_in(asked))
    year = years[-1] if years else None
    used = {n for expr in definitions.values() for n in definitions if n != _name(expr) and _mentions(expr, n)}
    top = [n for n in definitions if n not in used]
    name = next((n for n in top if _mentions(asked, n)), None)
    if name is None or _combined(asked, name):  # a definition of what is not asked; or the metric with more
        return None  # ("EBITDA less capex")
    tree = _parse(definitions[name], definitions, year, depth=0)
    if tree is None or not tree.quantities():
        return None
    found = _ROUND.search(question)
    places = None if found is None else int(_PLACES.get(found[1].lower(), found[1]))
    percent = asks_in_percent(question) or bool(re.search(r"%|\bpercent(?:age)?\b", asked, re.I))
    return Metric(shown[name], tree, places, percent)


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
        places = max((_decimals(f.text) for f in figures if f.scale == scale), default=0) if amount else 2
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


def _decimals(text: str) -> int:
    found = re.search(r"\.(\d+)", text)
    return len(found.group(1)) if found else 0


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


def _name(text: str) -> str:
    return " ".join(re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I).lower().split())


def _names_of(name: str) -> list[str]:
    """A defined name and its abbreviation in brackets: "days payable outstanding (dpo)"."""
    inner = re.findall(r"\(([^)]+)\)", name)
    outer = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return [n for n in (name, outer, *inner) if n]


def _mentions(text: str, name: str) -> bool:
    low = text.lower()
    return any(re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", low) for n in _names_of(name))


def _combined(asked: str, name: str) -> bool:
    """Whether the question asks for the metric with something added, taken away or divided by."""
    names = "|".join(re.escape(n) for n in _names_of(name))
    arithmetic = r"(?:less|minus|plus|net of|divided by|over|per|to|as a (?:%|percent(?:age)?) of|[-+/−])"
    return bool(
        re.search(rf"(?<!\w)(?:{names})(?!\w)\s+{arithmetic}\s|\s{arithmetic}\s+(?:{names})(?!\w)", asked, re.I)
    )


def _defined(phrase: str, definitions: dict[str, str]) -> str | None:
    """The definition a phrase is the name of ("DPO" of "days payable outstanding (DPO)")."""
    wanted = _name(phrase)
    return next((d for d in definitions if wanted in _names_of(d)), None)


def _parse(expr: str, definitions: dict[str, str], year: int | None, depth: int) -> Node | None:
    """The tree of an arithmetic definition, by precedence (`×` and `/` before `+` and `−`)."""
    tokens = _tokens(expr)
    if tokens is None:
        return None
    position = 0

    def peek() -> tuple[str, str] | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def expression() -> Node | None:
        node = term()
        while node is not None and (nxt := peek()) is not None and nxt[0] == "op" and nxt[1] in "+−":
            op = take()[1]
            right = term()
            node = Node(op, node, right) if right is not None else None
        return node

    def term() -> Node | None:
        node = factor()
        while node is not None and (nxt := peek()) is not None and nxt[0] == "op" and nxt[1] in "×/":
            op = take()[1]
            right = factor()
            node = Node(op, node, right) if right is not None else None
        return node

    def factor() -> Node | None:
        token = take() if peek() is not None else None
        if token is None:
            return None
        kind, text = token
        if kind == "open":
            node = expression()
            return node if node is not None and peek() == ("close", ")") and take() else None
        if kind == "number":
            return Node(constant=float(text))
        if kind == "phrase":
            defined = _defined(text, definitions)
            if defined is not None and depth < 4:
                return _parse(definitions[defined], definitions, year, depth + 1)
            after = peek()
            hint = take()[1] if after is not None and after[0] == "hint" else ""  # "[from cash flow statement]"
            quantity = _quantity_of(text, year, hint)
            return Node(quantity=quantity) if quantity is not None else None
        return None

    tree = expression()
    return tree if tree is not None and position == len(tokens) else None


def _tokens(expr: str) -> list[tuple[str, str]] | None:
    """Brackets, operators, constants and the phrases between them ("average accounts payable
    between FY2016 and FY2017" is one phrase)."""
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(expr):
        if match["hint"]:
            out.append(("hint", match["hint"][1:-1].strip()))
        elif match["open"]:
            out.append(("open", "("))
        elif match["close"]:
            out.append(("close", ")"))
        elif match["op"]:
            out.append(("op", _OPS[match["op"]]))
        elif match["word_op"]:
            out.append(("op", _WORD_OPS[" ".join(match["word_op"].lower().split())]))
        elif match["number"] and not years_in(match["number"]):
            out.append(("number", match["number"]))
        else:
            word = match["word"] or match["number"]
            if out and out[-1][0] == "phrase":
                out[-1] = ("phrase", f"{out[-1][1]} {word}")
            else:
                out.append(("phrase", word))
    return out or None


def _quantity_of(phrase: str, year: int | None, hint: str) -> Quantity | None:
    """A named quantity: its line item, its years and whether it is an average or a change."""
    how = "average" if _AVERAGE.search(phrase) else "change" if _CHANGE.search(phrase) else "value"
    years = tuple(sorted(years_in(phrase)))
    item = _PERIOD_WORDS.sub(" ", _CHANGE.sub(" ", _AVERAGE.sub(" ", phrase)))
    item = _LEADING.sub("", " ".join(item.strip(" ,;:").split()))
    if not item:
        return None
    if not years:
        if year is None:
            return None
        years = (year - 1, year) if how != "value" else (year,)
    elif how != "value" and len(years) == 1:
        years = (years[0] - 1, years[0])
    elif how == "value":
        years = years[-1:]
    return Quantity(item, years, how, hint)
