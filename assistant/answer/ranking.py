"""Which figure answers the question: ranking the numbers of the cited passages, and grouping
figures that disagree.

A figure is as good as the sentence it stands in (scored against the question by the answering
step), how well what it counts matches what is asked (its label, by meaning and by words; what the
question says happened, "have returned home", tells apart the columns of one table row), whether it
is about the people asked about (a table cell whose row does not name them is not), and whether it
is the kind of number asked for: "how many" wants a count, "what share" a percentage,
"how much did ... pay" money, "longer than how many days" a duration, "what route number" an
identifier. Unit numbers are never an answer unless asked for, nor is a number the question itself
gives ("from 33 countries") where its sentence gives another; "the most a person could pay" of
"between $7,000 and $10,000" is the range's upper end. Figures from different sources that count
the same thing with different values are grouped, so that the reader sees them side by side
instead of one picked silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.search.followups import subject_of
from assistant.search.retrieval import Hit
from assistant.search.statements import asked_items, row_items, statement_of
from assistant.text.function_words import (
    AUXILIARIES,
    CONJUNCTIONS,
    COPULAS,
    DETERMINERS,
    PREPOSITIONS,
    PRONOUNS,
    STOPWORDS,
)
from assistant.text.markers import strip_markers
from assistant.text.paraphrases import paraphrased
from assistant.text.periods import quarters_in, relative_year, years_in
from assistant.text.vocabulary import currency_signs, word_set
from assistant.text.words import WORD, matches, stem, stems, words

from .figures import Figure, extract_figures, row_figures, unit_kind
from .sentences import Candidate, Relevance, Scored
from .weights import WEIGHTS

_NUMBERED = "|".join(sorted(word_set("figure_words", "identifiers.nouns")))
_ASKED_KINDS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), frozenset(kinds))
    for pattern, kinds in (
        (r"\bhow many times\b|\bhow many-fold\b", {"multiplier"}),
        (rf"\b(?:{_NUMBERED}|road) number\b|\bwhat number (?:does|do|is)\b", {"identifier"}),
        (
            r"\b(?:share of|market share|percentage|percent|proportion|fraction|cut|portion)\b|\bhow much of\b",
            {"percent", "fraction"},
        ),
        (
            r"\bhow much (?:money|did|does|do|was|were|is)\b|\bcost\b|\bpa(?:y|id)\b|\bprice\b|\bfine[ds]?\b|"
            r"\bfund(?:s|ing|ed)?\b|\bwire[ds]?\b|\bmoney\b|\bdollars?\b|\beuros?\b|\bbudget\b|\bsalar(?:y|ies)\b",
            {"money"},
        ),
        (r"\bhow (?:long|far|wide|deep)\b|\blength\b|\bdistance\b", {"distance", "duration"}),
        (r"\bhow (?:old|many years)\b|\bage\b", {"duration"}),
        (r"\bhow many\b|\bnumber of\b|\bhow (?:large|big|strong)\b|\bstrength\b|\bsize\b|\bheadcount\b", {"count"}),
    )
)


@dataclass(frozen=True)
class RankedFigure:
    figure: Figure
    citation: int  # passage number
    doc_id: str
    score: float
    group: int | None = None
    counts_asked: float = 0.0  # how much of what is asked the words around the figure cover
    origin: Scored | None = None  # the scored sentence (or table row) it was read from
    formula: str | None = None  # for a derived figure: how it was computed ("(44.1 − 56.7) / 56.7 = -22.22%")
    derived_from: tuple[RankedFigure, ...] = ()  # for a derived figure: its operands, each with its citation


@dataclass(frozen=True)
class Conflict:
    label: str
    members: tuple[int, ...]  # indices into the ranked figures
    sources: tuple[str, ...]


_HOW_MANY = re.compile(r"\bhow many ([a-z]+)", re.IGNORECASE)


def asked_kinds(question: str) -> frozenset[str]:
    """The kinds of number a question asks for (empty when it does not say). How many of a unit
    asks for what the unit measures: "longer than how many days" a duration, not a count."""
    unit = _HOW_MANY.search(question)
    if unit and (kind := unit_kind(unit.group(1))) is not None:
        return frozenset({kind})
    kinds: set[str] = set()
    for pattern, wanted in _ASKED_KINDS:
        if pattern.search(question):
            kinds |= wanted
            if "count" not in wanted:
                break  # "how many times", "what share": the more specific reading wins
    return frozenset(kinds)


# "The most" or "the least" asks for the amount when a determiner, a pronoun or a verb follows it
# ("the most a person could pay", "the most anyone paid"), not an adjective ("the most powerful").
_AMOUNT_AFTER = "|".join(sorted(DETERMINERS | PRONOUNS | AUXILIARIES | {"one", "anyone", "someone", "per"}))
_AS_AMOUNT = rf"(?=\s+(?:{_AMOUNT_AFTER})\b|\s*[?,.]|$)"
_BOUNDS = (
    ("high", rf"at most|up to how|maximum|upper (?:bound|end|limit)|the (?:most|highest){_AS_AMOUNT}"),
    ("low", rf"at least|minimum|lower (?:bound|end|limit)|the (?:least|lowest|fewest){_AS_AMOUNT}"),
)
_BOUND_PATTERNS = tuple((side, re.compile(rf"\b(?:{words})", re.IGNORECASE)) for side, words in _BOUNDS)
_NUMBER_IN_TEXT = re.compile(rf"(?:[{currency_signs()}]\s?)?\d(?:[\d,.]*\d)?")


def asked_bound(question: str) -> str | None:
    """ "high" when a question asks for the most something came to, "low" for the least; else None."""
    return next((side for side, pattern in _BOUND_PATTERNS if pattern.search(question)), None)


def bound_of(figure: Figure, side: str) -> Figure:
    """The end of a range a question asks for, as the source writes it: "$10,000" of "between
    $7,000 and $10,000", at most that ("high") or at least ("low"); any other figure as it is."""
    if figure.qualifier != "range" or figure.value_high is None:
        return figure
    numbers = list(_NUMBER_IN_TEXT.finditer(figure.text))
    if len(numbers) < 2:
        return figure
    if side == "high":
        start, end, value, qualifier = numbers[-1].start(), len(figure.text), figure.value_high, "at_most"
    else:
        start, end, value, qualifier = numbers[0].start(), numbers[0].end(), figure.value, "at_least"
    return replace(
        figure,
        text=figure.text[start:end].strip(),
        value=value,
        value_high=None,
        qualifier=qualifier,
        start=figure.start + start,
        end=figure.start + end,
    )


