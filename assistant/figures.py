"""Figures: the numbers a passage states, each with its value, qualifier, unit and what it counts.

Numeric questions ("how many Tunisians returned?") are answered with a figure taken from the
text, never computed, so every numeric expression of quantity in a prose passage or a table row is
read here: digits, number words ("nine", "a dozen", "a million"), ranges, percentages, money,
distances, durations, multipliers and fractions. Numbers that are not quantities are left out:
years, dates, note markers ("[19]"), page, article, table and list numbers, citation volumes.
Unit and road numbers ("PMF brigade 39", "Highway 20") are kept as identifiers, because an analyst
may ask for them. Each figure carries a label in the source's own words (what is counted, and
whose) so that answering can rank figures against a question without a model.

Kinds: count, percent, money (unit "USD", "EUR", "GBP", ...), distance ("km", "mile", "mm"),
measure ("kg", "ton"), multiplier ("times"), duration ("years", "hours", ...), fraction ("two-thirds"
is 0.667, "one in five" 0.2) and identifier.

The reading is rule-based and fast enough to run on every retrieved passage: a scan for number
atoms, then context rules on the words of the figure's sentence for its label ("63,000 registered
personnel of the Special Groups", "KH fighters assigned to Syria"). Table rows are read against
their header: a row's cells are assigned to columns by position, so a label is "row label: column
name" ("Tunisia: RETURNED").
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from .sentences import sentence_spans


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


QUALIFIERS = ("exact", "approx", "more_than", "less_than", "at_least", "at_most", "range")
KINDS = ("count", "percent", "money", "distance", "measure", "multiplier", "duration", "fraction", "identifier")


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
    sentence: str  # the sentence (prose) or "header | row" (tables) the figure comes from
    start: int  # offsets of `text` in the prose passage or the row
    end: int


# --- lexicon ------------------------------------------------------------------------------------

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

# --- patterns -----------------------------------------------------------------------------------

_MARKER = re.compile(r"\[[^\[\]\n]{1,12}\]")
_ATOM = re.compile(
    r"(?P<frac>\b(?:one|two|three|four|five)-(?:halves|half|thirds?|quarters?|fifths?|tenths?)\b)"
    r"|(?P<digits>(?<![\w.,/:#])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|[,.]\d|[/:]\d))"
    rf"|(?P<word>\b(?:(?:{'|'.join(_TENS)})(?:-(?:{'|'.join(_ONES)}))?|{'|'.join(_TEENS + _ONES)}"
    r"|dozen|hundred|thousand|million|billion)\b)"
    r"|(?P<a>\ba(?=\s+(?:dozen|hundred|thousand|million|billion)\b))",
    re.IGNORECASE,
)
_QUALIFIER_RE = "|".join(re.escape(q) for q in sorted(_QUALIFIER_WORDS, key=len, reverse=True))
_PREFIX = re.compile(
    rf"(?:(?<![\w-])(?P<span>between|from)\s+)?(?:(?<![\w-])(?P<qual>{_QUALIFIER_RE})\s*)?"
    r"(?P<cur>US\$|[$€£])?\s*$",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(
    r"(?:\s?%|\s?per\s?cent|\s?percent)?(?:\s?[-–]\s?|\s+(?P<word>to|and|or)\s+)"
    r"(?:(?:about|around|approximately|nearly|some)\s+)?(?:US\$|[$€£])?",
    re.IGNORECASE,
)
_COORDINATED = re.compile(r",?\s+(?:and|or|to)\s+")
_RATIO_JOIN = re.compile(r"\s+(?:in|out\s+of\s+every)\s+", re.IGNORECASE)
_SCALE_JOIN = re.compile(r"[\s-]+")
_UNIT_NAMES = "|".join(sorted((re.escape(u) + ("s?" if u[-1].isalpha() else "")) for u in _UNITS))
_SUFFIX = re.compile(
    r"(?P<percent>\s?%|\s?per\s?cent\b|[\s-]?percent\b)"
    r"|(?P<times>\s?times\b|-fold\b)"
    r"|(?P<age>-years?-old\b|\s+years?\s+old\b)"
    rf"|[\s-]?(?P<unit>{_UNIT_NAMES})\b"
    r"|(?P<strong>-strong\b)"
    r"|-(?P<compound>[a-z]{3,})\b",
    re.IGNORECASE,
)
_AND_A_HALF = re.compile(r"[\s-]and[\s-]a[\s-]half\b", re.IGNORECASE)
_COMPARISON_AFTER = re.compile(r"\s+(?:the|as|that|what|higher|more|larger|greater|bigger|smaller|lower|fewer|over)\b")
_GLUED_NOTE = re.compile(r"\d+\.\d{1,3}")
_MONEY_SCALE = re.compile(r"\s?(?P<s>m|bn|k)\b")
_CONVERSION = re.compile(
    r"\s*\((?:about|approximately|around|some|roughly|c\.|~)?\s*(?:US\$|[$€£])?\s*\d[\d,.]*\s*[A-Za-z]*\s*\)"
)
_POST_QUALIFIER = re.compile(r"\s+or\s+(?P<word>more|fewer|less|so)\b|(?P<plus>\+)(?!\d)", re.IGNORECASE)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$")
_MONTH_AFTER = re.compile(rf"\s*(?:de\s+)?(?:{_MONTHS})\b")
_PAGE = re.compile(r"\b(?:p|pp|pg|page|pages)\.?\s*$", re.IGNORECASE)
_NAMED = re.compile(
    r"\b(?:articles?|art\.|sections?|sec\.|chapters?|tables?|figure|fig\.|annex|appendix|resolutions?|vol\.?|volume"
    r"|issue|no\.|nos\.|report|paragraph|para\.|clause|rule|part|phase|stage|item|footnote|endnote|notes?|verse"
    r"|suras?|surah|box|map|chart|exhibit|law|act|decree|version|number)\s*$",
    re.IGNORECASE,
)
_CITED_AFTER = re.compile(rf",\s*(?:{_MONTHS})\b|,\s*(?:19|20)\d\d\b|\s*\((?:1[89]|20)\d\d\)|\s*:\s*\d")
_TIME_AFTER = re.compile(r"\s?(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|UTC\b|hrs\b)", re.IGNORECASE)
_LINE_START = re.compile(r"(?:^|\n)[ \t]*$")
_NUMBERING_AFTER = re.compile(r"[.)](?:\s|$)")
_LIST_PAREN_BEFORE = re.compile(r"(?:^|[\n:;,.]|\band|\bor)\s*\($")
_IDENTIFIER_BEFORE = re.compile(
    r"(?P<org>\b[A-Z]{2,5}\s+)?(?P<kw>\b(?:brigades?|battalions?|regiments?|divisions?|highways?|routes?|units?"
    r"|squadrons?|platoons?)\b)\s*$",
    re.IGNORECASE,
)
_LIST_JOIN = re.compile(r"\s*(?:,|&|and|,\s*and)\s*")
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\d[\d,.]*\d%?|\d%?|[\w’'`][\w’'`\-/&]*|[^\w\s]")
_SURE_END = re.compile(
    r"(?:\n\s*\n|(?:(?P<word>\b[A-Za-z]*[a-z][a-z])|\d)[.!?][”\"’)]*(?:\s*\[[^\]\n]{1,12}\])*(?=\s+[“\"‘(]?[A-Z]))"
)
_DOUBTFUL_END = re.compile(r"(\S+)[.!?][”\"’)]*(?:\s*\[[^\]\n]{1,12}\])*\s+[“\"‘(]?[A-Z]")
_ABBREVIATIONS = _words(
    "gen col capt lt sgt maj prof inc corp vol fig jan feb mar apr jun jul aug sep sept oct nov dec etc vs al "
    "approx est nos dept govt univ mr mrs ms dr st jr sr rev"
)
_QUOTES = set("“”\"‘’'`«»")

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
_PARTICLE = re.compile(r"(?:al|as|an|ad|ar|ash|at|az|el|bin|ibn|de|la)-", re.IGNORECASE)
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
_DATE_COLUMN = re.compile(r"date|as of|updated|year|period", re.IGNORECASE)
_RANGE_WORDS = {"between", "from"}
_QUALIFIER_STARTS = {q.split()[0] for q in _QUALIFIER_WORDS if " " in q} - {"a", "an", "as", "at", "in", "up", "no"}
_BACK_STOP = _AUX | _RELATIVE | _CLAUSE_STOP | _DETERMINERS | {"and", "or", ",", ";", ":", "(", ")", "—", "–"}


# --- scanning prose for numbers -----------------------------------------------------------------


@dataclass
class _Atom:
    start: int
    end: int
    value: float
    plain: bool = False  # digits with no separator or decimal: could be a year
    word: bool = False
    fraction: bool = False
    needs_scale: bool = False


@dataclass
class _Read:
    """A numeric expression found in prose, before it is labelled."""

    start: int  # of the number itself
    end: int
    text_start: int  # with a preceding qualifier, currency or range word
    value: float
    high: float | None = None
    qualifier: str = "exact"
    unit: str | None = None
    kind: str = "count"
    extra: str | None = None  # "age", "strong" or the noun of a compound ("12-rocket")
    id_name: str | None = None  # for identifiers: "PMF brigade"
    id_start: int = 0  # where "PMF brigade" begins
    follows: _Read | None = None  # the identifier this one is listed after ("brigades 45, 56")
    label: str = ""
    stop: int = 0  # token index after the noun phrase the label was read from
    noun: list[str] = field(default_factory=list)  # what the figure counts, for later elided ones
    share: list[str] = field(default_factory=list)  # the whole a share is of: "30% of residents"
    subject: tuple[str, str] | None = None  # (owner, verb): ("KH", "maintain")
    parent: list[str] = field(default_factory=list)  # the whole a listed count is part of


def _mask_markers(text: str) -> str:
    """`text` with every bracketed note marker blanked out, offsets unchanged."""
    return _MARKER.sub(lambda m: " " * len(m.group()), text)


def _atoms(masked: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for m in _ATOM.finditer(masked):
        low = m.group().lower()
        if m.lastgroup == "frac":
            numerator, denominator = low.split("-")
            value = _WORD_VALUES[numerator] / _DENOMINATORS[denominator]
            atoms.append(_Atom(m.start(), m.end(), value, word=True, fraction=True))
        elif m.lastgroup == "a":
            atoms.append(_Atom(m.start(), m.end(), 1, word=True, needs_scale=True))
        elif low in _SCALES:
            prev = atoms[-1] if atoms else None
            if prev and not prev.fraction and _SCALE_JOIN.fullmatch(masked, prev.end, m.start()):
                prev.value *= _SCALES[low]
                prev.end, prev.plain, prev.needs_scale = m.end(), False, False
        elif m.lastgroup == "word":
            value = sum(_WORD_VALUES[part] for part in low.split("-"))
            atoms.append(_Atom(m.start(), m.end(), value, word=True))
        else:
            plain = "," not in low and "." not in low
            atoms.append(_Atom(m.start(), m.end(), float(low.replace(",", "")), plain=plain))
    return [a for a in atoms if not a.needs_scale]


def _is_year(atom: _Atom) -> bool:
    return atom.plain and 1800 <= atom.value <= 2100


def _reads(masked: str) -> list[_Read]:
    atoms = _atoms(masked)
    reads: list[_Read] = []
    i = 0
    while i < len(atoms):
        read, used = _read_at(masked, atoms, i, reads[-1] if reads else None)
        i += used
        while i < len(atoms) and read is not None and atoms[i].start < read.end:
            i += 1  # numbers inside a conversion "(510 mile)"
        if read is not None:
            reads.append(read)
    _share_units(masked, reads)
    return reads


def _share_units(masked: str, reads: list[_Read]) -> None:
    """ "three-and-a-half and four-and-a-half years": the unit written once belongs to both."""
    for read, following in itertools.pairwise(reads):
        shares = read.kind == "count" and read.unit is None and following.kind != "identifier"
        if shares and following.unit and _COORDINATED.fullmatch(masked, read.end, following.text_start):
            read.unit, read.kind = following.unit, following.kind


def _read_at(masked: str, atoms: list[_Atom], i: int, previous: _Read | None) -> tuple[_Read | None, int]:
    first = atoms[i]
    prefix = _PREFIX.search(masked, max(0, first.start - 40), first.start)
    assert prefix is not None  # the pattern matches the empty string at the end
    text_start = prefix.start("qual") if prefix["qual"] else prefix.start("cur") if prefix["cur"] else first.start
    read = _Read(first.start, first.end, text_start, first.value)
    read.qualifier = _QUALIFIER_WORDS.get((prefix["qual"] or "").lower(), "exact")
    if first.fraction:
        read.kind = "fraction"
    if prefix["cur"]:
        read.unit, read.kind = _CURRENCIES[prefix["cur"]], "money"
    last, used = _join_range(masked, atoms, i, read, prefix)
    _read_suffix(masked, read)
    if _is_noise(masked, read, first, last):
        return None, used
    if first.word and read.kind == "count" and not _word_counts(masked, read, first):
        return None, used
    if read.kind == "count" and read.high is None and _join_ratio(masked, atoms, i, read):
        used += 1
    if read.kind == "count" and read.high is None and first.plain and _identify(masked, read, previous):
        return read, used
    if read.kind == "count" and any(_is_year(a) for a in (first, last)):
        return None, used
    return read, used


def _join_range(masked: str, atoms: list[_Atom], i: int, read: _Read, prefix: re.Match[str]) -> tuple[_Atom, int]:
    first = atoms[i]
    if i + 1 >= len(atoms):
        return first, 1
    second = atoms[i + 1]
    join = _RANGE_JOIN.fullmatch(masked, first.end, second.start)
    if join is None or second.value <= first.value or first.fraction or second.fraction:
        return first, 1
    word = (join["word"] or "").lower()
    span = (prefix["span"] or "").lower()
    if (word == "and" and span != "between") or (word == "or" and second.value > 100):
        return first, 1
    read.high, read.end, read.qualifier = second.value, second.end, "range"
    if span in _RANGE_WORDS:
        read.text_start = prefix.start("span")
    return second, 2


def _read_suffix(masked: str, read: _Read) -> None:
    half = _AND_A_HALF.match(masked, read.end)
    if half is not None:
        read.value += 0.5
        read.end = half.end()
    if read.kind == "money":
        scale = _MONEY_SCALE.match(masked, read.end)
        if scale:
            factor = {"m": 1e6, "bn": 1e9, "k": 1e3}[scale["s"].lower()]
            read.value *= factor
            read.high = read.high * factor if read.high is not None else None
            read.end = scale.end()
    suffix = _SUFFIX.match(masked, read.end)
    if suffix is not None:
        _apply_suffix(read, suffix)
        if read.kind == "multiplier" and not _COMPARISON_AFTER.match(masked, read.end):
            read.kind = "count"  # "visited the country three times this year"
    if read.unit is not None and (conversion := _CONVERSION.match(masked, read.end)):
        read.end = conversion.end()
    post = _POST_QUALIFIER.match(masked, read.end)
    if post is not None and read.qualifier == "exact":
        word = (post["word"] or "").lower()
        read.qualifier = {"more": "at_least", "fewer": "at_most", "less": "at_most", "so": "approx"}.get(
            word, "more_than"
        )
        read.end = post.end()


def _apply_suffix(read: _Read, suffix: re.Match[str]) -> None:
    group = suffix.lastgroup
    if group == "percent":
        read.unit, read.kind = "percent", "percent"
    elif group == "times":
        read.unit, read.kind = "times", "multiplier"
    elif group == "age":
        read.unit, read.kind, read.extra = "years", "duration", "age"
    elif group == "unit":
        name = suffix["unit"].lower()
        unit = _UNITS.get(name) or _UNITS.get(name[:-1])
        if unit is None or (read.kind == "money" and unit[1] != "money"):
            return
        read.unit, read.kind = unit
    elif group == "strong":
        read.extra = "strong"
    elif group == "compound":
        if read.value == 1:
            return  # "one-time", "one-sided"
        read.extra = suffix["compound"]
    read.end = suffix.end()


def _is_noise(masked: str, read: _Read, first: _Atom, last: _Atom) -> bool:
    """Numbers that are not quantities: dates, pages, article and list numbers, citations, times."""
    start, end = read.start, read.end
    if start >= 2 and masked[start - 1] in "-–" and masked[start - 2].isalnum():
        return True  # "T-72", "mid-2019", "COVID-19", the "17" of "2015-17"
    glued = read.unit is None and _GLUED_NOTE.fullmatch(masked, first.start, first.end) is not None
    if glued and re.match(r"\s+[A-Z(“\"]|\s*$", masked[end : end + 2]):
        return True  # "in 2019.2 Then": a note number run into the text
    if re.search(r"/\s*$", masked[max(0, start - 3) : start]) or re.match(r"\s*/", masked[end : end + 3]):
        return True  # a rating or pair: "(none / 0)"
    if end < len(masked) and masked[end].isalpha():
        return True  # "19th", "1990s"
    before = masked[max(0, start - 30) : start]
    if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(masked, end) or _PAGE.search(before):
        return True
    if _NAMED.search(before) or _CITED_AFTER.match(masked, end) or _TIME_AFTER.match(masked, end):
        return True
    if first.plain and first.value < 1000 and _LINE_START.search(before) and _NUMBERING_AFTER.match(masked, end):
        return True
    return (
        first is last
        and masked[start - 1 : start] == "("
        and _LIST_PAREN_BEFORE.search(before) is not None
        and (masked[end : end + 2].startswith(")") and masked[end + 1 : end + 2] in {" ", ""})
    )


def _word_counts(masked: str, read: _Read, first: _Atom) -> bool:
    """Whether a number word reads as a quantity ("one of them" does not)."""
    if read.end < len(masked) and masked[read.end] == "-" and read.extra is None and read.kind == "count":
        return False
    if masked[first.start].isupper() and re.search(r"[A-Za-z][\s:]*$", masked[max(0, first.start - 3) : first.start]):
        return False  # a title: "A Six Stage Model"
    if first.value != 1 or read.kind != "count" or read.high is not None or read.qualifier != "exact":
        return True
    before = masked[max(0, read.start - 12) : read.start].split()
    if before and before[-1].lower() in {"only", "just", "than", "least", "exactly"}:
        return True
    following = re.match(r"\s+([a-z][\w’'-]*)", masked[read.end : read.end + 40])
    return following is not None and following.group(1).lower() not in _ONE_STOP


def _join_ratio(masked: str, atoms: list[_Atom], i: int, read: _Read) -> bool:
    """ "one in 10", "six out of every 10": a fraction."""
    if i + 1 >= len(atoms):
        return False
    second = atoms[i + 1]
    if not _RATIO_JOIN.fullmatch(masked, read.end, second.start) or _is_year(second):
        return False
    if not read.value < second.value <= 1000:
        return False
    read.value /= second.value
    read.kind, read.end = "fraction", second.end
    return True


def _identify(masked: str, read: _Read, previous: _Read | None) -> bool:
    """Brigade, unit and road numbers: "PMF brigade 39", "brigades 45, 56, 57", "Highway 20"."""
    before = masked[max(0, read.start - 30) : read.start]
    match = _IDENTIFIER_BEFORE.search(before)
    if match is not None:
        keyword = match["kw"].lower().rstrip("s") if match["kw"].islower() else match["kw"].rstrip("s")
        read.id_name = f"{match['org'].strip()} {keyword}" if match["org"] else keyword
        read.id_start = read.start - len(before) + match.start()
    elif (
        previous is not None
        and previous.kind == "identifier"
        and _LIST_JOIN.fullmatch(masked, previous.end, read.start)
    ):
        read.id_name, read.id_start, read.follows = previous.id_name, previous.id_start, previous
    else:
        return False
    read.kind, read.unit, read.qualifier, read.text_start = "identifier", None, "exact", read.start
    return True


# --- labelling prose figures --------------------------------------------------------------------


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


def _label(s: _Sentence, read: _Read) -> None:
    """Set `read.label` (and what later figures of the sentence borrow) from the words around it."""
    a, b = s.after(read.end), s.after(read.text_start) - 1
    if read.kind == "identifier":
        read.label = _identifier_label(s, read)
        return
    core, predicate = _phrase_after(s, read, a, _opens_clause(s, b))
    core, owner_at, weak = _fill_noun(s, read, b, core, predicate)
    read.noun = [] if not core or core[0].lower() in _RELATIVE | _PREPS else _head(core)
    if read.kind in {"percent", "fraction"} and not read.share:
        core = _borrowed_share(s, core)
    read.subject = None if weak else _subject(s, owner_at)
    if read.subject is None and read.kind == "count" and not weak:
        read.subject = _inherited_subject(s, b)
    label = _shorten(core, 6 if read.subject else 11 - min(len(predicate), 2))
    if read.subject and label and read.subject[0] not in label:
        label = _join_subject(label, read.subject)
    read.parent = _parent(s, b) if read.kind == "count" and not read.subject else []
    if read.parent and label and " ".join(read.parent) not in label:
        label = f"{label} among {' '.join(read.parent)}"  # "355 Kosovars—consisting of 256 men"
    read.label = _tidy(" ".join([label, *predicate]))


def _phrase_after(s: _Sentence, read: _Read, a: int, opens: bool) -> tuple[list[str], list[str]]:
    """The noun phrase after a figure and, when the figure opens its clause, the verb group after
    that: "about 30% of ... residents ..." + "had returned home"."""
    if s.word(a) in {"and", "or"} and a + 1 < s.hi and _is_number(s.tokens[a + 1]):
        a = _skip_numbers(s, a + 1)  # "358 and 323 nationals"
    if read.kind == "multiplier" and s.word(a) == "as":
        a += 1  # "10 times as many flag officers"
    core, read.stop = _core(s, a)
    core = _with_extra(read, core)
    predicate: list[str] = []
    if len(core) == 1 and _is_past(core[0]) and not read.extra:
        predicate, core = core, []  # "(nine misfired)"
    elif opens and not (core and core[0].lower() in _PREPS):
        predicate = _predicate(s, read.stop)
    if core and (core[0].lower() == "of" or core[:2] == ["out", "of"]):
        partitive = len(core) > 1 and core[1].lower() in _PARTITIVE  # its verb goes into the complement
        core = _complement(s, a, core)
        read.share = _head(core)
        predicate = [] if partitive else predicate or (_predicate(s, read.stop) if opens else [])
    return core, predicate


def _fill_noun(s: _Sentence, read: _Read, b: int, core: list[str], predicate: list[str]) -> tuple[list[str], int, bool]:
    """The label's words with what the phrase after the figure leaves out, where to look for the
    figure's owner, and whether the owner should be left out (the guess is weak or already in)."""
    if read.kind == "money" and s.word(b) in _MONEY_VERBS:
        who = _clause_subject(s, b - 1)  # "Muhaxheri had even sent €1,350 to help finance the operation"
        return [s.word(b), *(["by", *who] if who else []), *core], b, True
    if core and not (core[0].lower() in _PREPS and not read.share):
        return core, b, False
    noun, owner_at, weak = _missing_noun(s, b, read.kind, bool(predicate))
    return [*noun, *core], owner_at, weak


