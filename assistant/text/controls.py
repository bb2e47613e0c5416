"""Characters that must never reach a terminal or a page: the C0 and C1 control characters (ESC
starts a terminal's escape sequences) and the bidirectional overrides and isolates that reorder
what a reader sees (U+202A-U+202E, U+2066-U+2069). Tab, line feed, form feed and carriage return
are layout, not controls, and stay."""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def blank_controls(text: str) -> str:
    """`text` with each unsafe character replaced by a space: every offset into it still holds."""
    return _UNSAFE.sub(" ", text)


def strip_controls(text: str) -> str:
    """`text` without its unsafe characters."""
    return _UNSAFE.sub("", text)
