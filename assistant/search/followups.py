"""Follow-up questions without a generative model: resolving an elliptical turn against history.

A turn depends on the conversation when it opens with a continuation ("And ...", "What about
..."), points back with a pronoun ("of them", "there"), asks "how many" without saying of what,
or is a bare fragment ("And across Canada as a whole?"). Only then is anything carried over,
and only from the antecedent turn (the latest earlier turn, itself resolved first):

- its subject ("How many Chileans moved to work in Spain and Italy?" -> "Chileans", with the rest
  of that question as a relative clause, "who moved to work in Spain and Italy"), replacing the
  pronoun or filling the "how many" gap;
- its place ("in Spain and Italy") for "there";
- where the subject came from and went ("nurses from Chile to Spain and Italy") when a "how many"
  gap is filled, without the antecedent's verb, which the new turn replaces;
- for a fragment, the antecedent question itself with the fragment's phrase put in place of the
  matching phrase ("in eastern Canada" -> "across Canada as a whole"), or a bare name in place of
  the name of the same kind that varies ("What about Peru?" replaces "Chile" in "from Chile to
  Spain and Italy", not a member of the pair "Spain and Italy").

A self-contained question (its own subject, no pointer back) is never touched, whatever the
history says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text.function_words import AUXILIARIES, PLACE_PREPOSITIONS, PREPOSITIONS, WH_WORDS
from assistant.text.places import gazetteer
from assistant.text.vocabulary import word_set
from assistant.text.words import WORD

_CUES = re.compile(r"^\s*(?:and|but|also|then|so|or|plus|what about|how about)\b[\s,]*", re.IGNORECASE)
_POINTERS = re.compile(
    r"\b(?:of (?:them|those|these)|they|them|their|theirs|those ones|these ones|it|its|he|she|him|his|her)\b",
    re.IGNORECASE,
)
_THERE = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|be|been|have|has)\b)", re.IGNORECASE)
_EXISTENTIAL = re.compile(r"\b(?:is|are|was|were)\s+there\b", re.IGNORECASE)
_ASKS_AMOUNT = re.compile(
    r"\b(?P<ask>how many|how much|what (?:share|proportion|percentage|fraction|number|part|portion) of|which)\s+",
    re.IGNORECASE,
)
_VERBS = word_set("verbs", "question_verbs")
_PREPOSITIONS = tuple(sorted(PLACE_PREPOSITIONS))
_PLACE = re.compile(rf"\b(?:{'|'.join(_PREPOSITIONS)})\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s*(?:and\s+(?:the\s+)?)?)+")
_ENTITY = re.compile(r"(?:\b[A-Z][\w’'-]*(?:\s+(?:al-|de\s+|of\s+the\s+|of\s+)?[A-Z][\w’'-]*)*)")
_PHRASE = re.compile(rf"\b(?P<prep>{'|'.join(_PREPOSITIONS)})\s+[^,;?]+", re.IGNORECASE)


MAX_RESOLVED_CHARS = 1000  # as long as a question may be (the API's limit)


@dataclass(frozen=True)
class Resolved:
    """A question as asked, and as resolved against the conversation."""

    question: str
    query: str  # what retrieval and figure ranking use
    carried: tuple[str, ...] = ()  # phrases taken from earlier turns (empty for a standalone question)

    @property
    def is_follow_up(self) -> bool:
        return bool(self.carried)


def resolve(question: str, history: Sequence[str] = ()) -> Resolved:
    """Resolve `question` against earlier user turns (oldest first)."""
    antecedent: Resolved | None = None
    for turn in history:
        if turn.strip():
            antecedent = _resolve_one(turn.strip(), antecedent)
    return _resolve_one(question.strip(), antecedent)


def _resolve_one(question: str, antecedent: Resolved | None) -> Resolved:
    if antecedent is None or not depends_on_context(question):
        return Resolved(question, question)
    base = antecedent.query
    body = _CUES.sub("", question).strip()
    subject, clause = subject_of(base)
    entity = _last_entity(base)
    article = "the "
    if subject is None and entity is not None:
        subject, clause, article = entity, None, ""
    place = _place_of(base)
    carried: list[str] = []
    resolved = body
    if _is_fragment(body):
        resolved = _substitute_phrase(base, body, _varied_entity(base, body.strip(" ?.!")))
        carried.append(base)
    else:
        if subject and _POINTERS.search(resolved):
            referent = f"{article}{subject}" + (f" {clause}" if clause else "")
            resolved = _POINTERS.sub(lambda m: _replace_pointer(m.group(), referent), resolved, count=1)
            carried.append(referent)
        elif subject and _missing_subject(resolved):
            match = _ASKS_AMOUNT.search(resolved)
            if match:
                origin = None if _THERE.search(resolved) else _places_of(clause or "")
                filler = f"{subject} {origin}" if origin and origin not in subject else subject
                resolved = resolved[: match.end()] + filler + " " + resolved[match.end() :]
                carried.append(filler)
        if place and _THERE.search(resolved) and not _EXISTENTIAL.search(resolved):
            resolved = _THERE.sub(place, resolved, count=1)
            carried.append(place)
        if not carried:
            # Nothing to slot in: keep the antecedent's topic alongside the question.
            carried.append(base)
            resolved = f"{resolved.rstrip('?')} ({base.rstrip('?')})"
    resolved = _bounded(resolved[:1].upper() + resolved[1:])
    return Resolved(question, resolved, tuple(carried))


def _bounded(query: str) -> str:
    """A resolved query no longer than a question may be: what a long history carries in is cut at
    a word, keeping the turn's own words, which come first."""
    if len(query) <= MAX_RESOLVED_CHARS:
        return query
    cut = query[:MAX_RESOLVED_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def depends_on_context(question: str) -> bool:
    """Does this turn lean on earlier ones (a continuation cue, a pointer back, a missing subject,
    or no question of its own)?"""
    text = question.strip()
    if not text:
        return False
    if _CUES.match(text):
        return True
    body = _CUES.sub("", text)
    if _POINTERS.search(body):
        return True
    if _THERE.search(body) and not _EXISTENTIAL.search(body):
        return True
    return _missing_subject(body) or _is_fragment(body) or _bare_wh(body)


def subject_of(question: str) -> tuple[str | None, str | None]:
    """The thing a question asks about and the rest of it as a relative clause:
    "How many Chileans moved to work in Spain?" -> ("Chileans", "who moved to work in Spain")."""
    match = _ASKS_AMOUNT.search(question)
    if not match:
        return None, None
    words = question[match.end() :].rstrip(" ?.!").split()
    if words and words[0].lower() == "of":
        words = words[1:]
    noun: list[str] = []
    for n, word in enumerate(words):
        bare = word.lower().strip(",;")
        if (
            bare in AUXILIARIES
            or (bare in _VERBS and n > 0)
            or (bare.endswith("ed") and n > 0 and not word[0].isupper())
        ):
            rest = " ".join(words[n:])
            if bare in AUXILIARIES:
                rest = re.sub(r"^(?:did|do|does)\s+", "", rest)
                rest = re.sub(r"^(\w+)\s+say\b", r"\1 said", rest)
            return _tidy(noun) or None, f"that {rest}" if rest else None
        noun.append(word)
    return _tidy(noun) or None, None


def _tidy(words: list[str]) -> str:
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words).strip(" ,")