_NOT_A_NUMBER = re.compile(r"^\W*(?:and\s+|but\s+)?(?:who|whom|whose|where|why|when|which)\b", re.IGNORECASE)


def asks_for_words(question: str) -> bool:
    """A question that wants a name, a place, a reason or a time ("Which company owns
    the brand?"), not a number: its figures are not answers and are not offered as such."""
    return bool(_NOT_A_NUMBER.match(question)) and not asked_kinds(question)


def figures_of(hits: Sequence[Hit], scored: Sequence[Scored]) -> list[tuple[Figure, Scored, Hit]]:
    """Every figure of the cited passages, with the scored sentence it stands in."""
    out: list[tuple[Figure, Scored, Hit]] = []
    for item in scored:
        candidate = item.candidate
        hit = hits[candidate.passage - 1]
        if candidate.table is not None:
            found = row_figures(candidate.table, candidate.row, candidate.text)
        elif candidate.in_table:
            found = []
        else:
            found = extract_figures(candidate.text)
        out.extend((figure, item, hit) for figure in found)
    return out


def rank_figures(
    question: str,
    question_relevance: Relevance,
    hits: Sequence[Hit],
    scored: Sequence[Scored],
    embed: Callable[[list[str]], np.ndarray],
    own_words: str | None = None,
    limit: int | None = WEIGHTS.max_figures,
    named: Collection[str] = (),
) -> tuple[list[RankedFigure], list[Conflict]]:
    """Figures best first (the first is the best single numeric answer; at most `limit`, or all)
    and the conflicts among the first few. `own_words` is the question as the user typed it, when
    it was resolved against history: its words say what this turn wants that the earlier one did not.
    `named` are the documents of the publisher or author the question names: a figure from another's
    counts less ("eBay's capital expenditures" are not another company's)."""
    found = figures_of(hits, scored)
    if not found:
        return [], []
    side = asked_bound(question)
    if side is not None:  # "the most a person could pay" of "between $7,000 and $10,000": its upper end
        found = [(bound_of(figure, side), sentence, hit) for figure, sentence, hit in found]
    wanted = asked_kinds(question)
    names = entity_terms(question)
    asked = focus(question, names)
    weights = dict.fromkeys(asked, 1.0)
    if own_words:  # this turn's own words say what it adds to the conversation: they count double
        mine = focus(own_words, names)
        weights |= dict.fromkeys(mine, 2.0)
        asked = mine + [w for w in asked if w not in mine]
    total = max(1.0, sum(weights.values()))
    predicate = _predicate(question, names)
    places = set(question_relevance.places)
    # a number the question gives ("from 33 countries") is not the one it asks, where the same
    # sentence or row gives another; alone, it marks where the answer is (a date asked of it)
    given = _given(question)
    stated = [_stated(figure, given) for figure, _, _ in found]
    answering = {(hit.chunk.doc_id, f.sentence) for (f, _, hit), said in zip(found, stated, strict=True) if not said}

    def share(words: list[str]) -> float:
        present = frozenset(stem(word) for word in words)
        return sum(w for term, w in weights.items() if matches(term, present)) / total

    labels = [_describe(figure, hit) for figure, _, hit in found]
    around = [_around(figure, sentence.candidate.text) for figure, sentence, _ in found]
    # what the figure counts, in its own words: the verb before it, its label, the words after it
    counted = [
        focus(f"{before} {_counts(figure)} {after}", names)
        for (figure, _, _), (before, after) in zip(found, around, strict=True)
    ]
    vectors = embed([" ".join(asked), *labels, *(" ".join(words) for words in counted)])
    label_similarity = vectors[1 : 1 + len(found)] @ question_relevance.vector
    counted_similarity = vectors[1 + len(found) :] @ vectors[0]
    asked_years = years_in(question)
    # "of women and children, how many women ...": where the thing counted names a column of a row,
    # the row's other columns the question names elsewhere are not what it counts
    counted_noun, _ = subject_of(question)
    counted_rows = {
        (hit.chunk.doc_id, figure.sentence)
        for figure, _, hit in found
        if counted_noun and column_fit(figure, counted_noun) > 0
    }
    best: dict[tuple[str, str, str], RankedFigure] = {}
    for n, (figure, sentence, hit) in enumerate(found):
        covered = share(counted[n])
        fit = period_fit(figure, sentence.candidate, question, asked_years)
        score = (
            WEIGHTS.figure_sentence * sentence.score
            + WEIGHTS.figure_label * float(label_similarity[n])
            + WEIGHTS.figure_counted * float(counted_similarity[n])
            + WEIGHTS.figure_covered * covered
            + WEIGHTS.figure_label_terms * question_relevance.coverage(labels[n])
            + WEIGHTS.predicate * _share_of(predicate, counted[n])
            + _kind_fit(figure, wanted)
            + (WEIGHTS.period_match * fit if fit > 0 else WEIGHTS.period_mismatch * fit)
            + WEIGHTS.column_words
            * _column_asked(figure, question, counted_noun, (hit.chunk.doc_id, figure.sentence) in counted_rows)
            + WEIGHTS.row_words * row_fit(figure, question)
            + WEIGHTS.statement_row * statement_item(figure, sentence.candidate, question)
            - _elsewhere(figure, places, labels[n], f"{hit.text} {hit.before}")
            - (WEIGHTS.other_source if named and hit.chunk.doc_id not in named else 0.0)
            - (WEIGHTS.given if stated[n] and (hit.chunk.doc_id, figure.sentence) in answering else 0.0)
        )
        ranked = RankedFigure(
            figure, sentence.candidate.passage, hit.chunk.doc_id, round(score, 4), None, covered, sentence
        )
        key = (hit.chunk.doc_id, figure.sentence, figure.text)
        if key not in best or best[key].score < ranked.score:
            best[key] = ranked
    figures = sorted(best.values(), key=lambda ranked: -ranked.score)
    shown, conflicts = _with_conflicts(figures[: WEIGHTS.max_figures], set(question_relevance.places))
    return [*shown, *figures[len(shown) :]][:limit], conflicts


