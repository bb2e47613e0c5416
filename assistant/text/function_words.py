"""English function words, read from cited data files in `data/`.

`STOPWORDS` (Snowball's English stop list with the words that frame a question) are left out of
search terms and of what a question asks; the closed word classes (determiners, prepositions,
auxiliaries, ...) serve the reading rules of cleaning, follow-ups and figures. Each stage takes
what it needs from here instead of keeping a list of its own.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files


def _lines(name: str) -> frozenset[str]:
    text = files("assistant.text").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _classes() -> dict[str, frozenset[str]]:
    text = files("assistant.text").joinpath("data", "word_classes.toml").read_text(encoding="utf-8")
    return {name: frozenset(str(words).split()) for name, words in tomllib.loads(text).items()}


SNOWBALL_STOPWORDS = _lines("stopwords_en.txt")
QUESTION_WORDS = _lines("question_words.txt")
STOPWORDS = SNOWBALL_STOPWORDS | QUESTION_WORDS

_CLASSES = _classes()
DETERMINERS = _CLASSES["determiners"]
POSSESSIVES = _CLASSES["possessives"]
PRONOUNS = _CLASSES["pronouns"]
PREPOSITIONS = _CLASSES["prepositions"]
CONJUNCTIONS = _CLASSES["conjunctions"]
AUXILIARIES = _CLASSES["auxiliaries"]
WH_WORDS = _CLASSES["wh_words"]
COPULAS = _CLASSES["copulas"]
TITLE_MINOR = _CLASSES["title_minor"]
NAME_PARTICLES = _CLASSES["name_particles"]
NAME_LEADS = _CLASSES["name_leads"]
COMPOUND_PREFIXES = _CLASSES["compound_prefixes"]
PLACE_PREPOSITIONS = _CLASSES["place_prepositions"]