def _parent(s: _Sentence, b: int) -> list[str]:
    """The whole a listed count belongs to: "110 of its citizens (four men, 32 women ...)"."""
    for earlier in reversed(s.done):
        if earlier.kind != "count":
            continue
        between = s.tokens[earlier.stop : b + 1]
        if earlier.parent and all(t.text in {",", "and", "or"} for t in between):
            return earlier.parent
        opens = bool(between) and (between[0].text in {"(", "—", ":"} or any(t.low in _GROUPING for t in between))
        return list(earlier.noun) if opens and len(between) <= 4 else []
    return []


def _skip_numbers(s: _Sentence, k: int) -> int:
    while k < s.hi and (
        _is_number(s.tokens[k]) or s.tokens[k].text in "%$€£~" or _is_unit(s.word(k)) or (s.word(k) in {"per", "cent"})
    ):
        k += 1
    return k


def _is_unit(word: str) -> bool:
    return word in _UNITS or word[:-1] in _UNITS or word in {"percent", "times"}


def _with_extra(read: _Read, core: list[str]) -> list[str]:
    if read.extra == "age":
        return ["age of", *core]
    if read.extra == "strong":
        return ["strength of", *core]
    if read.extra:
        return [read.extra, *core]  # "12-rocket attack"
    return core