def _given(question: str) -> list[float]:
    """The numbers a question states ("from 33 countries", "of the 2,300 nationals"): what it
    starts from, not what it asks (years are periods, not figures)."""
    return [v for f in extract_figures(question) for v in (f.value, f.value_high) if v is not None]


def _stated(figure: Figure, given: list[float]) -> bool:
    return any(math.isclose(v, g) for g in given for v in (figure.value, figure.value_high) if v is not None)


def period_fit(figure: Figure, candidate: Candidate, question: str, asked: frozenset[int]) -> float:
    """Whether a figure is of the period the question asks about: 1 when its column (for a table
    cell) or the year nearest to it in its sentence is an asked year, -1 when it is another year,
    0 when either side names none. "This year" and "last year" stand for the latest and the one
    before among a table's columns."""
    if candidate.table is not None:
        names = candidate.table.column_names()
        if not asked:
            relative = relative_year(question, frozenset(y for name in names for y in years_in(name)))
            asked = frozenset({relative}) if relative is not None else asked
        own = years_in(figure.column or "")
        quarters, own_quarters = quarters_in(question), quarters_in(figure.column or "")
        if quarters and own_quarters and not quarters & own_quarters:
            return -1.0  # the right year, or none said, but another quarter
    else:
        own = _respective_year(candidate.text, figure) or _nearest_year(candidate.text, figure.start, figure.end)
    if not asked or not own:
        return 0.0
    return 1.0 if asked & own else -1.0


