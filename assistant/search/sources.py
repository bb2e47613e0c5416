"""Which documents a question names by who wrote or issued them: "according to Smith", "the
Brookings Institution's estimate", "Amazon's FY2017 revenue", "JnJ's adjusted EPS".

An author is named by surname. A publisher or issuer is named by its name without the legal form
(`organisations.toml`: "AMAZON.COM, INC." is named "Amazon", "Ulta Beauty, Inc." "Ulta Beauty"),
its words in a row and the first one capitalised in the question, or by its ticker or bracketed
acronym ("Johnson & Johnson (NYSE: JNJ)" is named "JNJ" or "JnJ", "Government Accountability
Office (GAO)" "GAO": a word of two capitals or more, any case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from assistant.model import DocumentInfo
from assistant.text.periods import FilingPeriod, asked_period, period_match
from assistant.text.vocabulary import word_set
from assistant.text.words import WORD

# A ticker after its exchange, "(NYSE: JNJ)", or an acronym in brackets, "(GAO)".
_TICKER = re.compile(r"\((?:[A-Za-z ]+:\s*)?(?P<ticker>[A-Z][A-Z.]{1,5})\)")


@cache
def _legal_forms() -> frozenset[str]:
    return word_set("organisations", "legal_forms.words")


@lru_cache(maxsize=4096)  # asked of every document's publisher for every question
def issuer_names(publisher: str) -> tuple[tuple[tuple[str, ...], ...], str | None]:
    """The names a publisher goes by, as runs of lower-case words, and its ticker if it has one."""
    ticker = _TICKER.search(publisher)
    text = _TICKER.sub(" ", publisher)
    names: list[tuple[str, ...]] = []
    run: list[str] = []
    for word in (w.lower() for w in WORD.findall(text)):
        if word in _legal_forms() or word == "com":  # "AMAZON.COM" is Amazon
            if run:
                names.append(tuple(run))
            run = []
        else:
            run.append(word)
    if run:
        names.append(tuple(run))
    return tuple(dict.fromkeys(names)), ticker["ticker"] if ticker else None


def names_issuer(question: str, publisher: str) -> bool:
    """Whether a question names a publisher (or issuer) by its name or its ticker."""
    tokens = WORD.findall(question)
    lowered = [t.lower() for t in tokens]
    names, ticker = issuer_names(publisher)
    own = set(WORD.findall(publisher))  # as the publisher spells itself: "eBay" is not capitalised
    for name in names:
        for at in range(len(tokens) - len(name) + 1):
            if tuple(lowered[at : at + len(name)]) == name and (tokens[at][:1].isupper() or tokens[at] in own):
                return True
    if ticker is not None and len(ticker) >= 2:
        return any(t.lower() == ticker.lower() and sum(c.isupper() for c in t) >= 2 for t in tokens)
    return False


def named_sources(documents: Iterable[DocumentInfo], question: str) -> list[str]:
    """Documents whose author (by surname) or publisher the question names; a publisher named by
    its ticker in one document's cover is named in all of its documents ("JnJ" names the 8-K of
    Johnson & Johnson as well as its releases that print "(NYSE: JNJ)")."""
    documents = list(documents)
    named_by_author = set()
    issuers: set[tuple[str, ...]] = set()
    for doc in documents:
        if _surnames_named([doc], question):
            named_by_author.add(doc.doc_id)
        if doc.publisher and names_issuer(question, doc.publisher):
            issuers.update(issuer_names(doc.publisher)[0])
    return [
        doc.doc_id
        for doc in documents
        if doc.doc_id in named_by_author or (doc.publisher and issuers & set(issuer_names(doc.publisher)[0]))
    ]


def source_words(documents: Iterable[DocumentInfo], question: str) -> frozenset[str]:
    """The lower-cased words by which a question routed to these documents names them: their
    publishers' names and tickers (`issuer_words`) and the surnames of their authors it gives
    ("according to Mironova"). They say whose documents to read, not what to find in them."""
    documents = list(documents)
    return issuer_words(documents) | {name.lower() for name in _surnames_named(documents, question)}


def _surnames_named(documents: Iterable[DocumentInfo], question: str) -> set[str]:
    """The surnames of these documents' authors that the question gives, as written."""
    surnames = {a.split()[-1] for doc in documents for a in doc.authors if len(a.split()[-1]) >= 3}
    return {name for name in surnames if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", question)}


def period_sources(documents: Iterable[DocumentInfo], question: str, among: Iterable[str] | None = None) -> list[str]:
    """The filings (among those given, or all) whose period best meets the periods the question
    names (`period_match`: the cover's day, then fiscal year and quarter, then fiscal year); none
    when it names no period, or when every filing meets it alike."""
    asked = asked_period(question)
    if asked is None:
        return []
    wanted = set(among) if among is not None else None
    grades = {
        d.doc_id: period_match(asked, FilingPeriod.read(d.periods))
        for d in documents
        if wanted is None or d.doc_id in wanted
    }
    best = max(grades.values(), default=0)
    chosen = [doc_id for doc_id, grade in grades.items() if grade == best]
    return chosen if best > 0 and len(chosen) < len(grades) else []


def issuer_words(documents: Iterable[DocumentInfo]) -> frozenset[str]:
    """The lower-cased words of the names and tickers of these documents' publishers: in a question
    routed to them, words that say whose documents to read, not what to find in them."""
    found: set[str] = set()
    for doc in documents:
        if doc.publisher:
            names, ticker = issuer_names(doc.publisher)
            found.update(word for name in names for word in name)
            if ticker:
                found.add(ticker.lower())
    return frozenset(found)
