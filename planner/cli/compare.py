"""python -m planner.compare runs/A runs/B: compare two plans side by side.

Writes a folder (default: compare-A-vs-B beside A) with plans.png (both plans, same scale and colours),
differences.csv (projects only in A, only in B, or in both with another size or year), kpis.csv (A, B and
B - A), budget.csv and budget.png (the two budget paths), compare.xlsx and compare.html (all of it on one
page). Exit status: 0 written; 2 a run folder cannot be read or the output exists (use --force).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from planner.cli.geography import run_geography
from planner.cli.guard import guarded
from planner.data import DataError
from planner.runfolder import RunFolderError, RunWriter, command_line, load_run, versions

PROG = "python -m planner.compare"


def default_out(a: Path, b: Path) -> Path:
    return a.parent / f"compare-{a.name}-vs-{b.name}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    p.add_argument("a", type=Path, help="run folder A (written by python -m planner.solve)")
    p.add_argument("b", type=Path, help="run folder B")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: compare-A-vs-B beside A)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.add_argument("--data", type=Path, default=None, help="data folder for the maps (default: run A's)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return guarded(_main, argv)


def _main(argv: list[str] | None) -> int:
    args = parse_args(argv)
    out = args.out or default_out(args.a, args.b)
    try:
        a, b = load_run(args.a), load_run(args.b)
        if a.zone_level != b.zone_level:
            print(f"note: A has {a.zone_level} zones and B {b.zone_level}; the maps use A's", file=sys.stderr)
        geo = run_geography(a, args.data)
        writer = RunWriter(out, args.force)
    except (RunFolderError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from planner.report.compare_report import summary_text, write_comparison

    try:
        written = write_comparison(geo, a, b, writer.tmp)
        writer.json(
            "manifest.json",
            {
                "created": datetime.now().isoformat(timespec="seconds"),
                "command": command_line(PROG, argv),
                "a": {"folder": str(args.a), "scenario": a.scenario_name, "status": a.manifest.get("status")},
                "b": {"folder": str(args.b), "scenario": b.scenario_name, "status": b.manifest.get("status")},
                "files": sorted(p.name for p in written.values()),
                "versions": versions(),
            },
        )
        final = writer.commit()
    except BaseException:
        writer.abandon()
        raise
    print(summary_text(a.label, b.label, final))
    return 0