def _respective_year(sentence: str, figure: Figure) -> frozenset[int]:
    """The year a figure goes with in a sentence that lists figures and then their years
    "respectively": "$278,057 and $378,217 for the years ended September 30, 2019 and 2018,
    respectively" gives the first 2019 and the second 2018; "$5.5 billion, $5.2 billion and $4.9
    billion in fiscal 2015, 2014 and 2013, respectively, or 14% of revenues in fiscal 2015" the second 2014."""
    if "respectively" not in sentence.lower():
        return frozenset()
    listed = [f for f in extract_figures(sentence) if f.kind == figure.kind]
    position = next((n for n, f in enumerate(listed) if f.start == figure.start), None)
    if position is None:
        return frozenset()
    # the years between the last figure listed and "respectively", not those of a clause after it
    ends = sentence.lower().find("respectively", listed[-1].end)
    ends = ends if ends >= 0 else len(sentence)
    years = [int(m.group()) for m in _YEAR_IN_TEXT.finditer(sentence, listed[-1].end, ends)]
    return frozenset({years[position]}) if len(years) == len(listed) else frozenset()


def _nearest_year(sentence: str, start: int, end: int) -> frozenset[int]:
    """The year written nearest to a figure within a few words either side: "(2018: £56.5m)",
    "$278,057 for the year ended September 30, 2019"."""
    nearest: tuple[int, int] | None = None
    for match in _YEAR_IN_TEXT.finditer(sentence, max(0, start - _YEAR_REACH), min(len(sentence), end + _YEAR_REACH)):
        distance = start - match.end() if match.end() <= start else match.start() - end
        if distance >= 0 and (nearest is None or distance < nearest[0]):
            nearest = (distance, int(match.group()))
    return frozenset({nearest[1]}) if nearest is not None else frozenset()


# How far from a figure in its sentence a year still says which period it is of.
_YEAR_REACH = 40
_YEAR_IN_TEXT = re.compile(r"(?<![\d$€£.,])(?:19|20)\d\d(?![\d%])")


def row_fit(figure: Figure, question: str) -> float:
    """The share of a table cell's row (its label, with its section), beside grammar words, that
    the question names: "What was Other in 2018?" names the row "Other" whole. Not for a prose
    figure, whose label is a few words of its own sentence: held to it, short labels ("plots")
    beat the answer on the seeds' dev questions (fig@1 .865 -> .811) while helping TAT-QA's."""
    if figure.row is None:
        return 0.0
    wanted = [w for w in words(figure.row) if w not in _GRAMMAR and not w.isdigit()]
    if not wanted:
        return 0.0
    present = stems(question)
    return sum(stem(w) in present for w in wanted) / len(wanted)


