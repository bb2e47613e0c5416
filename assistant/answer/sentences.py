"""Extractive answers: the sentences of the retrieved passages that best answer the question.

Every sentence of the top passages is scored by how much of the question it covers (query terms
weighted by their rarity in the collection), how close it is in meaning (the same embedding model),
and how well its passage ranked; a sentence about other people or other years than the ones asked
counts less. The best few are returned best first, each with the number of the
passage it came from; the same sentence found in two passages cites both. The scores are kept for
the figures, which are ranked by the sentences they stand in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

import numpy as np

from assistant.model import ChunkKind, Table
from assistant.search.lexical import query_terms, term_groups
from assistant.search.retrieval import Hit
from assistant.text.function_words import POSSESSIVES, PRONOUNS
from assistant.text.markers import strip_markers
from assistant.text.periods import years_in
from assistant.text.places import gazetteer
from assistant.text.sentences import sentence_spans
from assistant.text.vocabulary import phrases
from assistant.text.words import WORD, matches, stems

from .weights import WEIGHTS


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    citations: tuple[int, ...]
    score: float
    spans: tuple[tuple[int, int, int], ...] = ()  # (passage, start, end) of each place it is quoted from
    computed: bool = False  # a derived figure's working, from the quoted figures, not a quotation


@dataclass(frozen=True)
class Candidate:
    """A sentence of a passage (or a line of a table passage), with its place in the passage."""

    passage: int  # passage number, from 1
    text: str
    start: int
    end: int
    header: str | None = None  # for a table row: the header it sits under
    context: str | None = None  # for a table row or a list line: its table's caption or its section
    in_table: bool = False  # a table row (read against its header), not a sentence
    table: Table | None = None  # for a row of a table cut into cells: its table and its index there
    row: int = -1


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    coverage: float
    similarity: float


@dataclass(frozen=True)
class Relevance:
    """What a question asks for, in terms every part of an answer can be scored against."""

    terms: dict[str, float]  # query term -> weight (rarity in the collection)
    vector: np.ndarray  # the question's embedding
    places: frozenset[str] = frozenset()  # whose people it is about: "peruvians", "peru", ...
    reason: bool = False  # it asks for a reason ("why", "what drove")
    described: bool = False  # it asks what something is or holds ("what does X include")
    years: frozenset[int] = frozenset()  # the years it asks about ("in 2019", "FY2023")
    located: bool = False  # it asks where something is said ("Where can the discussion be found?")
    groups: tuple[tuple[str, ...], ...] = ()  # the terms, grouped by what they stand for (see `term_groups`)
    tabled: bool = False  # it asks what a table of the documents shows ("What does the table show?")

    def names_place(self, text: str) -> bool:
        """Whether `text` mentions the place or people the question is about (true if it names none)."""
        if not self.places:
            return True
        present = stems(text)
        return any(matches(place, present) for place in self.places)

    def of_years_asked(self, text: str) -> bool:
        """Whether `text` names an asked year, or names none (a sentence of other years only is not)."""
        named = years_in(text)
        return not named or bool(named & self.years)

    def coverage(self, text: str) -> float:
        """The weighted share of the question's terms that `text` contains."""
        return self.share(stems(text))

    def share(self, present: frozenset[str]) -> float:
        """The weighted share of the question's terms among the stems `present`; words that stand
        for the same thing count once, by the best of them ("UK" for "United Kingdom")."""
        groups, total = self._weighted_groups
        found = sum(max((self.terms[t] for t in group if matches(t, present)), default=0.0) for group in groups)
        return found / total

    @cached_property
    def _weighted_groups(self) -> tuple[list[list[str]], float]:
        """The groups of the terms weighed (each term alone when none were given), and their total
        weight, each group by its best term; read for every sentence and figure scored."""
        groups = [[t for t in group if t in self.terms] for group in self.groups] or [[t] for t in self.terms]
        groups = [group for group in groups if group]
        return groups, sum(max(self.terms[t] for t in group) for group in groups) or 1.0


def relevance(query: str, vector: np.ndarray, document_frequency: Callable[[str], int], total_chunks: int) -> Relevance:
    groups = term_groups(query)
    terms = [term for group in groups for term in group]
    weights = {t: math.log(1 + total_chunks / (1 + document_frequency(t))) for t in terms}
    return Relevance(
        weights,
        vector,
        frozenset(origin_places(query)),
        asks_for_reason(query),
        asks_for_description(query),
        years_in(query),
        bool(_WHERE_ASKED.search(query)),
        tuple(tuple(group) for group in groups),
        asks_about_table(query),
    )


