"""What a figure counts, read forward from it: the noun phrase after it ("employees assigned to
Europe"), the verb group when the figure opens its clause ("had returned home"), and the whole a
share is of ("30% of residents").

Apart from the backward reading (whose the figure is) because the two walk the sentence in
opposite directions with different stopping rules.
"""

from __future__ import annotations

from ._lexicon import (
    _ADVERBS,
    _AUX,
    _CLAUSE_OPENERS,
    _CLAUSE_STOP,
    _COMPARATIVES,
    _DETERMINERS,
    _FINITE,
    _PARTITIVE,
    _PREPS,
    _QUALIFIER_STARTS,
    _QUALIFIER_WORDS,
    _RELATIVE,
    _SIGNS,
    _WORD_VALUES,
    unit_named,
)
from ._numbers import _Read
from ._tokens import (
    _close_paren,
    _is_number,
    _is_past,
    _is_trailing,
    _is_verbal,
    _is_year_token,
    _previous_noun,
    _Sentence,
)


def _phrase_after(s: _Sentence, read: _Read, a: int, opens: bool) -> tuple[list[str], list[str]]:
    """The noun phrase after a figure and, when the figure opens its clause, the verb group after
    that: "about 30% of ... residents ..." + "had returned home"."""
    if s.word(a) in {"and", "or"} and a + 1 < s.hi and _is_number(s.tokens[a + 1]):
        a = _skip_numbers(s, a + 1)  # "358 and 323 nationals"
    if read.kind == "multiplier" and s.word(a) == "as":
        a += 1  # "10 times as many flag officers"
    core, read.stop = _core(s, a)
    core = _with_extra(read, core)
    predicate: list[str] = []
    if len(core) == 1 and _is_past(core[0]) and not read.extra:
        predicate, core = core, []  # "(nine misfired)"
    elif opens and not (core and core[0].lower() in _PREPS):
        predicate = _predicate(s, read.stop)
    if core and (core[0].lower() == "of" or core[:2] == ["out", "of"]):
        partitive = len(core) > 1 and core[1].lower() in _PARTITIVE  # its verb goes into the complement
        core = _complement(s, a, core)
        read.share = _head(core)
        predicate = [] if partitive else predicate or (_predicate(s, read.stop) if opens else [])
    return core, predicate


def _skip_numbers(s: _Sentence, k: int) -> int:
    while k < s.hi and (
        _is_number(s.tokens[k])
        or s.tokens[k].text in f"%~{_SIGNS}"
        or _is_unit(s.word(k))
        or (s.word(k) in {"per", "cent"})
    ):
        k += 1
    return k


def _is_unit(word: str) -> bool:
    return unit_named(word) is not None or word in {"percent", "times"}


def _with_extra(read: _Read, core: list[str]) -> list[str]:
    if read.extra == "age":
        return ["age of", *core]
    if read.extra == "strong":
        return ["strength of", *core]
    if read.extra:
        return [read.extra, *core]  # "12-rocket attack"
    return core


def _core(s: _Sentence, i: int, limit: int = 18) -> tuple[list[str], int]:
    """The noun phrase after a figure, with its modifiers ("employees assigned to Europe")."""
    words: list[str] = []
    while i < s.hi and len(words) < limit:
        tok = s.tokens[i]
        if tok.text == "(":
            close = _close_paren(s, i)
            if any(_is_number(t) for t in s.tokens[i:close]):
                break  # a list of parts: "110 of its citizens (four men, ...)"
            i = close + 1  # "124 (adult male) patients"
            continue
        if not _continues(s, i, words):
            break
        words.append(tok.text)
        i += 1
    while words and _is_trailing(words[-1]):
        words.pop()
    return words, i


