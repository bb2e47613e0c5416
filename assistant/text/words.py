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

from .function_words import NAME_PARTICLES

WORD = re.compile(r"[^\W_]+")
# A name of two or more capitalised words, with the particles names take between them ("Office of
# the High Commissioner for Human Rights").
_PARTICLE = rf"(?:{'|'.join(sorted(NAME_PARTICLES))})"
_NAME = re.compile(rf"\b[A-Z][^\W_]*(?:\s+(?:{_PARTICLE}\s+)*[A-Z][^\W_]*)+")

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


def initials(text: str) -> frozenset[str]:
    """The initials of the names of `text` (runs of capitalised words), folded: what an acronym of
    one of them would be ("United Nations" -> "un", "Office of the High Commissioner for Human
    Rights" -> "ohchr")."""
    found: set[str] = set()
    for m in _NAME.finditer(text):
        letters = fold("".join(word[0] for word in WORD.findall(m.group()) if word[0].isupper()))
        # and of the names within it: "The United Nations" is also "United Nations"
        found.update(letters[i:j] for i in range(len(letters)) for j in range(i + 2, len(letters) + 1))
    return frozenset(found)
