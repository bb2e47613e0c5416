"""A time budget for one file's reading and chunking, so that no single file stalls a build.

Every stage is meant to be linear in its input; the budget is the guard for what is not foreseen.
It interrupts Python code by a timer signal, so it applies where builds run: in the main thread
(the CLI). Elsewhere, and inside a long C call, the file simply takes the time it takes.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from assistant.errors import UnreadableFile


class OverBudget(UnreadableFile):
    """The file took longer than the budget allows."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise `OverBudget` in the block when it runs longer than `seconds`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(f"took longer than {seconds:g} s to read and cut into passages (ASSISTANT_FILE_SECONDS)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