def statement_item(figure: Figure, candidate: Candidate, question: str) -> float:
    """1 for a cell of a financial statement's row of the line item asked (the consolidated
    "Operating income", not a segment's), else 0."""
    if figure.row is None or not candidate.in_table or statement_of(candidate.context or "") is None:
        return 0.0
    return 1.0 if row_items(figure.row) & asked_items(question) else 0.0


_GRAMMAR = DETERMINERS | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES | PRONOUNS


def column_fit(figure: Figure, question: str) -> float:
    """The share of a cell's column name (its words other than years) that the question names:
    "as reported", "non-current", "% of sales"."""
    if figure.column is None:
        return 0.0
    wanted = [w for w in focus(figure.column, set()) if not _YEAR_IN_TEXT.fullmatch(w)]
    if not wanted:
        return 0.0
    present = stems(question)
    return sum(matches(w, present) for w in wanted) / len(wanted)


def _column_asked(figure: Figure, question: str, counted: str | None, row_counts_a_column: bool) -> float:
    """`column_fit`, but none for a column the question names only outside what it counts when
    what it counts names another column of the same row."""
    fit = column_fit(figure, question)
    if fit and row_counts_a_column and counted and not column_fit(figure, counted):
        return 0.0
    return fit


def _predicate(question: str, names: set[str]) -> list[str]:
    """What the question says happened to what it counts ("have returned home" -> ["return",
    "home"]): among the columns of one table row, or the clauses of one sentence, it is what tells
    the answer from its neighbours, which share the subject. A name it says they are ("how many
    were European") is what it counts, not a name of the setting (not so in "which year was
    Maintenance less ...": a row's name)."""
    _, clause = subject_of(question)
    if not clause:
        return []
    said = clause.split()
    if asked_kinds(question) and len(said) > 2 and said[1].lower() in COPULAS and said[2][:1].isupper():
        names = names - set(words(said[2]))
    return focus(clause, names)


def _elsewhere(figure: Figure, places: set[str], label: str, passage: str) -> float:
    """A penalty for a figure about other people than those asked about: a table cell whose row,
    column and caption do not name them (a table says whose numbers it gives), or a figure from a
    passage that never names them, nor the passage before it in its section (`Hit.before`: prose
    may refer back to them further, so it weighs less)."""
    if figure.in_table:
        return 0.0 if _mentions(places, label) else 2 * WEIGHTS.elsewhere
    return 0.0 if _mentions(places, label, passage) else WEIGHTS.elsewhere


def _mentions(places: set[str], *texts: str) -> bool:
    """Does a figure's label or passage name the country (or nationality) the question asks about?
    A figure from a passage that never does is about other people. True when none is asked about."""
    if not places:
        return True
    present = stems(" ".join(texts))
    return any(matches(place, present) for place in places)


def _share_of(terms: list[str], words: list[str]) -> float:
    if not terms:
        return 0.0
    present = frozenset(stem(word) for word in words)
    return sum(matches(term, present) for term in terms) / len(terms)


def _around(figure: Figure, sentence: str) -> tuple[str, str]:
    """The words just before a figure (often its verb: "deployed 434") and just after it ("who
    flocked to join the union"), without note markers; nothing for a table cell, whose label says it all."""
    if figure.in_table:
        return "", ""
    before = re.split(_CLAUSE_BREAK, strip_markers(sentence[max(0, figure.start - 40) : figure.start]))[-1]
    after = re.split(_CLAUSE_BREAK, strip_markers(sentence[figure.end : figure.end + 60]))[0]
    return " ".join(before.split()[-4:]), " ".join(after.split()[:8])


# Where the words about one figure end: punctuation, or another number.
_CLAUSE_BREAK = re.compile(
    rf"[,;:()\[\]—–]|\s(?=[~<>{currency_signs()}]?\d)|\b(?:and|but|while|whereas)\b", re.IGNORECASE
)