def _core(s: _Sentence, i: int, limit: int = 18) -> tuple[list[str], int]:
    """The noun phrase after a figure, with its modifiers ("fighters assigned to Syria")."""
    words: list[str] = []
    while i < s.hi and len(words) < limit:
        tok = s.tokens[i]
        if tok.text == "(":
            close = _close_paren(s, i)
            if any(_is_number(t) for t in s.tokens[i:close]):
                break  # a list of parts: "110 of its citizens (four men, ...)"
            i = close + 1  # "124 (adult male) returnees"
            continue
        if not _continues(s, i, words):
            break
        words.append(tok.text)
        i += 1
    while words and _is_trailing(words[-1]):
        words.pop()
    return words, i


def _continues(s: _Sentence, i: int, words: list[str]) -> bool:
    tok = s.tokens[i]
    low, last = tok.low, (words[-1].lower() if words else "")
    if not tok.is_word or _is_year_token(tok):
        return False
    if low in _AUX:
        return last in _RELATIVE or last == "to"  # "who had returned", "thought to have gone"
    if low in _RELATIVE:
        return (
            last in {"those", "these", "people"} or not words or (last == "of" and low in {"whom", "which"})
        )  # "those who ...", "129 who have left"
    if low == "than":
        return last in _COMPARATIVES  # "15 times higher than ..."
    if low in _FINITE:
        return last in _RELATIVE  # "who remain alive"
    if low in _CLAUSE_STOP:
        return False
    nxt = s.tokens[i + 1] if i + 1 < s.hi else None
    after = s.tokens[i + 2] if i + 2 < s.hi else None
    if nxt is not None and f"{low} {nxt.low}" in _QUALIFIER_WORDS:
        return False  # "... represents less than five percent"
    if low in {"and", "or"}:
        if nxt is None or not nxt.is_word or _is_number(nxt) or nxt.low in _DETERMINERS or _is_verbal(nxt.text):
            return False
        return after is None or not (_is_number(after) or f"{nxt.low} {after.low}" in _QUALIFIER_WORDS)
    if words and _is_past(tok.text) and not _modifies(words):
        return nxt is not None and nxt.low in _PREPS | {"to"}  # a participle, not "fighters joined IS"
    return True