def _continues(s: _Sentence, i: int, words: list[str]) -> bool:
    tok = s.tokens[i]
    low, last = tok.low, (words[-1].lower() if words else "")
    if not tok.is_word or _is_year_token(tok):
        return False
    if low in _AUX:
        return last in _RELATIVE or last == "to"  # "who had returned", "thought to have gone"
    if low in _RELATIVE:
        return (
            last in {"those", "these", "people"} or not words or (last == "of" and low in {"whom", "which"})
        )  # "those who ...", "129 who have left"
    if low == "than":
        return last in _COMPARATIVES  # "15 times higher than ..."
    if low in _FINITE:
        return last in _RELATIVE  # "who remain alive"
    if low in _CLAUSE_STOP:
        return False
    nxt = s.tokens[i + 1] if i + 1 < s.hi else None
    after = s.tokens[i + 2] if i + 2 < s.hi else None
    if nxt is not None and f"{low} {nxt.low}" in _QUALIFIER_WORDS:
        return False  # "... represents less than five percent"
    if low in {"and", "or"}:
        if nxt is None or not nxt.is_word or _is_number(nxt) or nxt.low in _DETERMINERS or _is_verbal(nxt.text):
            return False
        return after is None or not (_is_number(after) or f"{nxt.low} {after.low}" in _QUALIFIER_WORDS)
    if words and _is_past(tok.text) and not _modifies(words):
        return nxt is not None and nxt.low in _PREPS | {"to"}  # a participle, not "workers joined IBM"
    return True


def _modifies(words: list[str]) -> bool:
    """Whether a past form after `words` is an adjective or a relative clause's verb, not the main verb."""
    last = words[-1].lower()
    return (
        last in _PREPS | _DETERMINERS | {"and", "or"}
        or last.endswith("ly")
        or bool(_RELATIVE & {w.lower() for w in words})
    )


def _opens_clause(s: _Sentence, b: int) -> bool:
    """Whether the figure starts its clause, so that the verb after it says what it counts."""
    while b >= s.lo and s.word(b) in {"only", "just", "roughly"}:
        b -= 1
    if b < s.lo:
        return True
    return s.tokens[b].text in {",", ";", ":", "(", "—", "–"} or s.word(b) in _CLAUSE_OPENERS


def _predicate(s: _Sentence, i: int) -> list[str]:
    """The verb group after a figure's noun phrase: "had returned home", "were convicted"."""
    words: list[str] = []
    while i < s.hi and len(words) < 4:
        tok = s.tokens[i]
        if not tok.is_word or tok.low in _RELATIVE or (words and tok.low in (_CLAUSE_STOP - _ADVERBS) | {"and", "or"}):
            break
        if (
            (len(words) >= 3 and tok.low in _PREPS)
            or _is_number(tok)
            or f"{tok.low} {s.word(i + 1)}" in _QUALIFIER_WORDS
        ):
            break
        words.append(tok.text)
        i += 1
    if not words or not (words[0].lower() in _AUX | _FINITE or _is_past(words[0])):
        return []
    while words and words[-1].lower() in _PREPS | _DETERMINERS:
        words.pop()
    return words


def _complement(s: _Sentence, a: int, core: list[str]) -> list[str]:
    """ "30% of the approximately 5,000 residents ..." -> "residents ..."; "242 of whom" -> the noun before."""
    rest = core[2:] if core[0].lower() == "out" else core[1:]
    if rest and rest[0].lower() in _PARTITIVE:
        noun = _previous_noun(s, "count")
        tail = _core(s, a + 2, limit=6)[0] or _predicate(s, a + 2)
        return [*noun, *tail]
    while rest and (rest[0].lower() in _DETERMINERS - {"those", "these"} or _is_number_word(rest[0])):
        rest.pop(0)
    return rest


def _is_number_word(word: str) -> bool:
    low = word.lower()
    return word[0].isdigit() or low in _WORD_VALUES or low in _QUALIFIER_STARTS or low in _QUALIFIER_WORDS


def _head(core: list[str]) -> list[str]:
    """The counted noun of a label: its words up to the first preposition or participle."""
    head: list[str] = []
    for word in core:
        if head and (word.lower() in _PREPS or _is_verbal(word) or word.lower() in _RELATIVE):
            break
        head.append(word)
    return head[:4]
