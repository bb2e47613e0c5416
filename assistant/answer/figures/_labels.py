"""Labelling prose figures: for one figure, what it counts (read forward), whose it is (read
backward), and the whole a listed count or share belongs to, put together and trimmed into a short
label in the source's own words ("63,000 registered members of the cooperative").

Answering ranks figures against a question by these labels, without a model.
"""

from __future__ import annotations

import re

from ._counted import _head, _opens_clause, _phrase_after
from ._lexicon import _GROUPING, _MONEY_VERBS, _PREPS, _RELATIVE
from ._numbers import _Read
from ._owners import _clause_subject, _identifier_label, _inherited_subject, _join_subject, _missing_noun, _subject
from ._tokens import _cut, _Sentence


def _label(s: _Sentence, read: _Read) -> None:
    """Set `read.label` (and what later figures of the sentence borrow) from the words around it."""
    a, b = s.after(read.end), s.after(read.text_start) - 1
    if read.kind == "identifier":
        read.label = _identifier_label(s, read)
        return
    core, predicate = _phrase_after(s, read, a, _opens_clause(s, b))
    core, owner_at, weak = _fill_noun(s, read, b, core, predicate)
    read.noun = [] if not core or core[0].lower() in _RELATIVE | _PREPS else _head(core)
    if read.kind in {"percent", "fraction"} and not read.share:
        core = _borrowed_share(s, core)
    read.subject = None if weak else _subject(s, owner_at)
    if read.subject is None and read.kind == "count" and not weak:
        read.subject = _inherited_subject(s, b)
    label = _shorten(core, 6 if read.subject else 11 - min(len(predicate), 2))
    if read.subject and label and read.subject[0] not in label:
        label = _join_subject(label, read.subject)
    read.parent = _parent(s, b) if read.kind == "count" and not read.subject else []
    if read.parent and label and " ".join(read.parent) not in label:
        label = f"{label} among {' '.join(read.parent)}"  # "355 nurses—consisting of 256 women"
    read.label = _tidy(" ".join([label, *predicate]))


def _fill_noun(s: _Sentence, read: _Read, b: int, core: list[str], predicate: list[str]) -> tuple[list[str], int, bool]:
    """The label's words with what the phrase after the figure leaves out, where to look for the
    figure's owner, and whether the owner should be left out (the guess is weak or already in)."""
    if read.kind == "money" and s.word(b) in _MONEY_VERBS:
        who = _clause_subject(s, b - 1)  # "The founder had even sent €1,350 to help finance the launch"
        return [s.word(b), *(["by", *who] if who else []), *core], b, True
    if core and not (core[0].lower() in _PREPS and not read.share):
        return core, b, False
    noun, owner_at, weak = _missing_noun(s, b, read.kind, bool(predicate))
    return [*noun, *core], owner_at, weak


def _parent(s: _Sentence, b: int) -> list[str]:
    """The whole a listed count belongs to: "110 of its citizens (four men, 32 women ...)"."""
    for earlier in reversed(s.done):
        if earlier.kind != "count":
            continue
        between = s.tokens[earlier.stop : b + 1]
        if earlier.parent and all(t.text in {",", "and", "or"} for t in between):
            return earlier.parent
        opens = bool(between) and (between[0].text in {"(", "—", ":"} or any(t.low in _GROUPING for t in between))
        return list(earlier.noun) if opens and len(between) <= 4 else []
    return []


def _borrowed_share(s: _Sentence, core: list[str]) -> list[str]:
    """A share listed after one that names its whole: "two-thirds of the workforce, ..., 15
    percent women" -> "women of workforce"; "30 percent of farmers ... and 10 percent
    nationwide" -> "farmers nationwide"."""
    if len(core) > 2 or any(w.lower() in _PREPS for w in core):
        return core
    for earlier in reversed(s.done):
        if earlier.kind in {"percent", "fraction"} and earlier.share:
            share = " ".join(earlier.share)
            if share in " ".join(core):
                return core
            if not core:
                return [share]
            if len(core) == 1 and core[0].endswith(("wide", "ly")):
                return [share, *core]
            return [*core, "of", share]
    return core


def _shorten(words: list[str], limit: int = 12) -> str:
    """At most `limit` words, marked as cut."""
    kept = _cut(words, limit)
    return " ".join(kept) + (" …" if len(kept) < len(words) else "")


def _tidy(label: str) -> str:
    return re.sub(r"\s+(?=[’']s\b)", "", label).strip()