def _modifies(words: list[str]) -> bool:
    """Whether a past form after `words` is an adjective or a relative clause's verb, not the main verb."""
    last = words[-1].lower()
    return (
        last in _PREPS | _DETERMINERS | {"and", "or"}
        or last.endswith("ly")
        or bool(_RELATIVE & {w.lower() for w in words})
    )


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


def _opens_clause(s: _Sentence, b: int) -> bool:
    """Whether the figure starts its clause, so that the verb after it says what it counts."""
    while b >= s.lo and s.word(b) in {"only", "just", "roughly"}:
        b -= 1
    if b < s.lo:
        return True
    return s.tokens[b].text in {",", ";", ":", "(", "—", "–"} or s.word(b) in _CLAUSE_OPENERS


def _predicate(s: _Sentence, i: int) -> list[str]:
    """The verb group after a figure's noun phrase: "had returned home", "were convicted"."""
    words: list[str] = []
    while i < s.hi and len(words) < 4:
        tok = s.tokens[i]
        if not tok.is_word or tok.low in _RELATIVE or (words and tok.low in (_CLAUSE_STOP - _ADVERBS) | {"and", "or"}):
            break
        if (
            (len(words) >= 3 and tok.low in _PREPS)
            or _is_number(tok)
            or f"{tok.low} {s.word(i + 1)}" in _QUALIFIER_WORDS
        ):
            break
        words.append(tok.text)
        i += 1
    if not words or not (words[0].lower() in _AUX | _FINITE or _is_past(words[0])):
        return []
    while words and words[-1].lower() in _PREPS | _DETERMINERS:
        words.pop()
    return words


