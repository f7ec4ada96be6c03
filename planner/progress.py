"""Progress lines for long runs: one line per step on stderr, apart from the HiGHS log and the summary."""

from __future__ import annotations

import sys


def announce(message: str) -> None:
    """A progress line (stderr keeps it apart from the HiGHS log and the summary)."""
    print(message, file=sys.stderr, flush=True)


def quiet(_message: str) -> None:
    """No progress lines."""
