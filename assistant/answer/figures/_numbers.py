"""Reading numbers in prose: number atoms (digits, number words, fractions, "a dozen"), the
qualifier, currency or range word before them, the unit or suffix after them, ranges and ratios,
and the rules that leave out numbers that are not quantities (years, dates, pages, note and list
numbers) or keep them as identifiers ("Route 66", "unit 4").

Each numeric expression becomes a `_Read`, not yet labelled: labelling reads its sentence's words
afterwards, so this scan stays a pass of regular expressions over the masked text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from assistant.text.vocabulary import currency_of

from ._lexicon import (
    _CURRENCY,
    _DENOMINATORS,
    _IDENTIFIER_NOUNS,
    _MONTHS,
    _ONE_STOP,
    _ONES,
    _QUALIFIER_WORDS,
    _RANGE_WORDS,
    _SCALES,
    _TEENS,
    _TENS,
    _UNITS,
    _WORD_VALUES,
    unit_named,
)

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
    rf"(?:(?<![A-Za-z])(?P<cur>{_CURRENCY}))?\s*$",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(
    r"(?:\s?%|\s?per\s?cent|\s?percent)?(?:\s?[-–]\s?|\s+(?P<word>to|and|or)\s+)"
    rf"(?:(?:about|around|approximately|nearly|some)\s+)?(?:{_CURRENCY})?",
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
    rf"\s*\((?:about|approximately|around|some|roughly|c\.|~)?\s*(?:{_CURRENCY})?\s*\d[\d,.]*\s*[A-Za-z]*\s*\)"
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
    rf"(?P<org>\b[A-Z]{{2,5}}\s+)?(?P<kw>\b(?:{'|'.join(sorted(_IDENTIFIER_NOUNS))})s?\b)\s*$", re.IGNORECASE
)
_LIST_JOIN = re.compile(r"\s*(?:,|&|and|,\s*and)\s*")


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
    id_name: str | None = None  # for identifiers: "NY route"
    id_start: int = 0  # where "NY route" begins
    follows: _Read | None = None  # the identifier this one is listed after ("routes 45, 56")
    label: str = ""
    stop: int = 0  # token index after the noun phrase the label was read from
    noun: list[str] = field(default_factory=list)  # what the figure counts, for later elided ones
    share: list[str] = field(default_factory=list)  # the whole a share is of: "30% of residents"
    subject: tuple[str, str] | None = None  # (owner, verb): ("KH", "maintain")
    parent: list[str] = field(default_factory=list)  # the whole a listed count is part of


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
        read.unit, read.kind = currency_of(prefix["cur"]) or prefix["cur"], "money"
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
        unit = unit_named(suffix["unit"])
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
    """Unit and road numbers: "NY route 39", "routes 45, 56, 57", "Highway 20"."""
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
