"""Acronyms a document defines, so a passage that says "EBITDA" is also found by "earnings before
interest, taxes, depreciation and amortization".

Reports define an acronym once ("Federal Reserve Board (FRB)", "the national statistics office
(Instituto Nacional de Estadística, or INE)", a glossary line "OCDE Organización para la
Cooperación y el Desarrollo Económicos (Organisation for Economic Co-operation and Development)")
and then use the short form throughout. A definition is accepted when
the acronym's letters are the initials of the long form's last words (in any order, for
translated names), or when the text says "or ABBR" explicitly.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from assistant.text.function_words import NAME_LEADS, NAME_PARTICLES

_WORD = r"[A-Z][\w’'`.]*(?:-[\w’'`.]+)*"
_MINOR = rf"(?:{'|'.join(sorted(NAME_PARTICLES))})"
_LONG = rf"(?P<long>(?:{_WORD}[\s-]+(?:{_MINOR}[\s-]+)*){{1,9}}{_WORD})"
_PAREN = re.compile(rf"{_LONG}\s*\((?P<abbr>[A-Z][A-Z0-9&]{{1,9}}(?:-[A-Z0-9]{{1,4}})?)(?=[,;)])")
_OR_FORM = re.compile(rf"{_LONG}\s*\([^()]{{0,100}}?,? or (?P<abbr>[A-Z][A-Z0-9&-]{{1,9}})\)")
_GLOSSARY = re.compile(r"^(?P<abbr>[A-Z][A-Z0-9&-]{1,9}) (?P<long>[A-ZÁÉÍÓÚ][^\n]{3,150})$", re.MULTILINE)
_INITIAL_SOURCES = re.compile(r"[A-Za-zÀ-ÿ’'`]+")
_MINOR_WORDS = NAME_PARTICLES
_LEADING = NAME_LEADS


def find_definitions(text: str) -> dict[str, str]:
    """Acronym -> long form, as defined in `text` (first definition wins)."""
    found: dict[str, str] = {}
    for pattern, checked in ((_PAREN, True), (_OR_FORM, False)):
        for match in pattern.finditer(text):
            abbr = match["abbr"]
            long_form = _trim(match["long"], abbr) if checked else _strip_lead(match["long"])
            if long_form and abbr not in found:
                found[abbr] = long_form
    for match in _GLOSSARY.finditer(text):
        abbr, rest = match["abbr"], match["long"]
        english = re.search(r"\(([^()]+)\)\s*$", rest)
        head = rest[: english.start()] if english else rest
        if _trim(head, abbr) and abbr not in found:
            found[abbr] = english.group(1) if english else " ".join(head.split())
    return found


def _trim(long_form: str, abbr: str) -> str | None:
    """The tail of `long_form` whose capitalised words' initials spell `abbr`, or None."""
    letters = [c for c in abbr if c.isalpha()]
    words = [(m.start(), m.group()) for m in re.finditer(r"[^\s-]+", long_form)]
    significant = [(at, w) for at, w in words if w[0].isupper() and w.lower() not in _MINOR_WORDS]
    if len(significant) < len(letters):
        return None
    tail = significant[-len(letters) :]
    initials = [w[0].upper() for _, w in tail]
    if initials != letters and sorted(initials) != sorted(letters):
        return None
    return " ".join(long_form[tail[0][0] :].split())


def _strip_lead(long_form: str) -> str:
    """ "After the United Self-Defense Groups" -> "United Self-Defense Groups"."""
    words = long_form.split()
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    return " ".join(words)


def expansions_for(text: str, definitions: dict[str, str]) -> list[str]:
    """ "ABBR: long form" for acronyms used in `text` whose long form it does not contain, and
    "long form: ABBR" the other way round."""
    out = []
    for abbr, long_form in definitions.items():
        has_abbr = re.search(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", text) is not None
        has_long = long_form.lower() in text.lower()
        if has_abbr and not has_long:
            out.append(f"{abbr}: {long_form}")
        elif has_long and not has_abbr:
            out.append(f"{long_form}: {abbr}")
    return out


def build_glossary(texts: Iterable[str]) -> dict[str, str]:
    """The acronyms of a whole collection (first definition wins), to apply in every document."""
    glossary: dict[str, str] = {}
    for text in texts:
        for abbr, long_form in find_definitions(text).items():
            glossary.setdefault(abbr, long_form)
    return dict(sorted(glossary.items()))


def glossary_hash(glossary: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(glossary, sort_keys=True).encode()).hexdigest()
