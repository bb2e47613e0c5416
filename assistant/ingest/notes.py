"""Footnote reference markers: find them in extracted text and set them apart as `[n]`.

PDF extraction glues superscript note numbers to the words and numbers they follow
("al-Rashid,4", "Lisbon91", "division 14112)", "~118177") and, in tables, leaves them as free
numbers between the cells ("Portugal 97 2,926 -/4,605 98 >800 99"). Left alone they pollute tokens
and corrupt figures; deleted, they vanish silently. Here they become separate `[n]` markers.

The method is general rather than per row: within a document, note numbers run in sequence.
Markers glued after punctuation or a word are strong evidence on their own once a neighbouring
marker confirms the run; every weaker candidate (a free number in a table, digits glued to a
number, a free number in prose) is accepted only where it is exactly the next number of the run.
Lettered notes ("troopsh", "personnel.i") are split only against labels that the document
defines as note bodies, and only when the glued word is not a word of its own.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wordfreq import zipf_frequency

from assistant.text.numbers import dates_in
from assistant.text.periods import fiscal_code
from assistant.text.vocabulary import currency_signs, word_set

_SIGNS = currency_signs()

_WORD_CHARS = r"A-Za-z\u00C0-\u024F"
_CLOSERS = "\"'”’)\\]"

# digits glued after closing punctuation that follows a word: "Peru,19", "sales).46", "guys.'1"
_AFTER_PUNCT = re.compile(
    rf"(?<=[{_WORD_CHARS}{_CLOSERS}%])[.,;)”’\"']+(?P<num>\d{{1,3}})(?![\d,./]?\d)(?![{_WORD_CHARS}])"
)
# digits glued straight onto a word: "Lisbon91", "countries6", "TURKEY20", "EU180"
_AFTER_WORD = re.compile(rf"(?<=[{_WORD_CHARS}]{{2}})(?P<num>\d{{1,3}})(?![\d,./]?\d)(?![{_WORD_CHARS}])")
# any run of non-space characters ending in digits, for splits such as "14112)" or "~118177"
_NUMERIC_TOKEN = re.compile(rf"(?<!\S)(?P<tok>[~<>{_SIGNS}]?[-\d][\d,./\-+;]*\d)(?=[)\].,;:]*(?:\s|$))")
# a free-standing small integer
_FREE_NUMBER = re.compile(r"(?<![\S])(?P<num>\d{1,3})(?=[).,;:]?(?:\s|$))")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_DATE = re.compile(r"^\d{1,2}/(\d{2}|\d{4})$|^\d{1,2}/\d{1,2}/\d{2,4}$")
_WELL_FORMED = re.compile(rf"^[~<>{_SIGNS}]?(\d{{1,3}}(,\d{{3}})+|\d+)(\.\d+)?$|^[~<>]?\d[\d,]*/-?$|^-$|^\d[\d,]*/-$")

# apostrophes are left out: "Iran’s" ends in a possessive, not note s
_LETTER_AFTER_PUNCT = re.compile(
    rf"(?<=[{_WORD_CHARS}0-9]{{2}})(?P<punct>[.,;:)”\"]*[.,;)”\"])(?P<label>[a-z]{{1,2}})(?=[\s,.;:)\]—–]|$)"
)
_LETTER_FREE = re.compile(r"(?<=[\d.;)”\"\]] )(?P<label>[a-z]{1,2})(?=\s|$)")
_NUMBERING = word_set("figure_words", "references.words") | word_set("figure_words", "identifiers.nouns")
_REFERENCE = re.compile(rf"\b(?:{'|'.join(sorted(_NUMBERING))})s?\.?\s*$", re.IGNORECASE)
_SPLIT_MIN_DIGITS = 4  # "16" is sixteen, not note 6 after a one; "14112)" is brigade 14, note 112
_WORD = re.compile(rf"[{_WORD_CHARS}][{_WORD_CHARS}'’]*[{_WORD_CHARS}]")
_WORD_BEFORE = re.compile(rf"(?<![{_WORD_CHARS}])[{_WORD_CHARS}]+$")

# Two markers count as one run when they are this close in value and position.
_RUN_STEP = 3
_RUN_WINDOW = 6
# How far ahead a bare number in a table looks for the run going on.
_RUN_LOOKAHEAD = 64


@dataclass(frozen=True)
class Segment:
    """One block of text, in document order; a text layout's table rows allow free-standing
    markers between their cells; a cell of a table cut into cells is a value and is split only
    where a marker is glued to a word or punctuation."""

    text: str
    is_table: bool = False
    is_cell: bool = False


@dataclass
class _Candidate:
    segment: int
    start: int  # where the marker digits or letters begin in the segment text
    end: int
    value: int
    strong: bool
    kind: str  # "punct", "word", "split", "free"


def mark_notes(segments: Sequence[Segment], labels: Iterable[str] = ()) -> list[str]:
    """Return the segment texts with footnote markers rewritten as `[n]` / `[a]`."""
    numeric = _accepted_numeric(segments)
    lettered = _accepted_letters(segments, set(labels), numeric)
    out = []
    for index, segment in enumerate(segments):
        spans = sorted(numeric.get(index, []) + lettered.get(index, []))
        out.append(_rewrite(segment.text, spans))
    return out


def _rewrite(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        pieces.append(text[cursor:start])
        pieces.append(f"[{text[start:end]}]")
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


# --- numbered notes -------------------------------------------------------------------------


def _accepted_numeric(segments: Sequence[Segment]) -> dict[int, list[tuple[int, int]]]:
    strong = _strong_candidates(segments)
    accepted = _confirmed_runs(strong)
    weak = _weak_candidates(segments, {(c.segment, c.start) for c in accepted})
    # Weak candidates, and strong ones no neighbour confirmed, join only as the run's next number.
    confirmed_ids = {id(c) for c in accepted}
    pending = sorted(weak + [c for c in strong if id(c) not in confirmed_ids], key=_position)
    ordered = sorted(accepted, key=_position)
    everything = sorted(pending + ordered, key=_position)
    keys = [_position(c) for c in everything]
    # Candidates are judged in document order, so what was accepted before one is the confirmed
    # markers up to it plus the pending ones accepted so far: both are followed with a cursor.
    confirmed = ordered
    taken: list[_Candidate] = []
    seen = [0, 0]  # how many of `confirmed` and of `taken` lie before the candidate
    highest = 0
    for candidate in pending:
        key = _position(candidate)
        for accepted_so_far, count in ((confirmed, 0), (taken, 1)):
            while seen[count] < len(accepted_so_far) and _position(accepted_so_far[seen[count]]) < key:
                highest = max(highest, accepted_so_far[seen[count]].value)
                seen[count] += 1
        nearest = [group[seen[n] - 1] for n, group in enumerate((confirmed, taken)) if seen[n]]
        before = max(nearest, key=_position, default=None)
        in_table = segments[candidate.segment].is_table
        if before is None:
            if candidate.kind == "split":
                continue  # digits glued to a number ("94111") only continue a run already seen
            expected = {1}
        else:
            # the run's next number; in a table one marker may have been lost to a merged cell,
            # and a table set beside the text resumes after the highest number already seen
            expected = {before.value + 1, highest + 1} | ({before.value + 2} if in_table else set())
        if candidate.value not in expected:
            continue
        after = bisect.bisect_right(keys, key)
        if (
            candidate.kind == "free"
            and in_table
            and not _run_goes_on(candidate, everything[after : after + _RUN_LOOKAHEAD])
        ):
            continue  # a bare number in a table is a marker only if the run visibly goes on after it
        if candidate.kind == "free" and not in_table:
            # A free number in prose needs the run's marker right before it and the very next
            # candidate to continue the run, and must not follow a word that numbers things.
            following = everything[after] if after < len(everything) else None
            if before is None or following is None or following.value != candidate.value + 1:
                continue
            if _REFERENCE.search(segments[candidate.segment].text[max(0, candidate.start - 12) : candidate.start]):
                continue
        taken.append(candidate)
    spans: dict[int, list[tuple[int, int]]] = {}
    for candidate in sorted(confirmed + taken, key=_position):
        spans.setdefault(candidate.segment, []).append((candidate.start, candidate.end))
    return spans


def _position(candidate: _Candidate) -> tuple[int, int]:
    return candidate.segment, candidate.start


def _strong_candidates(segments: Sequence[Segment]) -> list[_Candidate]:
    found = []
    for index, segment in enumerate(segments):
        for match in _AFTER_PUNCT.finditer(segment.text):
            found.append(_Candidate(index, match.start("num"), match.end("num"), int(match["num"]), True, "punct"))
        for match in _AFTER_WORD.finditer(segment.text):
            word = _WORD_BEFORE.search(segment.text, 0, match.start("num"))
            if word is not None and fiscal_code(word.group() + match["num"]):
                continue  # "FY19" is a fiscal year, not "FY" and note 19
            found.append(_Candidate(index, match.start("num"), match.end("num"), int(match["num"]), True, "word"))
    return sorted(found, key=lambda c: (c.segment, c.start))


def _confirmed_runs(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep strong candidates that a nearby marker confirms (n-1..n-3 before or n+1..n+3 after)."""
    kept = []
    for i, candidate in enumerate(candidates):
        before = candidates[max(0, i - _RUN_WINDOW) : i]
        after = candidates[i + 1 : i + 1 + _RUN_WINDOW]
        confirmed = any(0 < candidate.value - other.value <= _RUN_STEP for other in before) or any(
            0 < other.value - candidate.value <= _RUN_STEP for other in after
        )
        # An article's first note or two may stand alone.
        if confirmed or (candidate.kind == "punct" and candidate.value <= 2):
            kept.append(candidate)
    return kept