def _complement(s: _Sentence, a: int, core: list[str]) -> list[str]:
    """ "30% of the approximately 5,000 residents ..." -> "residents ..."; "242 of whom" -> the noun before."""
    rest = core[2:] if core[0].lower() == "out" else core[1:]
    if rest and rest[0].lower() in _PARTITIVE:
        noun = _previous_noun(s, "count")
        tail = _core(s, a + 2, limit=6)[0] or _predicate(s, a + 2)
        return [*noun, *tail]
    while rest and (rest[0].lower() in _DETERMINERS - {"those", "these"} or _is_number_word(rest[0])):
        rest.pop(0)
    return rest


def _is_number_word(word: str) -> bool:
    low = word.lower()
    return word[0].isdigit() or low in _WORD_VALUES or low in _QUALIFIER_STARTS or low in _QUALIFIER_WORDS


def _missing_noun(s: _Sentence, b: int, kind: str, has_predicate: bool) -> tuple[list[str], int, bool]:
    """What a figure with no noun after it counts, where to look for its owner, and whether the
    guess is weak: "a total of 10,000", "stood at 155", "men (256)", "130 had been killed"."""
    low = s.word(b)
    previous = _previous_noun(s, kind)
    if b < s.lo or (has_predicate and previous):
        return previous, b, False
    if low == "of":
        words, k = _back_phrase(s, b - 1)
        return words, k, False
    if low in {"at", "to"} and s.word(b - 1) in _LEVEL_VERBS:
        return _clause_subject(s, b - 2), s.lo - 1, False
    if low == "to":
        words, k = _back_phrase(s, b - 1)
        if words and _is_verbal(s.word(k)):
            return words, k, False  # "bringing the total number to 431"
    if low in _AUX or _is_past(low):
        return _clause_subject(s, b), s.lo - 1, False
    if low == "(":
        words, k = _back_phrase(s, b - 1, through_of=True)
        return words, k, False
    if previous and low in {",", "and", "or", "to", "whom", "which"}:
        return previous, b, False
    if previous:
        return previous, b, True
    words, _ = _back_phrase(s, b, limit=4)
    return words, b, True


def _back_phrase(s: _Sentence, k: int, limit: int = 6, through_of: bool = False) -> tuple[list[str], int]:
    """The noun phrase ending at token `k`, read backwards, and the index before it."""
    words: list[str] = []
    while k >= s.lo and len(words) < limit:
        tok = s.tokens[k]
        if tok.text == ")":
            k = _open_paren(s, k) - 1
            continue
        if not tok.is_word or tok.low in _BACK_STOP | _TRAILING | _PRONOUNS or _is_year_token(tok):
            break
        if words and _is_past(tok.text):
            break
        if tok.low in _PREPS and not (through_of and tok.low == "of"):
            break
        words.insert(0, tok.text)
        k -= 1
    while k >= s.lo and s.word(k) in _DETERMINERS:
        k -= 1
    return words, k


