"""The one text layer every stage reads with: words and their stems, sentences, footnote markers,
function words, places, paraphrases, and the word lists that come from data."""

from .markers import MARKER, mask_markers, strip_markers
from .sentences import sentence_spans
from .words import WORD, matches, stem, stemmed, stems, words

__all__ = [
    "MARKER",
    "WORD",
    "mask_markers",
    "matches",
    "sentence_spans",
    "stem",
    "stemmed",
    "stems",
    "strip_markers",
    "words",
]
