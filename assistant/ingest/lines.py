"""Joining the lines of a hard-wrapped paragraph: hyphenation at a line end is undone unless the
word is a real compound, and a decorative initial set apart by extraction is put back.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from wordfreq import zipf_frequency

from assistant.text.function_words import COMPOUND_PREFIXES as PREFIXES


def join_lines(lines: Sequence[str], vocabulary: Counter[str]) -> str:
    pieces: list[str] = []
    for line in lines:
        piece = " ".join(line.split())
        if not piece:
            continue
        if pieces:
            cut, separator = joint(pieces[-1], piece, vocabulary)
            pieces[-1] = pieces[-1][: len(pieces[-1]) - cut] + separator
        pieces.append(piece)
    return "".join(pieces)


def join(left: str, right: str, vocabulary: Counter[str]) -> str:
    """Join two pieces of a paragraph, undoing hyphenation at line ends where it is not a compound."""
    cut, separator = joint(left, right, vocabulary)
    return left[: len(left) - cut] + separator + right


def joint(left: str, right: str, vocabulary: Counter[str]) -> tuple[int, str]:
    """How `left` meets `right`: the characters to drop from the end of `left` (a hyphen that only
    broke a word) and what goes between. Reads only the end of `left`, so joining is linear."""
    if left.endswith(("—", "–", "/")) or (left.endswith("-") and left[-2:-1].isdigit() and right[:1].isdigit()):
        return 0, ""  # a dash, or a range of numbers: "2018-\n2019"
    match = _HYPHENATED.search(left, max(0, len(left) - _LONGEST_WORD))
    if match and (right[:1].isupper() or right[:1].isdigit()):
        return 0, ""  # "pro-\nIranian", "2011-\n2014": a real hyphen
    if match and right[:1].isalpha() and right[:1].islower():
        second = re.match(r"[A-Za-z\u00C0-\u024F]+", right)
        if second and _keep_hyphen(match.group(1), second.group(), vocabulary):
            return 0, ""
        return 1, ""
    return 0, " "


_HYPHENATED = re.compile(r"([A-Za-z\u00C0-\u024F]+)-$")
_LONGEST_WORD = 64


def _keep_hyphen(first: str, second: str, vocabulary: Counter[str]) -> bool:
    joined, hyphenated = (first + second).lower(), f"{first}-{second}".lower()
    if vocabulary[hyphenated] > vocabulary[joined]:
        return True
    if vocabulary[joined] or zipf_frequency(joined, "en") >= 2.5:
        return False
    return first.lower() in PREFIXES


def fix_drop_cap(text: str) -> str:
    """A decorative initial set apart by extraction: "T he annual report" -> "The annual report"."""
    match = re.match(r"^([A-Z]) ([a-z]+)\b", text)
    if not match:
        return text
    letter, rest = match.groups()
    joined = letter + rest
    # "T he" -> "The", "A rmed" -> "Armed", but "S and SE Asia" stays: "and" outranks "sand"
    if zipf_frequency(joined.lower(), "en") <= max(2.5, zipf_frequency(rest, "en")):
        return text
    return joined + text[match.end() :]
