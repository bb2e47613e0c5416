"""How texts are grouped for the model: longest first, so that each batch pads to nearly its own
length. Every engine groups them this way, so a text meets the same neighbours wherever it is
embedded (8-bit activations are scaled per batch: the same batch gives the same vector)."""

from __future__ import annotations

from collections.abc import Sequence


def length_batches(texts: Sequence[str], size: int) -> list[list[int]]:
    """Positions of `texts` in batches of `size`, longest text first (ties keep their order)."""
    order = sorted(range(len(texts)), key=lambda n: -len(texts[n]))
    return [order[i : i + size] for i in range(0, len(order), size)]
