"""python -m planner.report RUN_FOLDER: (re)write the maps, map.html, report.html and plan.xlsx of a run folder.

Useful after `python -m planner.solve --no-report`, or to draw flow maps for other need groups (--flows).
Exit status: 0 written; 2 the run folder or its data cannot be read, or an unknown need group.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli.geography import run_geography
from planner.cli.guard import guarded
from planner.data import DataError
from planner.runfolder import RunFolderError, load_run


def main(argv: list[str] | None = None) -> int:
    return guarded(_main, argv)


def _main(argv: list[str] | None) -> int:
    p = argparse.ArgumentParser(prog="python -m planner.report", description=__doc__.split("\n")[0])
    p.add_argument("run", type=Path, help="run folder written by python -m planner.solve")
    p.add_argument(
        "--flows",
        nargs="+",
        default=(),
        metavar="NEED",
        help="need groups for flow maps (default: the largest), e.g. --flows CI SEMH",
    )
    p.add_argument("--data", type=Path, default=None, help="data folder (default: the one the run was made from)")
    p.add_argument("--no-workbook", action="store_true", help="skip plan.xlsx")
    args = p.parse_args(argv)
    try:
        run = load_run(args.run)
        geo = run_geography(run, args.data)
        known = set(geo.need_group_names)
        bad = [g for g in args.flows if g not in known]
        if bad:
            raise RunFolderError(f"unknown need group {', '.join(bad)}. Fix: use one of {', '.join(sorted(known))}")
        from planner.report.run_report import write_run_report

        written = write_run_report(
            geo, args.run, flow_needs=args.flows, redraw_plan=True, workbook=not args.no_workbook
        )
    except (RunFolderError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written.values():
        print(path)
    return 0
