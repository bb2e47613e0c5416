"""Whose a figure is, read backward from it: the owner a verb links to it ("IBM ... employs around
7,500"), the noun a figure with nothing after it leaves out ("a total of 10,000", "stood at 155"),
an owner shared along a list of counts, and the name an identifier's number belongs to.

Apart from the forward reading (what a figure counts) because the two walk the sentence in
opposite directions with different stopping rules.
"""

from __future__ import annotations

import re

from ._lexicon import (
    _ADVERBS,
    _AUX,
    _BACK_STOP,
    _CLAUSE_STOP,
    _DETERMINERS,
    _LEVEL_VERBS,
    _MONTH_WORDS,
    _NOT_AGENT_VERBS,
    _POSSESSION,
    _PREPS,
    _PRONOUNS,
    _RELATIVE,
    _TRAILING,
)
from ._numbers import _Read
from ._tokens import (
    _cut,
    _is_name,
    _is_past,
    _is_trailing,
    _is_verbal,
    _is_year_token,
    _open_paren,
    _previous_noun,
    _Sentence,
    _Tok,
)


def _missing_noun(s: _Sentence, b: int, kind: str, has_predicate: bool) -> tuple[list[str], int, bool]:
    """What a figure with no noun after it counts, where to look for its owner, and whether the
    guess is weak: "a total of 10,000", "stood at 155", "men (256)", "130 had been killed"."""
    low = s.word(b)
    previous = _previous_noun(s, kind)
    if b < s.lo or (has_predicate and previous):
        return previous, b, False
    if low == "of":
        words, k = _back_phrase(s, b - 1)
        return words, k, False
    if low in {"at", "to"} and s.word(b - 1) in _LEVEL_VERBS:
        return _clause_subject(s, b - 2), s.lo - 1, False
    if low == "to":
        words, k = _back_phrase(s, b - 1)
        if words and _is_verbal(s.word(k)):
            return words, k, False  # "bringing the total number to 431"
    if low in _AUX or _is_past(low):
        return _clause_subject(s, b), s.lo - 1, False
    if low == "(":
        words, k = _back_phrase(s, b - 1, through_of=True)
        return words, k, False
    if previous and low in {",", "and", "or", "to", "whom", "which"}:
        return previous, b, False
    if previous:
        return previous, b, True
    words, _ = _back_phrase(s, b, limit=4)
    return words, b, True


def _back_phrase(s: _Sentence, k: int, limit: int = 6, through_of: bool = False) -> tuple[list[str], int]:
    """The noun phrase ending at token `k`, read backwards, and the index before it."""
    words: list[str] = []
    while k >= s.lo and len(words) < limit:
        tok = s.tokens[k]
        if tok.text == ")":
            k = _open_paren(s, k) - 1
            continue
        if not tok.is_word or tok.low in _BACK_STOP | _TRAILING | _PRONOUNS or _is_year_token(tok):
            break
        if words and _is_past(tok.text):
            break
        if tok.low in _PREPS and not (through_of and tok.low == "of"):
            break
        words.insert(0, tok.text)
        k -= 1
    while k >= s.lo and s.word(k) in _DETERMINERS:
        k -= 1
    return words, k


def _clause_subject(s: _Sentence, k: int) -> list[str]:
    """The subject of the clause whose verb ends at token `k`: "the average sentence ... has been"."""
    while k >= s.lo and (s.word(k) in _AUX | _ADVERBS | _LEVEL_VERBS | {"to"} or _is_past(s.word(k))):
        k -= 1
    end = k
    while k >= s.lo and s.tokens[k].text not in {",", ";", ":", "(", "—", "–"} and s.word(k) not in _RELATIVE:
        if s.word(k) in _CLAUSE_STOP - _DETERMINERS - _ADVERBS and _names_something(s.tokens[k + 1 : end + 1]):
            break  # "... as the number of returnees", but not "as of early 2019"
        k -= 1
    if k >= s.lo and k == end and s.tokens[k].text in {"—", "–"}:
        return _clause_subject(s, k - 1)  # "the number of returnees – now estimated at"
    words = [t.text for t in s.tokens[k + 1 : end + 1] if t.is_word]
    while words and words[0].lower() in _DETERMINERS | _CLAUSE_STOP | _PREPS:
        words.pop(0)
    cut = next((i for i, w in enumerate(words) if w in _MONTH_WORDS or (w.isdigit() and len(w) == 4)), len(words))
    words = _cut(words[:cut], 8)
    while words and _is_trailing(words[-1]):
        words.pop()
    return words


def _names_something(tokens: list[_Tok]) -> bool:
    skip = _PREPS | _DETERMINERS | _TRAILING
    return any(t.is_word and t.low not in skip and not _is_year_token(t) for t in tokens)


