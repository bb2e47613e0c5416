"""The lexical side of retrieval: BM25 over the FTS5 table of the chunk store."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.store.index import IndexReader

# Words that carry no topic: question scaffolding and function words.
STOPWORDS = frozenset(
    """a about above according after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing down during each few for from further get got
    had has have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of off on once only or other our ours out over own same she should so some such than
    that the their theirs them then there these they this those through to too under until up very was
    we were what when where which while who whom whose why will with would you your yours many much
    number total say said tell according approximately roughly around nearly almost currently today
    still ever overall""".split()  # noqa: SIM905 - a word list reads best as words
)
_TERM = re.compile(r"[^\W_]+", re.UNICODE)
META_WEIGHT = 0.3  # a match in the title, authors or section counts for less than one in the text
PER_TERM_CANDIDATES = 2000  # a word's best passages kept for the dis-max (all of them at this corpus's size)

# Nationality words whose country name does not share their stem (or does but stems apart):
# "Moroccan jihadists" must find the row "Morocco".
DEMONYMS = {
    "afghan": "afghanistan",
    "albanian": "albania",
    "algerian": "algeria",
    "american": "usa america",
    "australian": "australia",
    "austrian": "austria",
    "azerbaijani": "azerbaijan",
    "bangladeshi": "bangladesh",
    "belgian": "belgium",
    "bosnian": "bosnia",
    "british": "britain uk",
    "briton": "britain uk",
    "bulgarian": "bulgaria",
    "canadian": "canada",
    "chechen": "chechnya",
    "chinese": "china",
    "colombian": "colombia",
    "danish": "denmark",
    "dane": "denmark",
    "dutch": "netherlands",
    "egyptian": "egypt",
    "emirati": "emirates uae",
    "english": "england",
    "filipino": "philippines",
    "finnish": "finland",
    "french": "france",
    "georgian": "georgia",
    "german": "germany",
    "greek": "greece",
    "indian": "india",
    "indonesian": "indonesia",
    "iranian": "iran",
    "iraqi": "iraq",
    "irish": "ireland",
    "israeli": "israel",
    "italian": "italy",
    "japanese": "japan",
    "jordanian": "jordan",
    "kazakh": "kazakhstan",
    "kenyan": "kenya",
    "kosovar": "kosovo",
    "kosovan": "kosovo",
    "kuwaiti": "kuwait",
    "kyrgyz": "kyrgyzstan",
    "lebanese": "lebanon",
    "libyan": "libya",
    "macedonian": "macedonia",
    "malaysian": "malaysia",
    "moroccan": "morocco",
    "montenegrin": "montenegro",
    "nigerian": "nigeria",
    "norwegian": "norway",
    "pakistani": "pakistan",
    "palestinian": "palestine",
    "polish": "poland",
    "russian": "russia",
    "saudi": "saudi arabia",
    "scottish": "scotland",
    "serbian": "serbia",
    "serb": "serbia",
    "somali": "somalia",
    "spanish": "spain",
    "sri lankan": "sri lanka",
    "sudanese": "sudan",
    "swedish": "sweden",
    "swede": "sweden",
    "swiss": "switzerland",
    "syrian": "syria",
    "tajik": "tajikistan",
    "tanzanian": "tanzania",
    "tunisian": "tunisia",
    "turkish": "turkey",
    "turk": "turkey",
    "turkmen": "turkmenistan",
    "ugandan": "uganda",
    "uighur": "uighurs",
    "uzbek": "uzbekistan",
    "venezuelan": "venezuela",
    "welsh": "wales",
    "yemeni": "yemen",
}


COUNTRY_WORDS = frozenset(word for country in DEMONYMS.values() for word in country.split())


def is_place_word(word: str) -> bool:
    """A country or nationality word, in any case, singular or plural ("Serbia", "Moroccans")."""
    word = word.lower()
    return any(w in DEMONYMS or w in COUNTRY_WORDS for w in (word, word[:-1] if word.endswith("s") else word))


_NATIONALITIES: dict[str, list[str]] = {}
for _demonym, _country in DEMONYMS.items():
    for _word in _country.split():
        if len(_word) > 3:  # "uk", "usa" name a country too briefly to stand for its people
            _NATIONALITIES.setdefault(_word, []).append(_demonym)


def query_terms(text: str) -> list[str]:
    """Content words of a query, lower-cased, in order, without repeats; a nationality word
    brings its country's name along, and a country its nationality words."""
    return list(dict.fromkeys(term for group in term_groups(text) for term in group))


def term_groups(text: str) -> list[list[str]]:
    """Content words of a query, each with the words that stand for the same thing: "Moroccan"
    with "morocco", "Syria" with "syrian"."""
    terms = [t.lower() for t in _TERM.findall(text)]
    kept = [t for t in terms if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]
    groups: list[list[str]] = []
    seen: set[str] = set()
    for term in kept:
        if term in seen:
            continue
        group = [term]
        country = DEMONYMS.get(term) or (DEMONYMS.get(term[:-1]) if term.endswith("s") else None)
        if country:
            group.extend(country.split())
        group.extend(_NATIONALITIES.get(term, ()))
        group = [t for t in dict.fromkeys(group) if t not in seen]
        seen.update(group)
        groups.append(group)
    return groups


def lexical_search(
    reader: IndexReader, query: str, k: int, doc_ids: Sequence[str] | None = None
) -> list[tuple[int, float]]:
    """Top-k chunk positions by BM25 (higher is better), any query term matching.

    Words that stand for the same thing count once, by the best of them (a dis-max, as Lucene
    scores synonyms): a passage on "Syrian-Iraqi networks" is not worth twice one on "Syria" for a
    question that says "Syria and Iraq". BM25 is a sum over query terms, so each group's share is
    the score of a search for its words alone."""
    groups = term_groups(query)
    if all(len(group) == 1 for group in groups):
        return _bm25(reader, [group[0] for group in groups], k, doc_ids)
    total: dict[int, float] = {}
    for group in groups:
        best: dict[int, float] = {}
        for term in group:
            for pos, score in _bm25(reader, [term], PER_TERM_CANDIDATES, doc_ids):
                best[pos] = max(score, best.get(pos, 0.0))
        for pos, score in best.items():
            total[pos] = total.get(pos, 0.0) + score
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))[:k]


def _bm25(reader: IndexReader, terms: list[str], k: int, doc_ids: Sequence[str] | None) -> list[tuple[int, float]]:
    if not terms:
        return []
    match = " OR ".join(f'"{term}"' for term in terms)
    sql = f"SELECT rowid, -bm25(chunks_fts, 1.0, {META_WEIGHT}) AS score FROM chunks_fts WHERE chunks_fts MATCH ?"
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
        row = reader.db.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (f'"{term}"',)).fetchone()
        cache[term] = int(row[0])
    return cache[term]