def _weak_candidates(segments: Sequence[Segment], taken: set[tuple[int, int]]) -> list[_Candidate]:
    found = []
    for index, segment in enumerate(segments):
        if segment.is_cell:
            continue
        text = segment.text
        dates = dates_in(text)
        for match in _NUMERIC_TOKEN.finditer(text):
            token = match["tok"]
            if _YEAR.match(token) or _DATE.match(token):
                continue
            start = match.start("tok")
            for width in (1, 2, 3):
                head, tail = token[:-width], token[-width:]
                if not head or not tail.isdigit() or tail.startswith("0") or not _WELL_FORMED.match(head.rstrip(".,;")):
                    continue
                if sum(ch.isdigit() for ch in token) < _SPLIT_MIN_DIGITS:
                    continue
                if "." in head.rstrip("."):
                    continue  # "0.00001", "14.54": the digits of a fraction are the number's own
                if head.endswith(".") and not (re.search(r"\d{3}\.$|,\d{3}\.$", head)):
                    continue  # "3.5" is a decimal; "2014.7" and "10,000.20" are a number and a note
                if head.endswith(".") and _READ_ON.match(text, match.end("tok")):
                    continue  # "$4,073.9 million": a decimal the sentence reads on from
                if head.endswith(".") and _AFTER_SIGN.search(text, max(0, start - 2), start):
                    continue  # "$ 9,875.7": an amount of money keeps its decimals
                if head.endswith(".") and _VALUE_NEXT.match(text, match.end("tok")):
                    continue  # "207.0 199.3 79.1": a row of values, each whole
                pos = start + len(token) - width
                if (index, pos) not in taken and not _inside(pos, dates):
                    found.append(_Candidate(index, pos, pos + width, int(tail), False, "split"))
        for match in _FREE_NUMBER.finditer(text):
            pos = match.start("num")
            if (index, pos) not in taken and not _inside(pos, dates):
                found.append(_Candidate(index, pos, match.end("num"), int(match["num"]), False, "free"))
    return found


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` falls in one of `spans` (in order, not overlapping)."""
    n = bisect.bisect_right(spans, position, key=lambda span: span[0]) - 1
    return n >= 0 and position < spans[n][1]


_AFTER_SIGN = re.compile(rf"[{_SIGNS}]\s?$")
# What follows a number that a sentence goes on from: a lower-case word, a comma or a bracket.
_READ_ON = re.compile(r"\s*(?:[a-z%,;)]|\s[a-z])")
# What follows a value in a row of values: another value.
_VALUE_NEXT = re.compile(rf"\s+[(\-−{_SIGNS}]*\d")


def _run_goes_on(candidate: _Candidate, following: list[_Candidate], reach: int = 3) -> bool:
    """The next number of the run follows shortly (among the candidates `following` it), and the
    same number is not met again glued to a word (which would make that one the marker and this
    one a value)."""
    later = list(itertools.takewhile(lambda c: c.segment <= candidate.segment + reach, following))
    if any(c.value == candidate.value and c.kind != "free" for c in later):
        return False
    return any(c.value in (candidate.value + 1, candidate.value + 2) for c in later)


# --- lettered notes -------------------------------------------------------------------------


def _accepted_letters(
    segments: Sequence[Segment], labels: set[str], numeric: dict[int, list[tuple[int, int]]]
) -> dict[int, list[tuple[int, int]]]:
    if not labels:
        return {}
    vocabulary = Counter(word.lower() for segment in segments for word in _WORD.findall(segment.text))
    spans: dict[int, list[tuple[int, int]]] = {}
    for index, segment in enumerate(segments):
        text = segment.text
        found: list[tuple[int, int]] = []
        for match in _LETTER_AFTER_PUNCT.finditer(text):
            label = match["label"]
            following = text[match.end() : match.end() + 2]
            if label in labels and not re.match(r"\.[A-Za-z]", following):
                found.append((match.start("label"), match.end("label")))
        for match in _WORD.finditer(text):
            split = _glued_label(match.group(), labels, vocabulary)
            if split:
                found.append((match.end() - len(split), match.end()))
        marker_ends = {end for _, end in numeric.get(index, [])}
        for match in _LETTER_FREE.finditer(text):
            label = match["label"]
            before = match.start() - 1  # the space; before it, a numbered marker or a sentence's end
            after_marker = before in marker_ends
            if label not in labels or (text[before - 1].isdigit() and not after_marker):
                continue
            if label in {"a", "i"} and not after_marker:
                continue  # the article "a" and the pronoun "I" only count right after a marker
            found.append((match.start("label"), match.end("label")))
        if found:
            spans[index] = sorted(set(found))
    return spans


def _glued_label(token: str, labels: set[str], vocabulary: Counter[str]) -> str | None:
    """The label glued to the end of `token` ("troopsh" -> "h"), if that is what it is."""
    lowered = token.lower()
    if vocabulary[lowered] > 1 or zipf_frequency(lowered, "en") > 0:
        return None
    for width in (1, 2):
        stem, label = lowered[:-width], lowered[-width:]
        if label not in labels or len(stem) < 3 or not token[-width:].islower():
            continue
        known = vocabulary[stem] > 0 or zipf_frequency(stem, "en") >= 3.0
        if not known and stem.endswith("s"):
            known = vocabulary[stem[:-1]] > 0
        if known:
            return token[-width:]
    return None
