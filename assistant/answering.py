"""Extractive answers: the sentences of the retrieved passages that best answer the question.

Every sentence of the top passages is scored by how much of the question it covers (query terms
weighted by their rarity in the collection), how close it is in meaning (the same embedding model),
and how well its passage ranked. The best few are returned best first, each with the number of the
passage it came from; the same sentence found in two passages cites both.
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
    """A sentence of a passage, with where it sits in the passage's text."""

    passage: int  # passage number, from 1
    text: str
    start: int
    end: int


def candidate_sentences(hits: Sequence[Hit]) -> list[Candidate]:
    """Sentences of the passages as shown to readers; a table row counts as one sentence."""
    out: list[Candidate] = []
    for n, hit in enumerate(hits, 1):
        text = hit.text
        if hit.chunk.kind in {"table_row", "list"}:
            lines = text.split("\n")
            offset = 0
            for line in lines:
                if line.strip():
                    out.append(Candidate(n, line, offset, offset + len(line)))
                offset += len(line) + 1
            continue
        for start, end in sentence_spans(text):
            out.append(Candidate(n, text[start:end], start, end))
    return out


def best_sentences(
    query: str,
    hits: Sequence[Hit],
    embed: Callable[[list[str]], np.ndarray],
    query_vector: np.ndarray,
    document_frequency: Callable[[str], int],
    total_chunks: int,
) -> list[AnswerSentence]:
    """The sentences that answer `query` best, best first, with their passage numbers."""
    candidates = [c for c in candidate_sentences(hits) if len(_TERM.findall(c.text)) >= MIN_WORDS]
    if not candidates:
        return []
    terms = query_terms(query)
    weights = {t: math.log(1 + total_chunks / (1 + document_frequency(t))) for t in terms}
    total_weight = sum(weights.values()) or 1.0
    clean = [" ".join(strip_markers(c.text).split()) for c in candidates]
    vectors = embed(clean)
    semantic = vectors @ query_vector
    scored: dict[str, tuple[float, list[int]]] = {}
    for candidate, text, similarity in zip(candidates, clean, semantic, strict=True):
        words = {w.lower() for w in _TERM.findall(text)}
        coverage = sum(weight for term, weight in weights.items() if _covers(term, words)) / total_weight
        prior = 1.0 / (1 + 0.15 * (candidate.passage - 1))
        score = (0.5 * coverage + 0.5 * float(similarity)) * prior
        key = text.lower()
        if key in scored:
            best, cites = scored[key]
            scored[key] = (max(best, score), sorted({*cites, candidate.passage}))
        else:
            scored[key] = (score, [candidate.passage])
    texts = {
        " ".join(strip_markers(c.text).split()).lower(): " ".join(strip_markers(c.text).split()) for c in candidates
    }
    ranked = sorted(scored.items(), key=lambda item: -item[1][0])[:MAX_SENTENCES]
    return [AnswerSentence(texts[key], tuple(cites), round(score, 4)) for key, (score, cites) in ranked]


def _covers(term: str, words: set[str]) -> bool:
    """A query term is covered by the same word or one sharing its first five letters."""
    if term in words:
        return True
    if len(term) >= 5:
        stem = term[:5]
        return any(w.startswith(stem) for w in words)
    return False