def _replace_pointer(pointer: str, referent: str) -> str:
    lowered = pointer.lower()
    if lowered.startswith("of "):
        return f"of {referent}"
    if lowered in {"their", "its", "his", "her", "theirs"}:
        return f"{referent}'s"
    return referent


def _missing_subject(text: str) -> bool:
    """ "how many came back", "how many were killed": the amount is asked of nothing."""
    match = _ASKS_AMOUNT.search(text)
    if not match:
        return False
    following = text[match.end() :].split()
    return bool(following) and following[0].lower().strip("?,") in (AUXILIARIES | _VERBS)


def _bare_wh(text: str) -> bool:
    """A question of a preposition and a question word, and no verb: "In how many countries?",
    "Since when?", "From which provinces?" (what happened there is the earlier turn's)."""
    words = [w.lower().strip("?,.!") for w in text.split()]
    return (
        1 < len(words) <= 6
        and words[0] in PREPOSITIONS
        and words[1] in WH_WORDS
        and not any(w in AUXILIARIES or w in _VERBS for w in words)
    )


def _is_fragment(text: str) -> bool:
    """No question word and no verb: "across Canada as a whole?", "in 2016?", "Peru?"."""
    words = [w.lower().strip("?,.!") for w in text.split()]
    if not words or len(words) > 8:
        return False
    if any(w in WH_WORDS for w in words):
        return False
    return not any(w in AUXILIARIES or w in _VERBS for w in words)


