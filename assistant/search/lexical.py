"""The lexical side of retrieval: BM25 over the FTS5 table of the chunk store.

The store indexes each passage's stems (`assistant.text.words`), and a query is stemmed the same
way, so what the search finds is what answering and highlighting count as a match."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from assistant.store import IndexReader
from assistant.text.function_words import PRONOUNS, STOPWORDS
from assistant.text.places import gazetteer
from assistant.text.words import stemmed, words

from .weights import WEIGHTS, SearchWeights

_FUNCTION = STOPWORDS | PRONOUNS

MAX_CACHED_TERMS = 50_000  # document frequencies kept per index


def query_terms(text: str) -> list[str]:
    """Content words of a query, lower-cased, in order, without repeats; a nationality word
    brings its country's names along, and a country its nationality words."""
    return list(dict.fromkeys(term for group in term_groups(text) for term in group))


def term_groups(text: str) -> list[list[str]]:
    """Content words of a query, each with the words that stand for the same thing: "Peruvian"
    with "peru", a country's name with its nationality. A place named in several words is also one
    term, with its other names, before its words: "United Kingdom" with "uk", "britain", "british"
    (a passage may name it so), then "united" and "kingdom"."""
    places = gazetteer()
    named = _places_named(text)
    all_words = words(text)
    starts: dict[int, str] = {}
    for name in named:
        size = len(name.split())
        for start in range(len(all_words) - size + 1):
            if " ".join(all_words[start : start + size]) == name:
                starts.setdefault(start, name)
    groups: list[list[str]] = []
    seen: set[str] = set()
    n = 0
    while n < len(all_words):
        place = starts.pop(n, "")
        if place:
            candidates = [place, *named[place]]
        else:
            term = all_words[n]
            n += 1
            if not _is_content(term):
                continue
            candidates = [term, *places.alternatives(term)]
        # a name that is also a function word ("US" is "us") would find every passage that uses the word
        group = [t for t in dict.fromkeys(candidates) if t not in seen and (t == candidates[0] or t not in _FUNCTION)]
        if group and group[0] == candidates[0]:
            seen.update(group)
            groups.append(group)
    return groups


def _places_named(text: str) -> dict[str, list[str]]:
    """The names of several words that `text` gives places by ("united kingdom"), each with the
    place's other names and its people's words."""
    places = gazetteer()
    low = " ".join(words(text))
    out: dict[str, list[str]] = {}
    for place in places.places_in(text):
        forms = places.every_word_for(place)
        for form in forms:
            phrase = " ".join(words(form))
            if " " in phrase and f" {phrase} " in f" {low} ":
                out[phrase] = [f for f in forms if f != form]
    return out


def _content_words(text: str) -> list[str]:
    """A text's words, lower-cased and in order, less function words and single letters (not digits)."""
    return [t for t in words(text) if _is_content(t)]


def _is_content(word: str) -> bool:
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


def lexical_search(
    reader: IndexReader, query: str, k: int, doc_ids: Sequence[str] | None = None, weights: SearchWeights = WEIGHTS
) -> list[tuple[int, float]]:
    """Top-k chunk positions by BM25 (higher is better), any query term matching.

    Words that stand for the same thing count once, by the best of them (a dis-max, as Lucene
    scores synonyms): a passage on "Peruvian-Chilean trade" is not worth twice one on "Peru" for a
    question that says "Peru and Chile". BM25 is a sum over query terms, so each group's share is
    the score of a search for its words alone."""
    groups = term_groups(query)
    if all(len(group) == 1 for group in groups):
        return _bm25(reader, [group[0] for group in groups], k, doc_ids, weights.meta)
    total: dict[int, float] = {}
    for group in groups:
        best: dict[int, float] = {}
        for term in group:
            for pos, score in _bm25(reader, [term], weights.per_term_candidates, doc_ids, weights.meta):
                best[pos] = max(score, best.get(pos, 0.0))
        for pos, score in best.items():
            total[pos] = total.get(pos, 0.0) + score
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))[:k]


def phrase_search(
    reader: IndexReader, query: str, k: int, doc_ids: Sequence[str] | None = None, weights: SearchWeights = WEIGHTS
) -> list[tuple[int, float]]:
    """Top-k chunk positions by BM25 over the query's consecutive content words found together
    (at most `weights.near` words apart, in any order): "tax benefits realized", "deferred income
    tax assets". Word order is what a bag of words loses; a passage holding the question's phrases
    is about what it asks more surely than one holding its words scattered."""
    pairs = list(dict.fromkeys((a, b) for a, b in pairwise(_content_words(query)) if a != b))
    if not pairs:
        return []
    match = " OR ".join(f'NEAR("{stemmed(a)}" "{stemmed(b)}", {weights.near})' for a, b in pairs)
    return _bm25_match(reader, match, k, doc_ids, weights.meta)


def _bm25(
    reader: IndexReader, terms: list[str], k: int, doc_ids: Sequence[str] | None, meta: float
) -> list[tuple[int, float]]:
    if not terms:
        return []
    return _bm25_match(reader, " OR ".join(f'"{stemmed(term)}"' for term in terms), k, doc_ids, meta)


def _bm25_match(
    reader: IndexReader, match: str, k: int, doc_ids: Sequence[str] | None, meta: float
) -> list[tuple[int, float]]:
    """BM25 of the passages an FTS5 query matches, best first."""
    sql = f"SELECT rowid, -bm25(chunks_fts, 1.0, {meta}) AS score FROM chunks_fts WHERE chunks_fts MATCH ?"
    args: list[object] = [match]
    if doc_ids is not None:
        ranges = [r for r in (reader.doc_range(d) for d in doc_ids) if r is not None]
        if not ranges:
            return []
        sql += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in ranges) + ")"
        for low, high in ranges:
            args += [low, high]
    sql += " ORDER BY score DESC LIMIT ?"
    args.append(k)
    return [(int(pos), float(score)) for pos, score in reader.db.execute(sql, args)]


def document_frequency(reader: IndexReader, term: str) -> int:
    """In how many passages a query term occurs (after the same stemming as the search)."""
    cache: dict[str, int] = reader.cache.setdefault("document_frequency", {})
    if term not in cache:
        row = reader.db.execute(
            "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (f'"{stemmed(term)}"',)
        ).fetchone()
        while len(cache) >= MAX_CACHED_TERMS:  # bounded: every distinct word of every query would stay
            del cache[next(iter(cache))]  # the oldest first
        cache[term] = int(row[0])
    return cache[term]