def _clause_subject(s: _Sentence, k: int) -> list[str]:
    """The subject of the clause whose verb ends at token `k`: "the average sentence ... has been"."""
    while k >= s.lo and (s.word(k) in _AUX | _ADVERBS | _LEVEL_VERBS | {"to"} or _is_past(s.word(k))):
        k -= 1
    end = k
    while k >= s.lo and s.tokens[k].text not in {",", ";", ":", "(", "—", "–"} and s.word(k) not in _RELATIVE:
        if s.word(k) in _CLAUSE_STOP - _DETERMINERS - _ADVERBS and _names_something(s.tokens[k + 1 : end + 1]):
            break  # "... as the number of returnees", but not "as of early 2019"
        k -= 1
    if k >= s.lo and k == end and s.tokens[k].text in {"—", "–"}:
        return _clause_subject(s, k - 1)  # "the number of returnees – now estimated at"
    words = [t.text for t in s.tokens[k + 1 : end + 1] if t.is_word]
    while words and words[0].lower() in _DETERMINERS | _CLAUSE_STOP | _PREPS:
        words.pop(0)
    cut = next((i for i, w in enumerate(words) if w in _MONTH_WORDS or (w.isdigit() and len(w) == 4)), len(words))
    words = _cut(words[:cut], 8)
    while words and _is_trailing(words[-1]):
        words.pop()
    return words


def _names_something(tokens: list[_Tok]) -> bool:
    skip = _PREPS | _DETERMINERS | _TRAILING
    return any(t.is_word and t.low not in skip and not _is_year_token(t) for t in tokens)


def _previous_noun(s: _Sentence, kind: str = "count") -> list[str]:
    for earlier in reversed(s.done):
        if earlier.noun and earlier.kind == kind:
            return list(earlier.noun)
    return []


def _head(core: list[str]) -> list[str]:
    """The counted noun of a label: its words up to the first preposition or participle."""
    head: list[str] = []
    for word in core:
        if head and (word.lower() in _PREPS or _is_verbal(word) or word.lower() in _RELATIVE):
            break
        head.append(word)
    return head[:4]


def _borrowed_share(s: _Sentence, core: list[str]) -> list[str]:
    """A share listed after one that names its whole: "two-thirds of the contingent, ..., 15
    percent women" -> "women of contingent"; "30 percent of guerrillas ... and 10 percent
    nationwide" -> "guerrillas nationwide"."""
    if len(core) > 2 or any(w.lower() in _PREPS for w in core):
        return core
    for earlier in reversed(s.done):
        if earlier.kind in {"percent", "fraction"} and earlier.share:
            share = " ".join(earlier.share)
            if share in " ".join(core):
                return core
            if not core:
                return [share]
            if len(core) == 1 and core[0].endswith(("wide", "ly")):
                return [share, *core]
            return [*core, "of", share]
    return core


def _subject(s: _Sentence, k: int) -> tuple[str, str] | None:
    """Who has the figure when a verb links them: "KH ... maintain around 7,500" -> ("KH", "maintain")."""
    while k >= s.lo and s.word(k) in _ADVERBS:
        k -= 1
    verb = s.word(k)
    if verb not in _POSSESSION and not (_is_past(verb) and verb not in _NOT_AGENT_VERBS):
        return None
    k -= 1
    while k >= s.lo and (s.word(k) in _AUX | _ADVERBS | {"to"} or _is_past(s.word(k))):
        k -= 1  # "KH was assessed to have"
    words = _subject_words(s, k)
    return (" ".join(words), verb) if words else None


def _subject_words(s: _Sentence, k: int) -> list[str]:
    words: list[str] = []
    while k >= s.lo and len(words) < 8:
        tok = s.tokens[k]
        if tok.text == ")":
            k = _open_paren(s, k) - 1
            continue
        if words and _is_name(words[0]) and tok.low in {"and", "of", "in"}:
            before = s.tokens[k - 1] if k > s.lo else None
            if tok.low != "in" or (before is not None and before.text.islower() and before.low not in _BACK_STOP):
                words.insert(0, tok.text)  # "Kata’ib ... and Saraya ...", "a court in Belgium"
                k -= 1
                continue
        if tok.low in _PREPS:
            return []  # the words were the object of a preposition, not a subject
        if not tok.is_word or tok.low in _BACK_STOP - _DETERMINERS:
            break
        if words and _is_past(tok.text):
            break
        words.insert(0, tok.text)
        if tok.low in _DETERMINERS:
            if s.word(k - 1) in _PREPS:
                return []  # "over the years identified"
            break
        k -= 1
    return _trim_subject(words)


def _trim_subject(words: list[str]) -> list[str]:
    while words and words[0].lower() in (_DETERMINERS - {"the"}) | {"and", "of", "in"}:
        words.pop(0)
    if not words or all(w.lower() in _PRONOUNS for w in words):
        return []
    body = words[1:] if words[0] == "the" else words
    lower = [w for w in body if not _is_name(w) and w.lower() not in {"and", "of"}]
    if any(w.lower() in _PREPS for w in lower):
        return words  # "court in Kosovo", "government of Kosovo"
    if lower and body and (_is_name(body[0]) or all(not _is_name(w) for w in body[: len(lower)])):
        run: list[str] = []
        for word in reversed(words):
            if not (_is_name(word) or (run and word.lower() in {"and", "of"})):
                break
            run.insert(0, word)
        if run:
            return run  # "in Mosul province alone IS" -> "IS"; "the small Harakat ..." -> "Harakat ..."
    return words


def _join_subject(label: str, subject: tuple[str, str]) -> str:
    who, verb = subject
    if verb in _POSSESSION:
        if re.fullmatch(r"[A-Z]{2,6}", who):
            return f"{who} {label}"  # "KH fighters assigned to Syria"
        return f"{label} of {who}"  # "registered personnel of the Special Groups"
    return f"{label} {verb} by {who}"  # "citizens repatriated by the government of Kosovo"


def _inherited_subject(s: _Sentence, b: int) -> tuple[str, str] | None:
    """A count listed right after one with an owner shares it: "7,500 fighters ..., 2,500 fighters"."""
    for earlier in reversed(s.done):
        if earlier.kind != "count":
            continue
        between = s.tokens[earlier.stop : b + 1]
        if earlier.subject is None or len(between) > 8:
            return None
        if any(t.low in _AUX | _RELATIVE or t.text in {";", ":"} or _is_verbal(t.text) for t in between):
            return None
        return earlier.subject
    return None


def _shorten(words: list[str], limit: int = 12) -> str:
    """At most `limit` words, marked as cut."""
    kept = _cut(words, limit)
    return " ".join(kept) + (" …" if len(kept) < len(words) else "")


def _cut(words: list[str], limit: int) -> list[str]:
    """At most `limit` words, cut before a participle or relative clause when one is near the end."""
    if len(words) <= limit:
        return words
    cut = next((i for i in range(limit, 2, -1) if _is_verbal(words[i]) or words[i].lower() in _CUT_BEFORE), limit)
    return words[:cut]


def _tidy(label: str) -> str:
    return re.sub(r"\s+(?=[’']s\b)", "", label).strip()


