"""What a question asks to compute: the operation (a change, a percentage change, a difference,
an average, a sum, a share or a ratio), read from its own words (`operations.toml`), the parts it
names for the operands ("A as a percentage of B", "the difference between A and B"), and the
years it names, in order, a range with the years inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from assistant.text.function_words import SNOWBALL_STOPWORDS
from assistant.text.periods import years_in
from assistant.text.vocabulary import data
from assistant.text.words import words

OPERATIONS = ("percent_change", "average", "share", "ratio", "difference", "change", "sum")


@dataclass(frozen=True)
class Operation:
    """What a question asks to compute, and the parts it names for the operands (empty when the
    operands are one quantity over periods)."""

    name: str  # one of OPERATIONS
    parts: tuple[str, ...] = ()


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    table = data("operations")["operations"]
    return {name: re.compile(table[name], re.IGNORECASE) for name in OPERATIONS}


@cache
def _in_percent() -> re.Pattern[str]:
    return re.compile(data("operations")["results"]["in_percent"], re.IGNORECASE)


def asks_in_percent(question: str) -> bool:
    """Whether a question asks for its result in percent ("in units of percents"): a change asked
    so is a percentage change."""
    return bool(_in_percent().search(question))


# How a question names the operands of each operation, when it names them apart.
_SHARE = r"(?:percent(?:age)?|proportion|share|fraction|%)(?:\s+(?:constitution|contribution))?"
_SHARE_PARTS = (
    re.compile(rf"(?P<a>.+?)\s+as an? {_SHARE} of\s+(?P<b>.+)", re.I),
    re.compile(
        rf"{_SHARE} of\s+(?P<a>.+?)\s+(?:in|to|of|over|within|from|among)\s+"
        r"(?P<b>(?:the\s+)?total\b.+|(?:the\s+)?overall\b.+)",
        re.I,
    ),
    re.compile(rf"{_SHARE} of\s+(?P<a>.+?)\s+(?:in|to|of|over|within|among|(?:comes?|came) from)\s+(?P<b>.+)", re.I),
)
_RATIO_PARTS = (
    re.compile(r"ratio of\s+(?P<a>.+?)\s+(?:to|over|against|and)\s+(?P<b>.+)", re.I),
    re.compile(r"ratio between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)", re.I),
    re.compile(r"(?P<a>[\w-]+?)[\s-]to[\s-](?P<b>[\w-]+?)\s+ratio", re.I),  # "the debt-to-asset ratio"
)
_PAIR_PARTS = (
    re.compile(r"\bbetween\s+(?:the\s+)?(?P<a>.+?)\s+and\s+(?P<b>.+)", re.I),
    re.compile(r"\b(?:total|sum) of\s+(?P<a>.+?)\s+and\s+(?P<b>.+)", re.I),
    re.compile(r"(?P<a>\S.+?)\s+and\s+(?P<b>.+?)\s+(?:combined|together|altogether)\b", re.I),
    re.compile(r"\b(?P<a>\S.+?)\s+(?:minus|less)\s+(?P<b>.+)", re.I),
)
_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|to|through|until)\s*((?:19|20)\d\d)\b")


@lru_cache(maxsize=1024)  # asked by the derivation and the answerability check of one question
def asked_operation(question: str) -> Operation | None:
    """The computation a question asks for, if any: the operation whose wording comes first in it
    ("the change in average price" is a change), the more specific at one place ("percentage
    change" before "change"), with the parts it names."""
    found = [(cue.search(question), n, name) for n, (name, cue) in enumerate(_cues().items())]
    first = min(((match.start(), n, name) for match, n, name in found if match is not None), default=None)
    if first is None:
        return None
    name = first[2]
    if name == "change" and asks_in_percent(question):
        name = "percent_change"
    patterns = {"share": _SHARE_PARTS, "ratio": _RATIO_PARTS}.get(name, _PAIR_PARTS)
    for pattern in patterns:
        match = pattern.search(question)
        if match is None:
            continue
        named = tuple(_named(match[p]) for p in ("a", "b"))
        if all(named):
            if name == "share" and _whole(named[0]) and not _whole(named[1]):
                named = named[::-1]  # "what share of total sales is A": the total is the whole
            return Operation(name, named)
    return Operation(name)


def _whole(part: str) -> bool:
    return bool(re.match(r"(?:total|overall|all)\b", part))


def _named(part: str) -> str:
    """A named operand without its question words and periods: "the 2019 revenue?" -> "revenue"."""
    return " ".join(_content(part))


def _content(text: str) -> list[str]:
    """The words that name a quantity ("total" too: it tells the whole from its parts)."""
    return [w for w in words(text) if w not in SNOWBALL_STOPWORDS and not years_in(w) and not w.isdigit()]


def asked_years(question: str) -> list[int]:
    """The years a question names, in the order it names them; a range ("2017-2019") names the
    years inside it."""
    found: list[int] = []
    for word in re.finditer(r"\S+", _RANGE.sub(_spelled_out, question)):
        found += sorted(years_in(word.group()))
    return list(dict.fromkeys(found))


def _spelled_out(match: re.Match[str]) -> str:
    first, last = sorted((int(match[1]), int(match[2])))
    return " ".join(str(year) for year in range(first, last + 1)) if last - first < 20 else match.group()
