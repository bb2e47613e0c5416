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
    text = ""
    for line in lines:
        piece = " ".join(line.split())
        if not piece:
            continue
        text = join(text, piece, vocabulary) if text else piece
    return text


def join(left: str, right: str, vocabulary: Counter[str]) -> str:
    """Join two pieces of a paragraph, undoing hyphenation at line ends where it is not a compound."""
    if left.endswith(("—", "–", "/")) or (left.endswith("-") and left[-2:-1].isdigit() and right[:1].isdigit()):
        return left + right  # a dash, or a range of numbers: "2018-\n2019"
    match = re.search(r"([A-Za-z\u00C0-\u024F]+)-$", left)
    if match and (right[:1].isupper() or right[:1].isdigit()):
        return left + right  # "pro-\nIranian", "2011-\n2014": a real hyphen
    if match and right[:1].isalpha() and right[:1].islower():
        second = re.match(r"[A-Za-z\u00C0-\u024F]+", right)
        if second and _keep_hyphen(match.group(1), second.group(), vocabulary):
            return left + right
        return left[:-1] + right
    return left + " " + right


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