def entity_terms(question: str) -> set[str]:
    """Names in the question (capitalised words after the first, with their nationality or
    country forms): what a figure's label shares with the question without saying what it counts."""
    from assistant.search.lexical import query_terms

    words = WORD.findall(question)
    names = {w for n, w in enumerate(words) if n > 0 and w[:1].isupper()}
    return set(query_terms(" ".join(names))) | {w.lower() for w in names}


def focus(text: str, names: set[str]) -> list[str]:
    """What a question asks or a label counts: its words with common paraphrases made one, without
    names and question words ("who have come back to Chile" -> ["return"])."""
    said = paraphrased(words(text))
    return list(dict.fromkeys(w for w in said if w not in names and w not in STOPWORDS and len(w) > 2))


def _counts(figure: Figure) -> str:
    """What a figure counts in words: a prose figure's label; a cell's row with its column's words
    other than periods ("Jordan RETURNED", not "2019"), which say what of the row it counts."""
    if figure.row is None:
        return figure.label
    column = _YEAR_IN_TEXT.sub(" ", figure.label.partition(" — ")[2] if " — " in figure.label else "")
    return f"{figure.row} {column}"


def _describe(figure: Figure, hit: Hit) -> str:
    """What the model compares with the question: the label, in its table's context for a cell
    (for a cell of a table cut into cells, its row: its column is matched apart)."""
    label = figure.row if figure.row is not None else figure.label
    if figure.in_table and hit.chunk.context:
        return f"{hit.chunk.context[:120]} — {label}"
    return label or figure.sentence[:200]


def _kind_fit(figure: Figure, wanted: frozenset[str]) -> float:
    if figure.kind == "identifier":
        return WEIGHTS.identifier_asked if "identifier" in wanted else -WEIGHTS.identifier_unasked
    if not wanted:
        return 0.0
    if figure.kind in wanted:
        return WEIGHTS.kind_match
    return -WEIGHTS.kind_mismatch


def _with_conflicts(figures: list[RankedFigure], places: set[str]) -> tuple[list[RankedFigure], list[Conflict]]:
    """Group with the best figure the figures from other sources that answer the question about as
    well, count what it asks about in their own words ("workers who flocked to join the union", not
    "countries"), about the same people (when the question names a country or a nationality), for
    the same period (when both say theirs), and give another value of the same kind and unit."""
    if not figures or figures[0].figure.kind == "identifier" or figures[0].counts_asked < WEIGHTS.counts_asked:
        return figures, []
    first = figures[0]
    rivals: dict[str, int] = {}  # the best rival from each other source
    for j, other in enumerate(figures[1:], 1):
        if (
            other.doc_id != first.doc_id
            and other.doc_id not in rivals
            and other.score >= WEIGHTS.conflict_share * first.score
            and other.counts_asked >= WEIGHTS.counts_asked
            and other.figure.kind == first.figure.kind
            and other.figure.unit == first.figure.unit
            and _differ(first.figure, other.figure)
            and _about(other.figure, places)
            and _same_period(first.figure, other.figure)
        ):
            rivals[other.doc_id] = j
    if not rivals:
        return figures, []
    members = (0, *sorted(rivals.values()))
    conflict = Conflict(first.figure.label, members, tuple(figures[m].doc_id for m in members))
    return [replace(f, group=0) if n in members else f for n, f in enumerate(figures)], [conflict]


def _about(figure: Figure, places: set[str]) -> bool:
    if not places:
        return True
    present = stems(f"{figure.label} {figure.sentence}")
    return any(matches(place, present) for place in places)


def _same_period(a: Figure, b: Figure) -> bool:
    """Whether two figures may count over the same period: not when both name their years (a
    cell's column, else its sentence) and no year is common to them (2018's revenue in one filing
    and 2019's in the next do not disagree)."""
    first, second = _years_of(a), _years_of(b)
    return not (first and second) or bool(first & second)


def _years_of(figure: Figure) -> frozenset[int]:
    return years_in(figure.column) if figure.column else years_in(figure.sentence)


def _differ(a: Figure, b: Figure) -> bool:
    high = max(abs(a.value), abs(b.value), 1e-9)
    return abs(a.value - b.value) / high > WEIGHTS.conflict_difference
