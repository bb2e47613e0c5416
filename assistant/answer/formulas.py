"""Metrics a question defines: "DPO is defined as: 365 * (average accounts payable between FY2016
and FY2017) / (FY2017 COGS + change in inventory between FY2016 and FY2017)".

An analyst's question often says how its metric is computed; the documents print the line items,
not the metric. The definition is read as arithmetic (`+ - * /`, "divided by", "plus", "minus",
"times", brackets, constants such as 365) over named quantities, each of which is one line item
of one year ("FY2017 COGS"), its average over years ("average accounts payable between FY2016 and
FY2017") or its change ("change in inventory between FY2016 and FY2017"). A quantity without a
year is of the year the question asks about. A name another definition of the same question
defines ("CCC is defined as: DIO + DSO - DPO. DIO is defined as ...") stands for that definition.

A question that defines nothing may name a standard metric ("Apple's FY2015 current ratio", "the
COGS % margin"), read by the definitions of `data/metrics.toml` (`known_metric`).

The numbers are looked up by `metric.py` and computed by `arithmetic.py`, from cited cells only and
shown with their working. Nothing is guessed: a quantity no figure is found for leaves the metric
uncomputed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from assistant.text.periods import years_in
from assistant.text.sentences import sentence_spans
from assistant.text.vocabulary import data

from .operations import asked_operation, asks_in_percent

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
_MARGIN = re.compile(r"\s(?:%|percent(?:age)?)\s+margin\b", re.I)  # "the COGS % margin"
_BEFORE_ITEM = {
    "the",
    "is",
    "was",
    "what",
    "of",
    "for",
    "a",
    "an",
    "in",
    "its",
    "their",
    "average",
    "mean",
    "year",
    "annual",
}
_ITEM_WORDS = 5
_OVER_YEARS = ("average", "change", "percent_change", "difference")
_OVER_WORDS = {
    "average": "average",
    "change": "change in",
    "percent_change": "percentage change in",
    "difference": "change in",
}
_YEAR_RANGE = re.compile(r"\b(?:FY\s?)?((?:19|20)\d\d)\s*(?:-|–|to|through)\s*(?:FY\s?)?((?:19|20)\d\d)\b", re.I)
_LONGEST_RANGE = 10
_SHARE = re.compile(r"\s+as\s+an?\s+(?:%|percent(?:age)?)\s+of\s+", re.I)  # "capex as a % of revenue"
_WHOLE_END = re.compile(r"\s+(?:for|in|of|at|from|between|during|over)\s+|[?,.;]")
_MOST_TOKENS = 200  # terms and operators of one definition
_DEEPEST = 20  # brackets within brackets
PERCENT_WORDS = re.compile(r"%|\bpercent(?:age)?\b", re.I)  # a question asking in percent
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
    implied: bool = False  # named, not defined: a standard metric (a filing may print it)
    base: str = ""  # the metric's own name, without the average or change asked of it over years
    over: tuple[int, ...] = ()  # the years its average or change is asked over


@dataclass(frozen=True)
class Definition:
    """A sentence of a question that defines a name: "DPO is defined as: 365 * ...", "Define X as
    ...", "X = ...". `name` as written; `sentence` and `span` say where the sentence and its
    expression stand in the question."""

    name: str
    expression: str
    sentence: tuple[int, int]
    span: tuple[int, int]


def definitions_in(question: str) -> list[Definition]:
    """The sentences of `question` that define a name, in order."""
    out: list[Definition] = []
    for start, end in sentence_spans(question):
        sentence = question[start:end]
        lead = len(sentence) - len(sentence.lstrip())
        stripped = sentence.strip().rstrip(".")
        match = _DEFINED.match(stripped) or _DEFINE.match(stripped) or _EQUALS.match(stripped)
        if match is not None:
            name = " ".join(match["name"].split())
            at = start + lead
            span = (at + match.start("expr"), at + match.end("expr"))
            out.append(Definition(name, match["expr"], (start, end), span))
    return out


@lru_cache(maxsize=256)
def defined_metric(question: str) -> Metric | None:
    """The metric a question defines and asks for, or, where it defines none, a standard one it
    names (`known_metric`); None when it asks for none (or a definition does not read as arithmetic
    over named quantities)."""
    found = definitions_in(question)
    definitions = {_name(d.name): d.expression for d in found}
    shown = {_name(d.name): d.name for d in found}
    defining = {d.sentence for d in found}
    spans = [span for span in sentence_spans(question) if span not in defining]
    asked = " ".join(question[start:end].strip().rstrip(".") for start, end in spans)
    if not definitions:
        return known_metric(question, asked)
    used = {n for expr in definitions.values() for n in definitions if n != _name(expr) and _mentions(expr, n)}
    top = [n for n in definitions if n not in used]
    name = next((n for n in top if _mentions(asked, n)), None)
    if name is None:
        return None  # a definition of what is not asked
    years = sorted(years_in(asked))
    if _combined(asked, name):  # "What is Amcor's FY2020 unadjusted EBITDA less capex?"
        phrase = _asked_phrase(asked, name)
        if phrase is None:
            return None
        return _metric(question, asked, phrase.replace(" - ", " less "), phrase, False, years, None, definitions)
    return _metric(question, asked, shown[name], definitions[name], False, years, None, definitions)


def known_metric(question: str, asked: str) -> Metric | None:
    """A standard metric the question names without defining it ("Apple's FY2015 current ratio"),
    by the definitions of `data/metrics.toml`, or an item's margin ("the FY2021 COGS % margin":
    the item over revenue, in percent); over years, their average or change ("the FY2015 - FY2017
    3 year average of capex as a % of revenue", "the FY2019 - FY2020 change in EBITDA % margin")."""
    operation = asked_operation(asked)
    years = _years_over(asked)
    over = operation.name if operation is not None and operation.name in _OVER_YEARS and len(years) >= 2 else None
    if operation is not None and operation.name != "ratio" and over is None:
        return None  # "the change in working capital" with one year: not the metric's value
    shares = _SHARE.search(asked)
    if over is not None and shares is not None:  # "the 3 year average of capex as a % of revenue"
        part, whole = _margin_item(asked[: shares.start()]), _whole_of(asked[shares.end() :])
        if part and whole:
            return _metric(question, asked, f"{part} as a % of {whole}", f"{part} / {whole}", True, years, over)
    known = _known()
    low = asked.lower()
    names = [n for n in known if _mentions(low, n)]
    name = max(names, key=len, default=None)
    if name is not None and not _whole(low, name):
        name = None  # "underlying EBITDA", "adjusted operating margin": a measure of the filer's own
    margin = _MARGIN.search(asked)
    if margin is not None:
        item = _margin_item(asked[: margin.start()])
        if item and (name is None or name in item.lower()):
            return _metric(question, asked, f"{item} % margin", f"{item} / revenue", True, years, over)
    if name is None or _combined(asked, name):
        return None
    definition, percent = known[name]
    return _metric(question, asked, name, definition, percent, years, over)


def _metric(
    question: str,
    asked: str,
    name: str,
    definition: str,
    percent: bool,
    years: list[int],
    over: str | None,
    definitions: dict[str, str] | None = None,
) -> Metric | None:
    """A metric of the last year asked, or, `over` the years asked, their average or change; by the
    question's own `definitions`, else by the standard ones (then implied)."""
    implied = definitions is None
    known = _definitions() if definitions is None else definitions
    base = name
    if over is not None:
        trees = [_parse(definition, known, year, depth=0) for year in years]
        parsed = [t for t in trees if t is not None]
        tree = _combine(over, parsed) if len(parsed) == len(trees) else None
        name = f"{_OVER_WORDS[over]} {name}, {years[0]} to {years[-1]}"
    else:
        tree = _parse(definition, known, years[-1] if years else None, depth=0)
    if tree is None or not tree.quantities():
        return None
    found = _ROUND.search(question)
    places = None if found is None else int(_PLACES.get(found[1].lower(), found[1]))
    percent = percent or asks_in_percent(question) or bool(PERCENT_WORDS.search(asked))
    return Metric(name, tree, places, percent, implied, base, tuple(years) if over is not None else ())


def _combine(operation: str, trees: list[Node]) -> Node:
    """The metric's trees of each year, averaged or changed (from the first year to the last)."""
    if operation == "average":
        total = trees[0]
        for tree in trees[1:]:
            total = Node("+", total, tree)
        return Node("/", total, Node(constant=float(len(trees))))
    change = Node("−", trees[-1], trees[0])
    return Node("/", change, trees[0]) if operation == "percent_change" else change


def _years_over(asked: str) -> list[int]:
    """The years a question asks over, a range's inside too ("FY2015 - FY2017": 2015, 2016, 2017)."""
    found = _YEAR_RANGE.search(asked)
    if found is not None:
        first, last = sorted((int(found[1]), int(found[2])))
        if last - first < _LONGEST_RANGE:
            return list(range(first, last + 1))
    return sorted(years_in(asked))


def _whole_of(after: str) -> str:
    """What a share is of: the words after "as a % of", up to a preposition or the question's end
    ("revenue for Adobe?" -> "revenue")."""
    return " ".join(_WHOLE_END.split(after.strip(), maxsplit=1)[0].split()[:_ITEM_WORDS])


@cache
def _known() -> dict[str, tuple[str, bool]]:
    """Each name of a standard metric, with its definition and whether it is a percentage."""
    table = data("metrics")["metrics"]
    return {
        name: (entry["definition"], bool(entry.get("percent", False)))
        for entry in table.values()
        for name in entry["names"]
    }


def _definitions() -> dict[str, str]:
    return {name: definition for name, (definition, _) in _known().items()}


def _whole(asked: str, name: str) -> bool:
    """Whether a metric's name is a whole noun phrase of the question: what stands before it is a
    year, a possessive or a question word ("Apple's FY2015 current ratio"), not a word of its own
    ("underlying EBITDA")."""
    found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", asked)
    if found is None:
        return False
    before = asked[: found.start()].split()
    return not before or _margin_item(before[-1]) == ""


def _margin_item(before: str) -> str:
    """The item a margin is of: the words right before "% margin", back to a year, a possessive or
    a question word ("What is Coca Cola's FY2021 COGS" -> "COGS")."""
    kept: list[str] = []
    for word in reversed(before.split()):
        if years_in(word) or re.search(r"['’]s?$", word) or word.lower() in _BEFORE_ITEM or len(kept) == _ITEM_WORDS:
            break
        kept.append(word)
    return " ".join(reversed(kept))


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


def _asked_phrase(asked: str, name: str) -> str | None:
    """What the question asks of a metric it defines, as arithmetic: from the metric's name to
    the end of what is asked, "less" and "minus" taking away, "plus" adding ("unadjusted EBITDA
    less capex"); None when it says more than one plain operation."""
    names = "|".join(re.escape(n) for n in _names_of(name))
    found = re.search(rf"(?<!\w)(?:{names})(?!\w)", asked, re.I)
    if found is None:
        return None
    phrase = _WHOLE_END.split(asked[found.start() :], maxsplit=1)[0].split("(")[0]
    phrase = re.sub(r"\b(?:less|minus)\b", "-", re.sub(r"\bplus\b", "+", phrase, flags=re.I), flags=re.I)
    return " ".join(phrase.split()) if re.fullmatch(r"[^-+]+\s[-+]\s[^-+]+", phrase.strip()) else None


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

    def chain(operand: Callable[[], Node | None], ops: str) -> Node | None:
        """Operands joined left to right by operators of one precedence."""
        node = operand()
        while node is not None and (nxt := peek()) is not None and nxt[0] == "op" and nxt[1] in ops:
            op = take()[1]
            right = operand()
            node = Node(op, node, right) if right is not None else None
        return node

    def expression() -> Node | None:
        return chain(term, "+−")

    def term() -> Node | None:
        return chain(factor, "×/")

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
    depth = deepest = 0
    for kind, _ in out:
        depth += {"open": 1, "close": -1}.get(kind, 0)
        deepest = max(deepest, depth)
    if len(out) > _MOST_TOKENS or deepest > _DEEPEST:
        return None  # no analyst's definition: read, it would nest past what recursion allows
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
