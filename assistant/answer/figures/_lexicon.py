"""The vocabulary of figure reading: number words and scales, months, qualifier words, currencies
and units, the note-marker mask, and the word classes (auxiliaries, relatives, prepositions,
determiners, ...) that the labelling rules and the table reader test words against.

Kept in one place so that the number scanner, the labelling rules and the table reader agree on
what a word is, and a list is changed once.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_ONES)} | {w: i + 10 for i, w in enumerate(_TEENS)}
_WORD_VALUES |= {w: (i + 2) * 10 for i, w in enumerate(_TENS)}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
_DENOMINATORS |= {"fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    "Enero|Febrero|Marzo|Abril|Mayo|Junio|Julio|Agosto|Septiembre|Octubre|Noviembre|Diciembre"
)
_MONTH_WORDS = set(_MONTHS.split("|"))

_QUALIFIER_GROUPS = {
    "approx": "about|around|approximately|approx.|roughly|some|nearly|almost|close to|an estimated|estimated|"
    "as few as|c.|ca.|~|≈",
    "more_than": "over|more than|well over|just over|above|upwards of|in excess of|>",
    "less_than": "fewer than|less than|under|just under|below|<",
    "at_least": "at least|no fewer than|no less than|a minimum of|≥",
    "at_most": "up to|at most|no more than|as many as|a maximum of|≤",
}
_QUALIFIER_WORDS = {word: q for q, words in _QUALIFIER_GROUPS.items() for word in words.split("|")}
_CURRENCIES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}
_UNIT_GROUPS = (
    ("km kilometer kilometre", "km", "distance"),
    ("mile", "mile", "distance"),
    ("meter metre", "m", "distance"),
    ("mm millimeter millimetre", "mm", "distance"),
    ("cm", "cm", "distance"),
    ("kg kilogram kilo", "kg", "measure"),
    ("ton tonne", "ton", "measure"),
    ("year", "years", "duration"),
    ("month", "months", "duration"),
    ("week", "weeks", "duration"),
    ("day", "days", "duration"),
    ("hour hrs", "hours", "duration"),
    ("minute min", "minutes", "duration"),
    ("second", "seconds", "duration"),
    ("decade", "decades", "duration"),
    ("dollar", "USD", "money"),
    ("euro", "EUR", "money"),
    ("dinar", "dinar", "money"),
    ("ruble rouble", "RUB", "money"),
    ("lira", "lira", "money"),
)
_UNITS = {name: (unit, kind) for names, unit, kind in _UNIT_GROUPS for name in names.split()}


_AUX = _words(
    "is are was were be been has have had will would can could may might must shall should do does did cannot can't "
    "won't don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't"
)
_RELATIVE = _words("who whom whose which that where when while whereas")
_CLAUSE_STOP = _words(
    "but because although though if since until unless so than as like including such versus vs despite after "
    "before during by with without according respectively compared whether then thus hence yet nor however today "
    "now currently also still only already even there it they he she we this both"
)
_PREPS = _words(
    "of in to from within inside at across along near among into outside throughout on per for over under around "
    "between against toward towards via"
)
_DETERMINERS = _words("the a an its their his her our this these those each every all some any")
_ADVERBS = _words("currently now each likewise also still even today reportedly already only just once alone")
_POSSESSION = _words(
    "have has had maintain maintains maintained boast boasts boasted field fields fielded hold holds include "
    "includes comprise comprises command commands muster musters"
)
_NOT_AGENT_VERBS = {"based", "called", "named", "estimated", "ranged", "limited", "related", "compared"}
_NOT_PAST = {"need", "speed", "breed", "hundred", "bred", "seed", "greed", "indeed", "proceed", "succeed"}
_LEVEL_VERBS = _words(
    "stood stands stand increased rose rises risen amounted amounts fell reached totalled totaled estimated put "
    "grew swelled numbered"
)
_COMPARATIVES = _words("higher more larger greater bigger smaller lower fewer less")
_CLAUSE_OPENERS = _words("that while whereas and but of whom which who when if although though")
_TRAILING = _words("and or up mid early late both")
_PARTITIVE = _words("whom which them")
_GROUPING = _words("consisting including comprising namely")
_MONEY_VERBS = _words("cost costs paid pay pays earn earned earns fined received sent spent raised worth charged")
_FINITE = _words(
    "represents represent remains remain shows show suggests suggest indicates indicate means mean makes make "
    "constitutes constitute equals amount accounts account"
)
_CUT_BEFORE = _RELATIVE | {"from", "in", "to", "thought", "believed"}
_PRONOUNS = _words("it its they them their he him his she her we us our i you this that these those")

_IRREGULAR_PAST = _words(
    "gone born held known thought left sent taken given made seen found kept brought fought built led won told said "
    "become come went came fled took gave"
)
_ONE_STOP = _words(
    "of in from after another who that which is was has had to and or but for with by on at as the a an such "
    "example instance way thing reason day time hand side point part aspect issue problem question factor "
    "explanation"
)
_ROW_NAMES = _words(
    "country countries state states nation nationality region province city group name category type item year "
    "period organization organisation unit militia area district location place origin"
)
_PHRASE_WORDS = _words("in of and or to by per for from the at on with as")

_RANGE_WORDS = {"between", "from"}
_QUALIFIER_STARTS = {q.split()[0] for q in _QUALIFIER_WORDS if " " in q} - {"a", "an", "as", "at", "in", "up", "no"}
_BACK_STOP = _AUX | _RELATIVE | _CLAUSE_STOP | _DETERMINERS | {"and", "or", ",", ";", ":", "(", ")", "—", "–"}