# pronouns and possessives of the third person, and demonstratives: words that point back
_REFERRING = (PRONOUNS | POSSESSIVES) - {"i", "me", "you", "we", "us", "my", "your", "our", "that"}
_REASON_ASKED = phrases("reasons", "asked")  # "why", "what drove": a question asking for a reason
_REASON_GIVEN = phrases("reasons", "given")  # "due to", "driven by": a sentence giving one
_REFERS = phrases("references", "opening", before=r"^\W*")  # "Refer to Note 2 ... for additional information."
_WHERE_ASKED = phrases("references", "asked")  # "Where can ... be found?": a cross reference answers
_REASON_STRANDED = phrases("reasons", "stranded", after=r"\W*$")  # "What was the rise driven by?"
_TABLE_ASKED = phrases("references", "table_asked")  # "the table": one of the documents'
_TABLE_SHOWS = phrases("references", "table_shows")  # "show", "represent": what it is of
_TABLE_OPENING = phrases("references", "table_opening")  # "The following table summarizes ..."
_DESCRIPTION_ASKED = phrases("answer_types", "description")  # "what does X include", "how is X determined"
# which years, or how many or how much: a table's header or a number answers those
_NOT_DESCRIBED = re.compile(
    r"\b(?:which|what)\s+(?:(?:are|were|is|was)\s+the\s+)?years?\b|\bhow\s+(?:many|much)\b", re.IGNORECASE
)


def asks_for_reason(question: str) -> bool:
    """Whether a question asks why something happened or is so ("What drove the increase ...",
    or with the connective left at its end: "What was the increase due to?")."""
    return bool(_REASON_ASKED.search(question) or _REASON_STRANDED.search(question))


def asks_for_description(question: str) -> bool:
    """Whether a question asks what something is, holds or how it is arrived at ("What does the
    cost of revenue consist of?", "How is the selling price calculated?"): an answer in words, which
    a table row of numbers does not give. Its first sentence is the question (what follows may
    define terms); one asking which years, how many or how much is answered by a header or a number
    ("How many shares were included?")."""
    spans = sentence_spans(question)
    first = question[spans[0][0] : spans[0][1]] if spans else question
    return bool(_DESCRIPTION_ASKED.search(first)) and not _NOT_DESCRIBED.search(first)


def asks_about_table(question: str) -> bool:
    """Whether a question asks what a table of the documents itself shows ("What does the table
    represent?", "What do Other items in the table represent?"); not which years it covers or how
    many of something it counts, which its header or a number answers."""
    return bool(_TABLE_ASKED.search(question) and _TABLE_SHOWS.search(question)) and not _NOT_DESCRIBED.search(question)


def introduces_table(text: str) -> bool:
    """Whether a sentence introduces a table ("The following table shows ...", "Maturities of lease
    liabilities were as follows:")."""
    return bool(_TABLE_OPENING.search(text)) or text.rstrip().endswith(":")


def gives_reason(text: str) -> bool:
    """Whether a sentence states a reason, cause or purpose ("... primarily due to ...")."""
    return bool(_REASON_GIVEN.search(text))


def origin_places(question: str) -> set[str]:
    """The people a question is about, by nationality or country of origin: "How many Chileans
    moved to Spain?" -> Chileans/Chile (not Spain, where they went); "workers from Chile" -> Chile.
    Without such a word, no place is required of an answer."""
    places = gazetteer()
    nationalities = [w for w in WORD.findall(question) if w[:1].isupper() and places.by_demonym(w) is not None]
    if nationalities:
        return set(query_terms(" ".join(nationalities)))
    origins = re.findall(r"\b(?:from|of)\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})", question)
    named = [place for origin in origins for place in places.places_in(origin)]  # "from the United Kingdom"
    return set(query_terms(" ".join(named)))


def candidate_sentences(hits: Sequence[Hit]) -> list[Candidate]:
    """Sentences of the passages as shown to readers; each line of a table passage counts as one."""
    out: list[Candidate] = []
    for n, hit in enumerate(hits, 1):
        text = hit.text
        if hit.rows:
            header = hit.header or None
            out += [
                Candidate(n, row.text, row.start, row.end, header, hit.chunk.context, True, row.table, row.row)
                for row in hit.rows
            ]
            continue
        if hit.chunk.kind is ChunkKind.LIST:  # a list passage holds one piece per line
            offset = 0
            for line in text.split("\n"):
                if line.strip():
                    out.append(Candidate(n, line, offset, offset + len(line), None, hit.chunk.context))
                offset += len(line) + 1
            continue
        for start, end in sentence_spans(text):
            out.append(Candidate(n, text[start:end], start, end))
    return out