def _place_of(question: str) -> str | None:
    """The last place phrase of a question ("in Spain and Italy")."""
    matches = list(_PLACE.finditer(question))
    return matches[-1].group().strip() if matches else None


def _places_of(clause: str) -> str | None:
    """Every place phrase of a clause, in order ("from Chile to Spain and Italy"): where the
    subject came from matters as much as where it went."""
    phrases = [m.group().strip() for m in _PLACE.finditer(clause)]
    return " ".join(phrases) or None


def _varied_entity(base: str, piece: str) -> str | None:
    """The name in `base` that a bare name `piece` stands in for: one of the same kind (a place for
    a place), not a member of a pair such as "Spain and Italy" (the setting, rarely what changes),
    the last of those."""
    runs = [m for m in _ENTITY.finditer(base) if m.start() > 0]
    if not runs:
        return None
    paired = [
        m
        for m in runs
        if re.match(r"\s+(?:and|or)\s", base[m.end() :]) or re.search(r"\s(?:and|or)\s+(?:the\s+)?$", base[: m.start()])
    ]
    single = [m for m in runs if m not in paired] or runs
    kind = _is_place(piece)
    same = [m for m in single if _is_place(m.group()) == kind] or single
    return same[-1].group().strip()


def _is_place(name: str) -> bool:
    places = gazetteer()
    return any(places.is_place_word(w) for w in WORD.findall(name))


def _last_entity(question: str) -> str | None:
    """The last run of capitalised words after the first word ("Banco Santander")."""
    runs = [m for m in _ENTITY.finditer(question) if m.start() > 0]
    return runs[-1].group().strip() if runs else None


def _substitute_phrase(base: str, fragment: str, entity: str | None) -> str:
    """Put a fragment's phrase in place of the antecedent's phrase with the same role, or add it:
    "across Canada as a whole" replaces "in eastern Canada"; "Peru" replaces "Chileans" (as
    "Peruvians")."""
    piece = fragment.strip(" ?.!")
    if entity and piece[:1].isupper() and not _PHRASE.match(piece) and entity in base:
        return base.replace(entity, _as_in(entity, piece), 1)
    own = _PHRASE.match(piece)
    if own:
        phrases = [m for m in _PHRASE.finditer(base) if m.group("prep").lower() in _PREPOSITIONS]
        places = [m for m in phrases if re.search(r"[A-Z]", m.group())]
        if places:
            target = places[-1]
            end = target.end()
            # only the phrase itself, up to its noun: stop before a verb that follows it
            tail = base[target.start() : end]
            cut = re.search(r"\s+(?:are|is|was|were|have|has|had|did)\b", tail)
            if cut:
                end = target.start() + cut.start()
            return (base[: target.start()] + piece + base[end:]).strip()
    return f"{base.rstrip(' ?')} ({piece})"


def _as_in(entity: str, replacement: str) -> str:
    """Say `replacement` the way `entity` was said: a nationality for a nationality, plural for
    plural ("Chileans" -> "Peruvians" for "Peru")."""
    places = gazetteer()
    place = places.by_name(replacement)
    if place is None or places.by_demonym(entity) is None:
        return replacement
    plural = entity.lower().endswith("s") and not entity.lower().endswith(_UNCHANGED_PLURALS)
    invariable = place.demonym.lower().endswith(_UNCHANGED_PLURALS)
    return place.demonym + ("s" if plural and not invariable else "")


# Nationalities whose plural is the singular: "the Chinese", "the Swiss", "the Dutch".
_UNCHANGED_PLURALS = ("ese", "ss", "sh", "ch")
