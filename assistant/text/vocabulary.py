"""Word lists that come from data: this package's cited files in `data/`, the calendar's month
names, and the currencies of the Unicode CLDR (through Babel).

A rule that needs words asks here by name, so a list lives in one file with its source, and a
change to it is a change of data, not of code.
"""

from __future__ import annotations

import calendar
import re
import tomllib
import unicodedata
from functools import cache
from importlib.resources import files
from typing import Any

# Languages whose month names mark a date in the documents (English, and those of the Americas
# and western Europe that reports quote).
MONTH_LANGUAGES = ("en", "es", "fr", "de", "pt", "it")


@cache
def data(name: str) -> dict[str, Any]:
    """A TOML file of `data/`, parsed."""
    return tomllib.loads(files("assistant.text").joinpath("data", f"{name}.toml").read_text(encoding="utf-8"))


def phrases(name: str, key: str, before: str = "", after: str = "") -> re.Pattern[str]:
    """Any phrase of a list of a TOML file of `data/`, as whole words, case aside, after `before`
    and before `after`."""
    alternatives = "|".join(re.escape(phrase) for phrase in data(name)[key])
    return re.compile(rf"{before}\b(?:{alternatives})\b{after}", re.IGNORECASE)


def word_set(name: str, key: str) -> frozenset[str]:
    """A space-separated word list of a TOML file of `data/` (a dotted `key` reaches into tables)."""
    value: Any = data(name)
    for part in key.split("."):
        value = value[part]
    return frozenset(str(value).split())


@cache
def month_names() -> tuple[str, ...]:
    """Month names and their abbreviations, capitalised: "January", "Jan", "Sept", "Enero", ..."""
    from babel.dates import get_month_names

    names = [*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept"]
    for language in MONTH_LANGUAGES[1:]:
        names += [str(name).capitalize() for name in get_month_names("wide", locale=language).values()]
    return tuple(dict.fromkeys(names))


@cache
def currency_symbols() -> dict[str, str]:
    """Currency signs as English text writes them, to their ISO 4217 codes: "$" -> "USD",
    "€" -> "EUR", "HK$" -> "HKD" (CLDR's English symbols that hold a currency sign)."""
    from babel.numbers import get_currency_symbol

    out: dict[str, str] = {}
    for code in _current_currencies():
        symbol = get_currency_symbol(code, locale="en")
        if any(unicodedata.category(c) == "Sc" for c in symbol) and not any(c.isspace() for c in symbol):
            out.setdefault(symbol, code)
    out.setdefault("US$", "USD")
    return out


# A currency's name is a unit after a number unless it is also a common English word ("real",
# "gold", "mark", "won"): wordfreq's Zipf frequency of 5 (once per 100,000 words) or more.
COMMON_WORD_ZIPF = 5.0


def currency_of(sign: str) -> str | None:
    """The ISO code of a currency sign as a text writes it, in any case ("hk$" is "HK$")."""
    symbols = currency_symbols()
    return symbols.get(sign) or {symbol.lower(): code for symbol, code in symbols.items()}.get(sign.lower())


def currency_pattern() -> str:
    """A regular expression that matches any currency sign of `currency_symbols`, longest first."""
    return "|".join(re.escape(symbol) for symbol in sorted(currency_symbols(), key=len, reverse=True))


def currency_signs() -> str:
    """The one-character currency signs, "$€£¥...", none of which needs escaping in a character
    class."""
    return "".join(symbol for symbol in currency_symbols() if len(symbol) == 1 and symbol not in "\\]^-")


@cache
def currency_words() -> dict[str, str]:
    """Currency names as units after a number ("dinars"), to the unit a figure reports: the ISO
    code where the word names one currency only ("yen" -> "JPY"), else the word ("dollar")."""
    from babel.numbers import get_currency_name
    from wordfreq import zipf_frequency

    by_word: dict[str, set[str]] = {}
    for code in _current_currencies():
        word = get_currency_name(code, locale="en").split()[-1].lower()
        if word.isalpha() and zipf_frequency(word, "en") < COMMON_WORD_ZIPF:
            by_word.setdefault(word, set()).add(code)
    return {word: next(iter(codes)) if len(codes) == 1 else word for word, codes in by_word.items()}


def currency_codes() -> frozenset[str]:
    """The ISO 4217 codes of the currencies in use today ("USD", "EUR")."""
    return frozenset(_current_currencies())


@cache
def _current_currencies() -> tuple[str, ...]:
    """The currencies that are legal tender somewhere today, by CLDR's territory data."""
    from babel import Locale
    from babel.numbers import get_territory_currencies

    codes: set[str] = set()
    for territory in Locale("en").territories:
        if isinstance(territory, str) and territory.isalpha():
            codes.update(get_territory_currencies(territory, tender=True))
    return tuple(sorted(codes))
