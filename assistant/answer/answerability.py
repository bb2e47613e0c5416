"""Whether the documents answer a question, and how sure the answer is.

Nothing here is a rule about particular questions. A few signals are read off what answering
already computed: how close in meaning the best passage is, how much of what the question asks the
best sentence or table row holds, whether the names and periods the question gives occur in the
passages at all or anywhere in the collection, and whether a figure of the kind asked for was
found. A question naming what no document mentions, or a proper name none of the passages found
holds, or whose figures found are all about other places than the one it names, or which asks
for a day or a name its best sentence does not give, or a follow-up asking for a number whose
answer holds none of the words it adds to the earlier turns, is declined outright (almost no
answerable dev question does). Two logistic models read the other signals: one for "the documents answer this"
(below its threshold the assistant declines), one for "the answer given is right" (the `confidence`
of an answer). Their coefficients, and which signals decline outright, are fitted on the dev
question sets only, with cross-validation, by `bench/answerability.py`, which writes them with how
they were chosen to `data/answerability.json`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from functools import lru_cache
from pathlib import Path

from assistant.search.lexical import term_groups
from assistant.search.retrieval import Hit
from assistant.search.statements import same_item_labels
from assistant.text.markers import strip_markers
from assistant.text.paraphrases import paraphrased
from assistant.text.periods import without_period_codes, years_closed_up, years_in, years_named
from assistant.text.places import gazetteer
from assistant.text.sentences import sentence_spans
from assistant.text.vocabulary import currency_codes, month_names
from assistant.text.words import WORD, initials, matches, stems

from .asked import gives_no_day_or_name, leaves_blank
from .formulas import definitions_in
from .ranking import RankedFigure, asked_kinds
from .sentences import Relevance, Scored, introduces_table

_DOTTED = re.compile(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\b)")
# An abbreviation the question defines ("DPO is defined as ...") or spells out ("days payable
# outstanding (DPO)").
_ABBREVIATION = re.compile(r"[A-Z][A-Za-z0-9&]{1,9}")
# A word, then a gloss of it in brackets: "domestic (USA)", "Kenvue (formerly Consumer Health)".
_GLOSS = re.compile(r"([A-Za-z][\w'&-]*)\s*\(([^()]{1,60})\)")
_SPELLED_OUT = re.compile(r"((?:[A-Za-z][\w'-]*\s+){1,10})\(([A-Z][A-Za-z0-9&]{1,9})\)")
_THAT_YEAR = re.compile(r"\b(?:that|the same) year\b", re.IGNORECASE)
_MODEL_FILE = Path(__file__).parent / "data" / "answerability.json"
_NEXT_FIGURES = 3  # the figures offered first, the best one's included


@dataclass(frozen=True)
class Signals:
    """What the decision reads, each in [0, 1] or a cosine."""

    dense: float  # cosine of the question and the closest passage (a cosine of the model)
    similarity: float  # cosine of the question and the closest sentence or row (a cosine of the model)
    coverage: float  # weighted share of the question's terms held by the best-covering sentence or row
    reach: float  # weighted share of the question's terms found anywhere in the passages shown
    missing: float  # how many of the question's proper names the passages shown lack (at most 2; see `_name_groups`)
    apart: float  # share of those names absent from the answer's own sentence or row (with its context)
    substituted: float  # 1 when the answer's sentence or row is about another place than the one asked
    unknown: float  # how many of the question's names occur nowhere in the collection (at most 2)
    undated: float  # 1 when the question gives years and none stands around the answer or the best sentences
    untyped: float  # 1 when it asks for a date or a name and the best sentence or row gives none
    blank: float  # 1 when the answer's table row leaves blank the column the question names
    period: float  # 1 when every year the question gives occurs in the best sentences (or none is given)
    numeric: float  # 1 when the question asks for a number
    figure: float  # the best figure's score when a number is asked for (0 when none was found)
    counted: float  # how much of what is asked the best figure's own words cover (0 as above)
    unmet: float  # 1 when a follow-up asking for a number has none of its own words in the answer

    def vector(self) -> list[float]:
        return [float(v) for v in astuple(self)]


SIGNAL_NAMES = tuple(f.name for f in fields(Signals))
MODEL_SIGNALS = ("dense", "similarity")  # on the scale of the embedding model that produced them


def signals(
    question: str,
    relevance: Relevance,
    hits: Sequence[Hit],
    scored: Sequence[Scored],
    figures: Sequence[RankedFigure],
    sources: Mapping[str, str] | None = None,
    known: Callable[[str], bool] | None = None,
    lead: Scored | None = None,
    follow_up: str | None = None,
) -> Signals:
    """The signals of one answered question (`question` is the resolved query); `lead` is the
    sentence or row of the figure the answer leads with, where it leads with one (else it leads
    with its best sentence, and offers its best sentences, not figures); `sources` say what
    each passage's document is (title, authors, publisher and its opening passage, by document id),
    which a question may name: a filing's passages need not repeat the company's name its cover gives;
    `known` says whether a word occurs anywhere in the collection (its passages or what its documents
    are), so a name no document holds ("Portugal" of reports that never name it) is told from one the
    passages shown happen to lack. `follow_up` is the question as asked when it was resolved against
    earlier turns: what it adds to them ("prosecuted" of "And how many of those have been
    prosecuted?") is what its answer must speak to."""
    sources = sources or {}
    shown = " ".join([*(_passage_text(hit) for hit in hits), *sources.values()])
    present = _present(shown)
    reach = relevance.share(present)
    named = _name_groups(question)
    names = [group for group, _ in named]
    proper = [group for group, surely in named if surely]
    found = sum(1 for group in proper if any(matches(term, present) for term in group))
    unknown = sum(1 for group in names if known is not None and not any(known(term) for term in group))
    best = sorted(scored, key=lambda item: -item.score)[:3]
    led = lead is not None  # the answer leads with a figure: what it offers are the figures
    lead = lead if lead is not None else (best[0] if best else None)
    apart = 0.0
    if lead is not None and names:  # the names the answer itself stands among: its sentence or row, and source
        around = _present(_surroundings(lead, hits, sources))
        apart = sum(1 for group in names if not any(matches(term, around) for term in group)) / len(names)
    offered = ([f.origin for f in figures if f.origin is not None] if led else []) or best
    substituted = _substituted(question, lead, offered, hits, sources)
    asked_years = set(years_in(question))
    answer = (*best, *([lead] if lead is not None else []))  # the best sentences and the answer's own
    period = 1.0 if not asked_years or asked_years <= set(years_in(" ".join(map(_candidate_text, answer)))) else 0.0
    # around them, the year they refer back to ("Earlier that year, in February, ...") and the periods
    # their sections and documents are of (the fiscal year a filing reports on)
    dated = set(
        years_in(" ".join(f"{_year_referred(item, hits)} {_surroundings(item, hits, sources)}" for item in answer))
    )
    undated = 1.0 if asked_years and not asked_years & dated else 0.0
    # a date or a name is given in words: by the first sentence shown, not a figure's
    untyped = 1.0 if best and gives_no_day_or_name(question, _candidate_text(best[0])) else 0.0
    numeric = 1.0 if asked_kinds(question) else 0.0
    blank = 1.0 if any(leaves_blank(question, row) for row in _asked_rows(relevance, figures)) else 0.0
    return Signals(
        dense=max((hit.dense for hit in hits if hit.dense is not None), default=0.0),
        similarity=max((item.similarity for item in scored), default=0.0),
        coverage=max((relevance.coverage(_candidate_text(item)) for item in best), default=0.0),
        reach=reach,
        missing=float(min(2, len(proper) - found)),
        apart=apart,
        substituted=substituted,
        unknown=float(min(2, unknown)),
        undated=undated,
        untyped=untyped,
        blank=blank,
        period=period,
        numeric=numeric,
        figure=figures[0].score if numeric and figures else 0.0,
        counted=figures[0].counts_asked if numeric and figures else 0.0,
        unmet=_unmet(follow_up, lead),
    )


def _unmet(follow_up: str | None, lead: Scored | None) -> float:
    """1 when a follow-up asking for a number has none of its own content words (or words that say
    the same, `assistant/text/data/paraphrases.toml`: "came back" is "returned") in the sentence or
    row its answer leads with (its header and context included): "How many fighters does it have?"
    answered with "two local militias"; an answer that took only the earlier turns' words does not
    answer it. A number stands beside what it counts; a name or a reason may be given in other
    words ("Who leads it?" of "al-Sadr's militia"), so those follow-ups are not judged so."""
    if follow_up is None or lead is None or not asked_kinds(follow_up):
        return 0.0
    own = term_groups(" ".join(paraphrased(WORD.findall(follow_up))))  # "came back" is "return"
    text = _candidate_text(lead)
    present = _present(text) | stems(" ".join(paraphrased(WORD.findall(text))))
    return 1.0 if own and not any(matches(term, present) for group in own for term in group) else 0.0


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic model over the signals."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]  # the signals are standardised with the dev sets' mean and spread
    scale: tuple[float, ...]

    def probability(self, values: Sequence[float]) -> float:
        z = self.bias + sum(
            w * (v - m) / s for w, v, m, s in zip(self.weights, values, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, object]:
        return {"weights": list(self.weights), "bias": self.bias, "mean": list(self.mean), "scale": list(self.scale)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Logistic:
        return cls(
            tuple(data["weights"]),  # type: ignore[arg-type]
            float(data["bias"]),  # type: ignore[arg-type]
            tuple(data["mean"]),  # type: ignore[arg-type]
            tuple(data["scale"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    confidence: float  # how likely the answer given is right (0 when declined)
    answerable_probability: float


@dataclass(frozen=True)
class Decision:
    """Two fitted models and the threshold below which a question is declined."""

    answers: Logistic  # P(the documents answer the question)
    right: Logistic  # P(the answer given is right)
    threshold: float
    vetoes: tuple[str, ...] = ()  # signals that decline whenever they are above 0 (no answered dev question shows one)

    def judge(self, values: Signals) -> Verdict:
        vector = values.vector()
        if any(getattr(values, name) > 0 for name in self.vetoes):
            return Verdict(False, 0.0, 0.0)
        answerable = self.answers.probability(vector)
        if answerable < self.threshold:
            return Verdict(False, 0.0, round(answerable, 4))
        return Verdict(True, round(self.right.probability(vector), 4), round(answerable, 4))


def table_verdict(
    verdict: Verdict, decision: Decision, values: Signals, relevance: Relevance, hits: Sequence[Hit], first: str
) -> Verdict:
    """A question asking what a table of the documents shows ("What does the table represent?")
    names little of the table's subject, so how close in meaning the passages come cannot judge it:
    it is answered where the passages found hold a table or its answer's first sentence (`first`)
    introduces one. The vetoes still decline it."""
    if verdict.answerable or not relevance.tabled or any(getattr(values, name) > 0 for name in decision.vetoes):
        return verdict
    if not (any(hit.chunk.table is not None for hit in hits) or introduces_table(first)):
        return verdict
    return Verdict(True, round(decision.right.probability(values.vector()), 4), verdict.answerable_probability)


@dataclass(frozen=True)
class Decisions:
    """The decision fitted with the embedding model the dev sets were asked with, and one fitted
    without the signals that are cosines of that model, for any other model (whose cosines run on
    another scale)."""

    model: str  # the embedding model the fit saw
    with_model: Decision
    without_model: Decision

    def for_model(self, name: str) -> Decision:
        return self.with_model if name == self.model else self.without_model


@lru_cache(maxsize=1)
def decisions() -> Decisions:
    """The fitted decisions as `bench/answerability.py` wrote them."""
    data = json.loads(_MODEL_FILE.read_text(encoding="utf-8"))
    if tuple(data["signals"]) != SIGNAL_NAMES:
        raise ValueError(f"{_MODEL_FILE} was fitted on other signals: {data['signals']}")

    def read(part: dict[str, object]) -> Decision:
        return Decision(
            Logistic.from_json(part["answers"]),  # type: ignore[arg-type]
            Logistic.from_json(part["right"]),  # type: ignore[arg-type]
            float(part["threshold"]),  # type: ignore[arg-type]
            tuple(part.get("vetoes", ())),  # type: ignore[arg-type]
        )

    return Decisions(str(data["model"]), read(data["with_model"]), read(data["without_model"]))


def _name_groups(question: str) -> list[tuple[list[str], bool]]:
    """The question's names: capitalised words that do not start a sentence, and years, each with
    the words that stand for the same thing ("Lebanese" with "Lebanon", "USA" with "United
    States", "COGS" with "cost of sales"). Other numbers are not
    names: "less than 100 million" need not occur in the answer; nor are the words of a date or
    a period ("December", "FY", "Q2") or a currency's code ("USD"): they say when or in what,
    which the years and the figure's unit answer; nor a name the question defines itself ("DPO is
    defined as ..."), nor the names of its definition (a formula's operands: "COGS" is "cost of
    sales" in one filing, "cost of revenue" in another): the documents need not use them. A name in
    brackets after a word glosses it ("the domestic (USA) market"): either stands for the other.

    Each comes with whether it is surely a name: a year, a place, an acronym or a word with capitals
    inside ("EU", "JnJ"), or one of a run of capitalised words ("World Cup"); a capitalised word
    alone may be a document's defined term or a title's word ("the Company's common stock",
    "Other items")."""
    wanted: dict[str, bool] = {}
    not_names = {*month_names(), *currency_codes(), *_defined(question)}
    question = without_period_codes(_without_definitions(question))
    places = gazetteer()
    for start, end in sentence_spans(question):
        tokens = WORD.findall(question[start:end])
        capitalised = [n > 0 and t[:1].isupper() and not any(c.isdigit() for c in t) for n, t in enumerate(tokens)]
        for n, t in enumerate(tokens):
            if t.isdigit() and years_in(t):
                wanted[t] = True
            elif capitalised[n] and t not in not_names:
                run = (n > 0 and capitalised[n - 1]) or (n + 1 < len(tokens) and capitalised[n + 1])
                surely = run or sum(c.isupper() for c in t) >= 2 or places.is_place_word(t.lower())
                wanted[t.lower()] = wanted.get(t.lower(), False) or surely
    glossed = _glossed(question)
    every = term_groups(question)
    # a place of several words is one name ("united kingdom", found as "UK"), not its words alone
    placed = {word for group in every if " " in group[0] for word in group[0].split()}
    groups = [(group, group[0].split()[0]) for group in every if " " in group[0] or group[0] not in placed]
    return [
        (
            list(
                dict.fromkeys(
                    [*group, *places.every_word_for(group[0]), *same_item_labels(group[0]), *glossed.get(group[0], ())]
                )
            ),
            wanted[first],
        )
        for group, first in groups
        if first in wanted
    ]


def _glossed(question: str) -> dict[str, list[str]]:
    """The words inside brackets that gloss the word before them, each with that word."""
    out: dict[str, list[str]] = {}
    for m in _GLOSS.finditer(question):
        for word in WORD.findall(m.group(2)):
            out.setdefault(word.lower(), []).append(m.group(1).lower())
    return out


def _defined(question: str) -> set[str]:
    """Abbreviations the question defines: "X is defined as", or spelt out before it in brackets."""
    out = {word for d in definitions_in(question) if _ABBREVIATION.fullmatch(word := d.name.split()[-1])}
    for m in _SPELLED_OUT.finditer(question):
        words, abbreviation = m.group(1).split(), m.group(2)
        letters = "".join(w[0] for w in words[-len(abbreviation) :]).lower()
        if len(words) >= len(abbreviation) and letters == abbreviation.lower():
            out.add(abbreviation)
    return out


def _without_definitions(question: str) -> str:
    """The question without what its definitions say a name is (a formula's operands)."""
    for d in reversed(definitions_in(question)):
        question = f"{question[: d.span[0]]} {question[d.span[1] :]}"
    return question


def _present(text: str) -> frozenset[str]:
    """The stems of `text`, with dotted abbreviations and letter-spaced years also read whole ("U.K."
    is also "UK", "2 0 1 8" also "2018"), and the initials of its names ("United Nations" is also
    "UN")."""
    return stems(text) | stems(years_closed_up(_DOTTED.sub("", text))) | stems(" ".join(initials(text)))


def _passage_text(hit: Hit) -> str:
    """A passage as shown, with what it is about and the long forms of its acronyms ("FRB": "Federal Reserve Board")."""
    chunk = hit.chunk
    return f"{strip_markers(hit.text)} {chunk.lexical_text} {chunk.context or ''} {chunk.section or ''}"


def _substituted(
    question: str, lead: Scored | None, offered: Sequence[Scored], hits: Sequence[Hit], sources: Mapping[str, str]
) -> float:
    """1 when the answer is about other places than the one asked: its own sentence or row names
    another, and a place the question names stands around none of what is offered (the figures
    shown, else the best sentences): "French nationals" for a question about the Lebanese; or the
    answer names no place, what else is offered names others, and no place the question names
    stands around any of it: a total of all nationalities offered beside Libya's and Afghanistan's
    numbers for a question about Yemenis."""
    places = gazetteer()
    asked = places.places_in(question)
    if lead is None or not asked:
        return 0.0
    around = [places.places_in(_surroundings(item, hits, sources)) for item in offered]
    absent = [place for place in asked if all(place not in named for named in around)]
    if places.places_in(_candidate_text(lead)) - asked:
        return 1.0 if absent else 0.0
    # the answer itself names no other place: what else is offered does, and no asked place is near
    others = any(places.places_in(_candidate_text(item)) - asked for item in offered)
    return 1.0 if others and len(absent) == len(asked) else 0.0


def _asked_rows(relevance: Relevance, figures: Sequence[RankedFigure]) -> list[Scored]:
    """The table rows an answer stands on: the best figure's, when it is a table cell, and where
    that row is about another place than the one asked, the rows about the asked one among the
    next figures offered (another country's cell of the column asked may rank above the asked
    country's row)."""
    best = figures[0].origin if figures else None
    if best is None or best.candidate.table is None:
        return []
    if relevance.names_place(_candidate_text(best)):
        return [best]
    offered = (f.origin for f in figures[1:_NEXT_FIGURES] if f.origin is not None)
    return [
        best,
        *(row for row in offered if row.candidate.table is not None and relevance.names_place(_candidate_text(row))),
    ]


def _surroundings(item: Scored, hits: Sequence[Hit], sources: Mapping[str, str]) -> str:
    """A sentence or row with what it stands in: its section and what its document is."""
    hit = hits[item.candidate.passage - 1]
    return f"{_candidate_text(item)} {hit.chunk.section or ''} {sources.get(hit.chunk.doc_id, '')}"


def _year_referred(item: Scored, hits: Sequence[Hit]) -> str:
    """The year a prose sentence refers back to ("Earlier that year, in February, ..."): the last its
    passage names before it."""
    candidate = item.candidate
    if candidate.in_table or not _THAT_YEAR.search(candidate.text):
        return ""
    years = years_named(hits[candidate.passage - 1].text[: candidate.start])
    return str(years[-1]) if years else ""


def _candidate_text(item: Scored) -> str:
    candidate = item.candidate
    return " ".join(strip_markers(f"{candidate.header or ''} {candidate.text} {candidate.context or ''}").split())