def score_sentences(hits: Sequence[Hit], question: Relevance, embed: Callable[[list[str]], np.ndarray]) -> list[Scored]:
    """Every sentence of the passages, scored against the question."""
    candidates = [c for c in candidate_sentences(hits) if len(WORD.findall(c.text)) >= 2]
    if not candidates:
        return []
    readable = [_readable(c) for c in candidates]
    similarity = embed(readable) @ question.vector
    out = []
    own = [stems(text) for text in readable]
    for candidate, text, sim, words, before in zip(
        candidates, readable, similarity, own, _before(candidates, own, hits), strict=True
    ):
        coverage = question.share(words)
        # a sentence going on from the one before ("It was established ...") is read with it
        carried = question.share(words | before) if before and refers_back(text, before) else coverage
        coverage_read = coverage + WEIGHTS.carried * (carried - coverage)
        prior = 1.0 / (1 + WEIGHTS.rank_decay * (candidate.passage - 1))
        about = f"{text} {candidate.context or ''}"
        if not question.names_place(about):
            prior *= WEIGHTS.other_place  # about other people than the ones asked about
        if question.years and not question.of_years_asked(about):
            prior *= WEIGHTS.other_period  # about other years than the ones asked about
        if question.reason:  # a reason is given in words: a table row states what, not why
            prior *= WEIGHTS.reason_table if candidate.in_table else 1.0 + WEIGHTS.reason_given * gives_reason(text)
        elif (question.described or question.tabled) and candidate.in_table:  # a row says how much, not what
            prior *= WEIGHTS.described_table
        if question.tabled and not candidate.in_table and introduces_table(candidate.text):
            prior *= WEIGHTS.table_opening  # what a table shows: the sentence that introduces it says
        if not question.located and not candidate.in_table and _REFERS.search(candidate.text):
            prior *= WEIGHTS.cross_reference  # it says where the answer is, not what it is
        score = (WEIGHTS.coverage * coverage_read + WEIGHTS.similarity * float(sim)) * prior
        out.append(Scored(candidate, score, coverage, float(sim)))
    return out


def refers_back(sentence: str, before: frozenset[str]) -> bool:
    """Whether a sentence goes on from the one before it (of the stems `before`): it holds a third
    person's pronoun or a demonstrative ("it", "their", "these"), or a definite noun phrase whose
    noun the sentence before holds ("the attack" after "a car bomb attack")."""
    words = [w.lower() for w in WORD.findall(sentence)]
    if any(w in _REFERRING for w in words):
        return True
    return any(w == "the" and matches(nxt, before) for w, nxt in pairwise(words))


def states_answer(scored: Sequence[Scored]) -> bool:
    """Whether the best sentence is the source's own statement of a numeric answer: prose that
    holds every term asked and a number ("Interest income increased $1.2 million ..."). It leads
    then, before any figure's row or working ("1,205" in thousands, "2,515 − 1,310 = 1,205")."""
    from .figures import extract_figures

    best = max(scored, key=lambda item: item.score, default=None)
    if best is None or best.candidate.in_table or best.coverage < 1.0:
        return False
    return any(figure.kind != "year" for figure in extract_figures(best.candidate.text))


def best_sentences(scored: Sequence[Scored], first: Scored | None = None) -> list[AnswerSentence]:
    """The few sentences that answer best, best first, each citing every passage it occurs in.
    `first`, when given, leads: for a numeric question, the sentence of the best figure."""
    merged: dict[str, _Merged] = {}
    ordered = ([first] if first is not None else []) + list(scored)
    for n, item in enumerate(ordered):
        text = _readable(item.candidate)
        if len(WORD.findall(text)) < WEIGHTS.min_words and not (n == 0 and first is not None):
            continue
        score = float("inf") if n == 0 and first is not None else item.score
        entry = merged.setdefault(text.lower(), _Merged(text))
        entry.score = max(entry.score, score)
        candidate = item.candidate
        entry.spans.add((candidate.passage, candidate.start, candidate.end))
    ranked = sorted(merged.values(), key=lambda entry: -entry.score)[: WEIGHTS.max_sentences]
    return [
        AnswerSentence(
            entry.text,
            tuple(sorted({passage for passage, _, _ in entry.spans})),
            round(entry.score, 4) if entry.score != float("inf") else 1.0,
            tuple(sorted(entry.spans)),
        )
        for entry in ranked
    ]


@dataclass
class _Merged:
    text: str
    score: float = 0.0
    spans: set[tuple[int, int, int]] = field(default_factory=set)


def _before(
    candidates: Sequence[Candidate], own: Sequence[frozenset[str]], hits: Sequence[Hit]
) -> list[frozenset[str]]:
    """The stems of the sentence before each prose sentence: the one before it in its passage, or for
    the first, the last of the passage before (none for table rows, list lines and a document's first
    sentence)."""
    out: list[frozenset[str]] = []
    for n, candidate in enumerate(candidates):
        if candidate.in_table or hits[candidate.passage - 1].chunk.kind is not ChunkKind.TEXT:
            out.append(frozenset())
        elif n > 0 and candidates[n - 1].passage == candidate.passage:
            out.append(own[n - 1])
        else:
            out.append(stems(_last_sentence(hits[candidate.passage - 1].before)))
    return out


def _last_sentence(text: str, reach: int = 600) -> str:
    """The last sentence of a text, found in its last `reach` characters (a sentence is seldom
    longer; splitting a whole passage costs milliseconds a question)."""
    tail = text[-reach:]
    spans = sentence_spans(tail)
    return " ".join(strip_markers(tail[spans[-1][0] : spans[-1][1]]).split()) if spans else ""


def _readable(candidate: Candidate) -> str:
    """A sentence without note markers; a table row with each value named by its column."""
    return " ".join(strip_markers(candidate.text).split())