def _identifier_label(s: _Sentence, read: _Read) -> str:
    """ "PMF brigade number of Harakat al-Abdal": the name before the parenthesis the number is in."""
    if read.follows is not None:
        return read.follows.label
    kind = f"{read.id_name} number"
    k = s.after(read.id_start) - 1
    if s.word(k) != "(":
        return kind
    name = _name_before(s, k - 1)
    return f"{kind} of {name}" if name else kind


def _name_before(s: _Sentence, k: int) -> str:
    words: list[str] = []
    while k >= s.lo and len(words) < 8:
        tok = s.tokens[k]
        stop = _AUX | _RELATIVE | _CLAUSE_STOP | _DETERMINERS | {"and", "or"}
        if not tok.is_word or tok.low in stop or _is_past(tok.text):
            break
        words.insert(0, tok.text)
        k -= 1
    run: list[str] = []
    for word in reversed(words):
        if not _is_name(word):
            break
        run.insert(0, word)
    if len(run) >= 2 or len(run) == len(words):
        return " ".join(run)
    return " ".join(words)


# --- prose --------------------------------------------------------------------------------------


def extract_figures(text: str) -> list[Figure]:
    """Every figure in a prose passage, in reading order, each labelled from its sentence."""
    masked = _mask_markers(text)
    reads = _reads(masked)
    if not reads:
        return []
    tokens = _tokens(masked)
    starts = [t.start for t in tokens]
    figures: list[Figure] = []
    spans = _sentence_spans_near(text, reads)
    current: tuple[int, int] | None = None
    sentence: _Sentence | None = None
    for read in reads:
        span = next((sp for sp in spans if sp[0] <= read.start < sp[1]), (read.start, read.end))
        if span != current or sentence is None:
            current = span
            sentence = _Sentence(tokens, bisect_left(starts, span[0]), bisect_left(starts, span[1]))
        _label(sentence, read)
        sentence.done.append(read)
        figures.append(_figure(text, read, text[span[0] : span[1]]))
    return figures


def _sentence_spans_near(text: str, reads: list[_Read]) -> list[tuple[int, int]]:
    """Sentence spans around the figures. pysbd takes a few milliseconds per passage, so the text
    is first cut where a sentence surely ends (a full stop after a lowercase word or a number,
    before a capital), and only the pieces that hold a figure and a doubtful full stop ("U.S. The")
    go to the segmenter."""
    spans: list[tuple[int, int]] = []
    for start, end in _pieces(text):
        if not any(start <= r.start < end for r in reads):
            continue
        piece = text[start:end]
        if any(
            m.group(1).lower() in _ABBREVIATIONS or not m.group(1)[-1].islower() for m in _DOUBTFUL_END.finditer(piece)
        ):
            spans.extend((start + a, start + b) for a, b in _spans(piece))
        else:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
    return spans


