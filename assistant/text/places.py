"""Countries, their names and their people's names, read from the cited table `data/countries.tsv`.

Questions name places both ways ("Peruvian exporters", "exports from Peru"), and a passage
may use the other form, so search counts a nationality and its country as one term, and answering
checks that a sentence is about the people a question asks about. Matching is by word: a
nationality in any case, singular or plural ("Peruvians"), or a country's one-word name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from .words import WORD


@dataclass(frozen=True)
class Place:
    """A country (or a nation without one): its names and its demonyms, the usual ones first."""

    code: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def demonym(self) -> str:
        return self.demonyms[0]


class Gazetteer:
    """Look-ups of places by a word of a question or a passage."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._by_demonym: dict[str, Place] = {}
        self._by_name: dict[str, Place] = {}
        for place in places:
            for demonym in place.demonyms:
                self._by_demonym.setdefault(demonym.lower(), place)
            for name in place.names:
                self._by_name.setdefault(name.lower(), place)

    def by_demonym(self, word: str) -> Place | None:
        """The place whose people `word` names, singular or plural: "Peruvians" -> Peru."""
        low = word.lower()
        found = self._by_demonym.get(low)
        if found is None and low.endswith("s"):
            found = self._by_demonym.get(low[:-1])
        return found

    def by_name(self, name: str) -> Place | None:
        """The place a name (one word or several) stands for: "Holland" -> the Netherlands."""
        return self._by_name.get(" ".join(name.lower().split()))

    def every_word_for(self, word: str) -> list[str]:
        """Every name and people's word of the place `word` stands for, in any form ("USA" ->
        "United States", "America", "American"); none when it names no place."""
        place = self.by_name(word) or self.by_demonym(word)
        return [] if place is None else [w.lower() for w in (*place.names, *place.demonyms)]

    def is_place_word(self, word: str) -> bool:
        """A nationality in any form, or a country's one-word name, in any case."""
        low = word.lower()
        singular = low[:-1] if low.endswith("s") else low
        return self.by_demonym(low) is not None or any(" " not in w and w in self._by_name for w in (low, singular))

    def places_in(self, text: str) -> frozenset[str]:
        """The places a text names, by their usual names: a capitalised name of up to three words,
        or a nationality ("About 2,300 French nationals ... North Macedonia" -> France, North
        Macedonia)."""
        tokens = WORD.findall(text)  # "France's" is France
        found: set[str] = set()
        n = 0
        while n < len(tokens):
            width = next((w for w in (3, 2, 1) if self._place_at(tokens[n : n + w], w, found)), 1)
            n += width
        return frozenset(found)

    def _place_at(self, words: list[str], width: int, found: set[str]) -> bool:
        if len(words) < width or not (words[0][:1].isupper() and words[-1][:1].isupper()):
            return False
        place = self.by_name(" ".join(words)) or (self.by_demonym(words[0]) if width == 1 else None)
        if place is not None:
            found.add(place.name)
        return place is not None

    def alternatives(self, word: str) -> list[str]:
        """The other words that stand for the same place, lower-cased: for a nationality its
        country's names, for a country's name (of more than three letters: "UK" and "USA" name it
        too briefly to stand for its people) its nationalities."""
        low = word.lower()
        out: list[str] = []
        place = self.by_demonym(low)
        if place is not None:
            out += [name.lower() for name in place.names]
        named = self._by_name.get(low)
        if named is not None and len(low) > 3:
            out += [demonym.lower() for demonym in named.demonyms]
        return [w for w in dict.fromkeys(out) if w != low]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The places of `data/countries.tsv`."""
    text = files("assistant.text").joinpath("data", "countries.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    places = [Place(code, tuple(names.split(";")), tuple(demonyms.split(";"))) for code, names, demonyms in rows[1:]]
    return Gazetteer(places)
