"""Words as every stage counts them: one tokenizer, one stemmer, one rule for when two words match.

A word is a run of letters or digits, the way SQLite's unicode61 tokenizer splits text. For
matching, it is folded (lower case, diacritics dropped) and reduced to its stem by M. F. Porter's
algorithm as the Snowball project implements it (PyStemmer). The lexical index stores these same
stems, so the search, the answer sentences, the figure ranking and the highlighting agree on what
matches what: "returned" meets "returning", "countries" meets "country".
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

WORD = re.compile(r"[^\W_]+")

_STEMMER = Stemmer.Stemmer("porter")
_LOCK = threading.Lock()  # a PyStemmer object must not be used by two threads at once


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, in order."""
    return [word.lower() for word in WORD.findall(text)]


def fold(word: str) -> str:
    """Lower case without diacritics: "Bogotá" -> "bogota"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The matching form of one word: folded, then stemmed ("Shipments" -> "shipment")."""
    folded = fold(word)
    with _LOCK:
        return str(_STEMMER.stemWord(folded))


def stems(text: str) -> frozenset[str]:
    """The stems of every word of `text`."""
    return frozenset(stem(word) for word in WORD.findall(text))


def stemmed(text: str) -> str:
    """`text` as the lexical index holds it: its words' stems, space-separated, in order."""
    return " ".join(stem(word) for word in WORD.findall(text))


def matches(term: str, present: Iterable[str] | frozenset[str]) -> bool:
    """Whether a term (a word or a phrase of words) occurs among the stems `present`."""
    wanted = [stem(word) for word in WORD.findall(term)]
    have = present if isinstance(present, frozenset | set) else frozenset(present)
    return bool(wanted) and all(s in have for s in wanted)