@lru_cache(maxsize=4096)
def _spans(piece: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of a piece of text, remembered: the same passages come back question after question."""
    return tuple(sentence_spans(piece))


def _pieces(text: str) -> list[tuple[int, int]]:
    """The text cut at paragraph breaks and at sure sentence ends."""
    cuts = [0]
    for m in _SURE_END.finditer(text):
        word = m.group("word") or ""
        if word.lower() not in _ABBREVIATIONS:
            cuts.append(m.end())
    cuts.append(len(text))
    return [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def _figure(text: str, read: _Read, sentence: str) -> Figure:
    return Figure(
        text=text[read.text_start : read.end],
        value=read.value,
        value_high=read.high,
        qualifier=read.qualifier,
        unit=read.unit,
        kind=read.kind,
        label=read.label,
        sentence=sentence,
        start=read.text_start,
        end=read.end,
    )


# --- tables -------------------------------------------------------------------------------------

_CELL_VALUE = re.compile(r"(?P<q>[~≈<>≤≥])?\s?(?P<cur>[$€£])?(?P<num>\d[\d,]*(?:\.\d+)?)(?P<pct>%)?(?P<plus>\+)?")
_CELL_PART = r"(?:\d[\d,]*(?:\+\d[\d,]*)?|[-–])"
_CELL_SLASH = re.compile(rf"{_CELL_PART}/{_CELL_PART}")
_CELL_DATE = re.compile(r"(?:\d{1,2}/){1,2}(?:19|20)\d\d|(?:19|20)\d\d")
_CELL_EMPTY = re.compile(r"N/?A|n/?a|[-–—?]")
_SYMBOL_QUALIFIERS = {"~": "approx", "≈": "approx", ">": "more_than", "<": "less_than", "≥": "at_least", "≤": "at_most"}


@dataclass
class _Cell:
    text: str
    start: int
    end: int
    kind: str  # value | slash | date | empty | text
    note: str = ""


def extract_table_figures(row: str, header: str | None, caption: str | None = None) -> list[Figure]:
    """The figures of one table row, each labelled "row label: column name".

    Cells are assigned to the header's columns by position: the first value to the first value
    column, a "sent back/stopped" pair ("183/2,831") to the column whose name has a slash (or the
    one after the first), a month/year to the date column, and the rest right-aligned, so that a
    row with gaps still puts its last values under the last columns. Both halves of a slash pair
    are emitted, labelled with the matching half of the column name ("Morocco: SENTBACK", "Morocco:
    STOP LISTED IN TURKEY"); a half written as a sum ("153+51") counts as its total. Dates, "-" and
    N/A are skipped; a value left over when the columns run out is labelled by its row alone; words
    after a value ("stopped", "women and children") stay in its label. The caption labels the cells
    of a row that has no label of its own.
    """
    label, cells = _row_cells(row)
    values = [c for c in cells if c.kind != "text"]
    columns = _columns(header, len(values)) if header else []
    if columns and (columns[0].lower() in _ROW_NAMES or (label and len(columns) == len(values) + 1)):
        columns = columns[1:]
    sentence = f"{header} | {row}" if header else row
    context = label or _caption_text(caption)
    notes = _column_notes(columns, caption)
    figures: list[Figure] = []
    for cell, column in _assign(values, columns):
        described = f"{column} ({notes[column]})" if column in notes else column
        figures.extend(_cell_figures(cell, described, context, sentence))
    return figures


_ENUMERATED_ITEM = re.compile(
    r"\((?P<n>i{1,3}|iv|v|vi{1,3}|ix|x)\)\s*(?P<item>[^;()]+?)\s*(?=[;,]?\s*(?:and,?\s*)?\((?:i{1,3}|iv|v|vi{1,3}|ix|x)\)|[;.]?\s*$)"
)
_NOT_VALUES = {"date", "dates", "year", "as of", "period", "source", "sources"}


def _column_notes(columns: list[str], caption: str | None) -> dict[str, str]:
    """What cryptic columns mean, when the caption enumerates them in order: "Foreign Fighters who
    have (i) gone to Syria or Iraq; ... (iii) remain fighting; and, (iv) returned" explains FFs, ...,
    REMAIN, RETURNED."""
    if not caption:
        return {}
    items = [" ".join(m.group("item").split()) for m in _ENUMERATED_ITEM.finditer(_mask_markers(caption))]
    value_columns = [c for c in columns if c.lower() not in _NOT_VALUES]
    if len(items) < 2 or len(items) != len(value_columns):
        return {}
    return {column: item for column, item in zip(value_columns, items, strict=True) if item.lower() != column.lower()}


def _row_cells(row: str) -> tuple[str | None, list[_Cell]]:
    masked = _mask_markers(row)
    cells: list[_Cell] = []
    pending: tuple[int, str] | None = None
    for m in re.finditer(r"\S+", masked):
        text, start = m.group(), m.start()
        if pending is not None:  # "~ 70"
            text, start, pending = pending[1] + masked[pending[0] + 1 : m.start()] + text, pending[0], None
        if text in _SYMBOL_QUALIFIERS:
            pending = (start, text)
            continue
        cells.append(_Cell(row[start : m.end()], start, m.end(), _cell_kind(text)))
    label_end = next((i for i, c in enumerate(cells) if c.kind != "text"), len(cells))
    label = row[cells[0].start : cells[label_end - 1].end] if label_end else None
    kept: list[_Cell] = []
    for cell in cells[label_end:]:
        if cell.kind == "text" and kept:
            kept[-1].note = f"{kept[-1].note} {cell.text}".strip()
        elif cell.kind != "text":
            kept.append(cell)
    return label, kept


def _cell_kind(text: str) -> str:
    if _CELL_DATE.fullmatch(text):
        return "date"
    if _CELL_VALUE.fullmatch(text):
        return "value"
    if _CELL_SLASH.fullmatch(text):
        return "slash"
    if _CELL_EMPTY.fullmatch(text):
        return "empty"
    return "text"


def _columns(header: str, needed: int) -> list[str]:
    """Column names: a note marker ends a name; other runs split into words unless they read as
    one phrase ("SENTBACK/STOP LISTED IN TURKEY"); a leading row-label name stands alone."""
    groups = [g.split() for g in _MARKER.split(header) if g.strip()]
    names: list[str] = []
    for index, words in enumerate(groups):
        if index == 0 and len(words) > 1 and words[0].lower() in _ROW_NAMES:
            names.append(words.pop(0))
        if len(words) > 1 and not any("/" in w or w.lower() in _PHRASE_WORDS for w in words):
            names.extend(words)
        else:
            names.append(" ".join(words))
    if len(names) < needed:
        names = [w for name in names for w in name.split()]
    return names


def _assign(cells: list[_Cell], columns: list[str]) -> list[tuple[_Cell, str | None]]:
    if not columns:
        return [(c, None) for c in cells]
    date_column = next((c for c in columns if _DATE_COLUMN.search(c)), None)
    value_columns = [c for c in columns if c != date_column]
    has_slash = any(c.kind == "slash" for c in cells)
    slash_column = next((c for c in value_columns if "/" in c), None)
    if slash_column is None and has_slash and len(value_columns) > 1:
        slash_column = value_columns[1]
    pairs: list[tuple[_Cell, str | None]] = []
    rest: list[_Cell] = []
    first_column: str | None = None
    for cell in cells:
        if cell.kind == "date":
            pairs.append((cell, date_column))
        elif cell.kind == "slash":
            pairs.append((cell, slash_column))
        elif first_column is None and value_columns:
            first_column = value_columns[0]
            pairs.append((cell, first_column))
        else:
            rest.append(cell)
    free = [c for c in value_columns if c not in {first_column, slash_column}]
    fitted = min(len(rest), len(free))
    pairs.extend((cell, None) for cell in rest[: len(rest) - fitted])
    pairs.extend(zip(rest[len(rest) - fitted :], free[len(free) - fitted :], strict=True))
    return sorted(pairs, key=lambda pair: pair[0].start)


def _cell_figures(cell: _Cell, column: str | None, context: str | None, sentence: str) -> list[Figure]:
    if cell.kind in {"date", "empty"}:
        return []
    if cell.kind == "slash":
        return _slash_figures(cell, column, context, sentence)
    match = _CELL_VALUE.fullmatch(_mask_markers(cell.text).strip())
    if match is None:
        return []
    label = _cell_label(context, column, cell.note)
    qualifier = _SYMBOL_QUALIFIERS.get(match["q"] or "", "more_than" if match["plus"] else "exact")
    unit, kind = ("percent", "percent") if match["pct"] else (None, "count")
    if match["cur"]:
        unit, kind = _CURRENCIES[match["cur"]], "money"
    value = float(match["num"].replace(",", ""))
    text = cell.text.strip()
    return [Figure(text, value, None, qualifier, unit, kind, label, sentence, cell.start, cell.start + len(text))]


def _slash_figures(cell: _Cell, column: str | None, context: str | None, sentence: str) -> list[Figure]:
    halves = column.split("/") if column else []
    names = [h.strip() for h in halves] if len(halves) == 2 else [f"{column} (first)", f"{column} (second)"]
    figures: list[Figure] = []
    offset = cell.start
    for part, name in zip(cell.text.split("/"), names, strict=False):
        numbers = re.findall(r"\d[\d,]*", part)
        if numbers:
            value = sum(float(n.replace(",", "")) for n in numbers)
            label = _cell_label(context, name if column else None, "")
            figures.append(
                Figure(part, value, None, "exact", None, "count", label, sentence, offset, offset + len(part))
            )
        offset += len(part) + 1
    return figures


def _cell_label(context: str | None, column: str | None, note: str) -> str:
    label = ": ".join(x for x in (context, column) if x) or "value"
    return f"{label} ({note})" if note else label


def _caption_text(caption: str | None) -> str | None:
    if not caption:
        return None
    text = re.sub(r"^\s*Table\s*\d*\s*[:.]?\s*", "", _mask_markers(caption)).strip()
    return " ".join(text.split()) or None
