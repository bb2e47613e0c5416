"""Paraphrases made one word: "came back", "returnees" and "repatriated" all say "return".

The groups are data (`data/paraphrases.toml`); a phrase matches a run of words by their stems, so
one form of a word stands for its inflections. Used where what a question asks must meet the
words a table or a sentence counts with.
"""

from __future__ import annotations

from functools import cache

from .vocabulary import data
from .words import stem


@cache
def _phrases() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Phrases as stem sequences, indexed by their first stem, longest first."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for canonical, phrases in data("paraphrases").items():
        for phrase in phrases:
            stems = tuple(stem(word) for word in phrase.split())
            index.setdefault(stems[0], []).append((stems, canonical))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


def paraphrased(words: list[str]) -> list[str]:
    """`words` with every known paraphrase replaced by the word its group stands for."""
    stems = [stem(word) for word in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase, canonical in _phrases().get(stems[i], ()):
            if tuple(stems[i : i + len(phrase)]) == phrase:
                out.append(canonical)
                i += len(phrase)
                break
        else:
            out.append(words[i])
            i += 1
    return out