def _subject(s: _Sentence, k: int) -> tuple[str, str] | None:
    """Who has the figure when a verb links them: "IBM ... maintains around 7,500" -> ("IBM", "maintains")."""
    while k >= s.lo and s.word(k) in _ADVERBS:
        k -= 1
    verb = s.word(k)
    if verb not in _POSSESSION and not (_is_past(verb) and verb not in _NOT_AGENT_VERBS):
        return None
    k -= 1
    while k >= s.lo and (s.word(k) in _AUX | _ADVERBS | {"to"} or _is_past(s.word(k))):
        k -= 1  # "IBM was reported to have"
    words = _subject_words(s, k)
    return (" ".join(words), verb) if words else None


def _subject_words(s: _Sentence, k: int) -> list[str]:
    words: list[str] = []
    while k >= s.lo and len(words) < 8:
        tok = s.tokens[k]
        if tok.text == ")":
            k = _open_paren(s, k) - 1
            continue
        if words and _is_name(words[0]) and tok.low in {"and", "of", "in"}:
            before = s.tokens[k - 1] if k > s.lo else None
            if tok.low != "in" or (before is not None and before.text.islower() and before.low not in _BACK_STOP):
                words.insert(0, tok.text)  # "Dow ... and Jones ...", "a court in Delaware"
                k -= 1
                continue
        if tok.low in _PREPS:
            return []  # the words were the object of a preposition, not a subject
        if not tok.is_word or tok.low in _BACK_STOP - _DETERMINERS:
            break
        if words and _is_past(tok.text):
            break
        words.insert(0, tok.text)
        if tok.low in _DETERMINERS:
            if s.word(k - 1) in _PREPS:
                return []  # "over the years identified"
            break
        k -= 1
    return _trim_subject(words)


def _trim_subject(words: list[str]) -> list[str]:
    while words and words[0].lower() in (_DETERMINERS - {"the"}) | {"and", "of", "in"}:
        words.pop(0)
    if not words or all(w.lower() in _PRONOUNS for w in words):
        return []
    body = words[1:] if words[0] == "the" else words
    lower = [w for w in body if not _is_name(w) and w.lower() not in {"and", "of"}]
    if any(w.lower() in _PREPS for w in lower):
        return words  # "court in Delaware", "government of Ontario"
    if lower and body and (_is_name(body[0]) or all(not _is_name(w) for w in body[: len(lower)])):
        run: list[str] = []
        for word in reversed(words):
            if not (_is_name(word) or (run and word.lower() in {"and", "of"})):
                break
            run.insert(0, word)
        if run:
            return run  # "in Ohio alone Acme" -> "Acme"; "the small Fabrika ..." -> "Fabrika ..."
    return words


def _join_subject(label: str, subject: tuple[str, str]) -> str:
    who, verb = subject
    if verb in _POSSESSION:
        if re.fullmatch(r"[A-Z]{2,6}", who):
            return f"{who} {label}"  # "IBM employees assigned to Europe"
        return f"{label} of {who}"  # "registered members of the cooperative"
    return f"{label} {verb} by {who}"  # "citizens repatriated by the government of Ontario"


def _inherited_subject(s: _Sentence, b: int) -> tuple[str, str] | None:
    """A count listed right after one with an owner shares it: "7,500 employees ..., 2,500 employees"."""
    for earlier in reversed(s.done):
        if earlier.kind != "count":
            continue
        between = s.tokens[earlier.stop : b + 1]
        if earlier.subject is None or len(between) > 8:
            return None
        if any(t.low in _AUX | _RELATIVE or t.text in {";", ":"} or _is_verbal(t.text) for t in between):
            return None
        return earlier.subject
    return None


def _identifier_label(s: _Sentence, read: _Read) -> str:
    """ "NY route number of Sunrise Highway": the name before the parenthesis the number is in."""
    if read.follows is not None:
        return read.follows.label
    kind = f"{read.id_name} number"
    k = s.after(read.id_start) - 1
    if s.word(k) != "(":
        return kind
    name = _name_before(s, k - 1)
    return f"{kind} of {name}" if name else kind


def _name_before(s: _Sentence, k: int) -> str:
    words: list[str] = []
    while k >= s.lo and len(words) < 8:
        tok = s.tokens[k]
        stop = _AUX | _RELATIVE | _CLAUSE_STOP | _DETERMINERS | {"and", "or"}
        if not tok.is_word or tok.low in stop or _is_past(tok.text):
            break
        words.insert(0, tok.text)
        k -= 1
    run: list[str] = []
    for word in reversed(words):
        if not _is_name(word):
            break
        run.insert(0, word)
    if len(run) >= 2 or len(run) == len(words):
        return " ".join(run)
    return " ".join(words)
