"""The exit codes every command line gives for the unforeseen: 130 when interrupted, 4 for an error the planner did
not foresee (kept light: the re-check's command line loads none of the model's code)."""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from planner.runfolder import default_runs_dir


def guarded(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """Run a command's main with the exit codes the README gives for the unexpected: 130 when interrupted (Ctrl-C;
    nothing half written is left behind), 4 for an error the planner did not foresee (one line, and the traceback
    in a log file whose path the line gives)."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print("interrupted: stopped, nothing half written was left behind", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place every unforeseen error is caught
        log = _error_log()
        print(
            f"unexpected error: {type(exc).__name__}: {exc}. The traceback is in {log}; please report it with "
            "that file",
            file=sys.stderr,
        )
        return 4


def _error_log() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in (default_runs_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"planner-error-{stamp}-{os.getpid()}.log"
            path.write_text(traceback.format_exc(), encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("(no log: nowhere to write it)")
