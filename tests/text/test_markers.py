"""The one footnote-marker pattern."""

from __future__ import annotations

from assistant.text.markers import MARKER, mask_markers, strip_markers


def test_markers_are_numbers_or_short_letter_labels() -> None:
    text = "Sales rose 4%.[12] Costs fell.[a] See [Table 3] and [sic] and [2019]."
    assert [m.group() for m in MARKER.finditer(text)] == ["[12]", "[a]"]


def test_strip_and_mask_keep_the_numbers_of_the_text() -> None:
    text = "Revenue was $4,073.9 million [3] in 2019 [b]."
    assert strip_markers(text) == "Revenue was $4,073.9 million in 2019."
    masked = mask_markers(text)
    assert len(masked) == len(text) and "[" not in masked and "$4,073.9" in masked
