"""Extractive answers: the sentences of the retrieved passages that best answer the question.

Every sentence of the top passages is scored by how much of the question it covers (query terms
weighted by their rarity in the collection), how close it is in meaning (the same embedding model),
and how well its passage ranked. The best few are returned best first, each with the number of the
passage it came from; the same sentence found in two passages cites both. The scores are kept for
the figures, which are ranked by the sentences they stand in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .chunking import strip_markers
from .lexical import query_terms
from .retrieval import Hit
from .sentences import sentence_spans

MAX_SENTENCES = 3
MIN_WORDS = 4
_TERM = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    citations: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class Candidate:
    """A sentence of a passage (or a line of a table passage), with its place in the passage."""

    passage: int  # passage number, from 1
    text: str
    start: int
    end: int
    header: str | None = None  # for a table row: the header line it sits under


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

    def coverage(self, text: str) -> float:
        """The weighted share of the question's terms that `text` contains."""
        total = sum(self.terms.values()) or 1.0
        words = {w.lower() for w in _TERM.findall(text)}
        return sum(weight for term, weight in self.terms.items() if covers(term, words)) / total


def relevance(query: str, vector: np.ndarray, document_frequency: Callable[[str], int], total_chunks: int) -> Relevance:
    terms = query_terms(query)
    return Relevance({t: math.log(1 + total_chunks / (1 + document_frequency(t))) for t in terms}, vector)


def candidate_sentences(hits: Sequence[Hit]) -> list[Candidate]:
    """Sentences of the passages as shown to readers; each line of a table passage counts as one."""
    out: list[Candidate] = []
    for n, hit in enumerate(hits, 1):
        text = hit.text
        if hit.chunk.kind in {"table_row", "list"}:
            lines = text.split("\n")
            header = lines[0] if hit.chunk.kind == "table_row" and len(lines) > 1 else None
            offset = len(lines[0]) + 1 if header else 0
            for line in lines[1:] if header else lines:
                if line.strip():
                    out.append(Candidate(n, line, offset, offset + len(line), header))
                offset += len(line) + 1
            continue
        for start, end in sentence_spans(text):
            out.append(Candidate(n, text[start:end], start, end))
    return out


def score_sentences(hits: Sequence[Hit], question: Relevance, embed: Callable[[list[str]], np.ndarray]) -> list[Scored]:
    """Every sentence of the passages, scored against the question."""
    candidates = [c for c in candidate_sentences(hits) if len(_TERM.findall(c.text)) >= 2]
    if not candidates:
        return []
    readable = [_readable(c) for c in candidates]
    similarity = embed(readable) @ question.vector
    out = []
    for candidate, text, sim in zip(candidates, readable, similarity, strict=True):
        coverage = question.coverage(text)
        prior = 1.0 / (1 + 0.15 * (candidate.passage - 1))
        out.append(Scored(candidate, (0.5 * coverage + 0.5 * float(sim)) * prior, coverage, float(sim)))
    return out


def best_sentences(scored: Sequence[Scored]) -> list[AnswerSentence]:
    """The few sentences that answer best, best first, each citing every passage it occurs in."""
    merged: dict[str, tuple[float, list[int], str]] = {}
    for item in scored:
        text = _readable(item.candidate)
        if len(_TERM.findall(text)) < MIN_WORDS:
            continue
        key = text.lower()
        best, cites, _ = merged.get(key, (0.0, [], text))
        merged[key] = (max(best, item.score), sorted({*cites, item.candidate.passage}), text)
    ranked = sorted(merged.values(), key=lambda entry: -entry[0])[:MAX_SENTENCES]
    return [AnswerSentence(text, tuple(cites), round(score, 4)) for score, cites, text in ranked]


def _readable(candidate: Candidate) -> str:
    """A sentence without note markers; a table row preceded by its header."""
    text = " ".join(strip_markers(candidate.text).split())
    if candidate.header:
        return f"{' '.join(strip_markers(candidate.header).split())}: {text}"
    return text


def covers(term: str, words: set[str]) -> bool:
    """A query term is covered by the same word or one sharing its first five letters."""
    if term in words:
        return True
    if len(term) >= 5:
        stem = term[:5]
        return any(w.startswith(stem) for w in words)
    return False
