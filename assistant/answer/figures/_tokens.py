"""A sentence as the labelling rules see it: its tokens, the figures already labelled in it, and
tests on single words (a number, a past form, a name, a year) and on brackets.

Shared by the forward reading (what a figure counts) and the backward reading (whose it is), so
that both walk the same tokens with the same notion of a word.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ._lexicon import (
    _CUT_BEFORE,
    _DETERMINERS,
    _IRREGULAR_PAST,
    _MONTH_WORDS,
    _NOT_PAST,
    _PREPS,
    _QUALIFIER_STARTS,
    _TRAILING,
    _WORD_VALUES,
)
from ._numbers import _Read

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\d[\d,.]*\d%?|\d%?|[\w’'`][\w’'`\-/&]*|[^\w\s]")

_QUOTES = set("“”\"‘’'`«»")

_PARTICLE = re.compile(r"(?:al|as|an|ad|ar|ash|at|az|el|bin|ibn|de|la)-", re.IGNORECASE)


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] in "’'`"


def _tokens(masked: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(masked) if m.group() not in _QUOTES]


def _is_number(tok: _Tok) -> bool:
    return tok.text[0].isdigit() or tok.low.split("-")[0] in _WORD_VALUES or tok.low in _QUALIFIER_STARTS


def _is_past(word: str) -> bool:
    if word[:1].isupper():
        return False  # "United"
    low = word.lower()
    return (low.endswith("ed") and len(low) > 4 and low not in _NOT_PAST) or low in _IRREGULAR_PAST


def _is_verbal(word: str) -> bool:
    return _is_past(word) or (word.lower().endswith("ing") and len(word) > 5)


def _is_year_token(tok: _Tok) -> bool:
    return tok.text in _MONTH_WORDS or (tok.text.isdigit() and len(tok.text) == 4)


def _is_name(word: str) -> bool:
    return word[0].isupper() or _PARTICLE.match(word) is not None


class _Sentence:
    """The tokens of one sentence and the figures already labelled in it."""

    def __init__(self, tokens: list[_Tok], lo: int, hi: int) -> None:
        self.tokens = tokens
        self.lo = lo  # index of the first token
        self.hi = hi  # one past the last token
        self.starts = [t.start for t in tokens[lo:hi]]
        self.done: list[_Read] = []

    def after(self, offset: int) -> int:
        """Index of the first token at or after `offset`."""
        return bisect_left(self.starts, offset) + self.lo

    def word(self, k: int) -> str:
        return self.tokens[k].low if self.lo <= k < self.hi else ""


def _is_trailing(word: str) -> bool:
    low = word.lower()
    return low in _PREPS | _DETERMINERS | _TRAILING or (low.endswith("ly") and len(low) > 6 and word.islower())


def _close_paren(s: _Sentence, k: int) -> int:
    depth = 0
    for j in range(k, s.hi):
        depth += {"(": 1, ")": -1}.get(s.tokens[j].text, 0)
        if depth == 0:
            return j
    return s.hi


def _open_paren(s: _Sentence, k: int) -> int:
    depth = 0
    for j in range(k, s.lo - 1, -1):
        depth += {")": 1, "(": -1}.get(s.tokens[j].text, 0)
        if depth == 0:
            return j
    return s.lo


def _cut(words: list[str], limit: int) -> list[str]:
    """At most `limit` words, cut before a participle or relative clause when one is near the end."""
    if len(words) <= limit:
        return words
    cut = next((i for i in range(limit, 2, -1) if _is_verbal(words[i]) or words[i].lower() in _CUT_BEFORE), limit)
    return words[:cut]


def _previous_noun(s: _Sentence, kind: str = "count") -> list[str]:
    for earlier in reversed(s.done):
        if earlier.noun and earlier.kind == kind:
            return list(earlier.noun)
    return []
