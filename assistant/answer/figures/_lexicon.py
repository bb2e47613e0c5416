"""The vocabulary of figure reading, from the data of `assistant.text`: number words and scales,
months, qualifier words, currencies and units, and the word classes (auxiliaries, relatives,
prepositions, determiners, ...) that the labelling rules and the table reader test words against.

Gathered in one module so that the number scanner, the labelling rules and the table reader agree
on what a word is; the lists themselves are data (`assistant/text/data/figure_words.toml`,
`verbs.toml`), and months and currencies come from the calendar and CLDR.
"""

from __future__ import annotations

from typing import Any

from assistant.text.vocabulary import (
    currency_pattern,
    currency_signs,
    currency_symbols,
    currency_words,
    data,
    month_names,
    word_set,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _classes(name: str) -> frozenset[str]:
    return word_set("figure_words", f"classes.{name}")


def _verbs(name: str) -> frozenset[str]:
    return word_set("verbs", name)


_NUMBERS: dict[str, Any] = data("figure_words")["numbers"]
_ONES: list[str] = _NUMBERS["ones"].split()
_TEENS: list[str] = _NUMBERS["teens"].split()
_TENS: list[str] = _NUMBERS["tens"].split()
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_ONES)} | {w: i + 10 for i, w in enumerate(_TEENS)}
_WORD_VALUES |= {w: (i + 2) * 10 for i, w in enumerate(_TENS)}
_SCALES: dict[str, int] = dict(_NUMBERS["scales"])
_DENOMINATORS: dict[str, int] = dict(_NUMBERS["denominators"])

_MONTHS = "|".join(month_names())
_MONTH_WORDS = set(month_names())

_QUALIFIER_GROUPS: dict[str, str] = data("figure_words")["qualifiers"]
_QUALIFIER_WORDS = {word: q for q, words in _QUALIFIER_GROUPS.items() for word in words.split("|")}
_CURRENCIES = currency_symbols()
_CURRENCY = currency_pattern()  # any currency sign, as a regular expression
_SIGNS = currency_signs()  # the one-character signs, for a character class
_UNITS: dict[str, tuple[str, str]] = {
    name: (group["unit"], group["kind"]) for group in data("figure_words")["units"] for name in group["names"].split()
}
_UNITS |= {word: (unit, "money") for word, unit in currency_words().items()}


def unit_named(word: str) -> tuple[str, str] | None:
    """The unit a word names and what it measures, singular or plural ("km", "days": ("days",
    "duration"), "dollars": ("USD", "money")); None for a word that names no unit."""
    word = word.lower()
    return _UNITS.get(word) or _UNITS.get(word[:-1])


def unit_kind(word: str) -> str | None:
    """What a unit's name measures ("days": "duration", "kilometres": "distance"), or None."""
    unit = unit_named(word)
    return unit[1] if unit is not None else None


_AUX = _classes("auxiliaries")
_RELATIVE = _classes("relatives")
_CLAUSE_STOP = _classes("clause_stops")
_PREPS = _classes("prepositions")
_DETERMINERS = _classes("determiners")
_ADVERBS = _classes("adverbs")
_POSSESSION = _verbs("possession")
_NOT_AGENT_VERBS = _verbs("not_agent")
_NOT_PAST = _verbs("not_past")
_LEVEL_VERBS = _verbs("level")
_COMPARATIVES = _classes("comparatives")
_CLAUSE_OPENERS = _classes("clause_openers")
_TRAILING = _classes("trailing")
_PARTITIVE = _classes("partitive")
_GROUPING = _classes("grouping")
_MONEY_VERBS = _verbs("money")
_FINITE = _verbs("finite")
_CUT_BEFORE = _RELATIVE | _classes("cut_before")
_PRONOUNS = _classes("pronouns")
_IRREGULAR_PAST = _verbs("irregular_past")
_ONE_STOP = _classes("one_stops")
_ROW_NAMES = _classes("row_names")
_PHRASE_WORDS = _classes("phrase_words")
_IDENTIFIER_NOUNS = word_set("figure_words", "identifiers.nouns")

_RANGE_WORDS = {"between", "from"}
_QUALIFIER_STARTS = {q.split()[0] for q in _QUALIFIER_WORDS if " " in q} - {"a", "an", "as", "at", "in", "up", "no"}
_BACK_STOP = _AUX | _RELATIVE | _CLAUSE_STOP | _DETERMINERS | {"and", "or", ",", ";", ":", "(", ")", "—", "–"}
