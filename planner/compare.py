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

from planner.data import DataError
from planner.outputs import RunFolderError, RunWriter, check_destination, versions
from planner.report.run_data import ReportError, load_geography, load_run


def default_out(a: Path, b: Path) -> Path:
    return a.parent / f"compare-{a.name}-vs-{b.name}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m planner.compare", description=__doc__.split("\n")[0])
    p.add_argument("a", type=Path, help="run folder A (written by python -m planner.solve)")
    p.add_argument("b", type=Path, help="run folder B")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: compare-A-vs-B beside A)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.add_argument("--data", type=Path, default=None, help="data folder for the maps (default: run A's)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out or default_out(args.a, args.b)
    try:
        check_destination(out, args.force)
        a, b = load_run(args.a), load_run(args.b)
        if a.zone_level != b.zone_level:
            print(f"note: A has {a.zone_level} zones and B {b.zone_level}; the maps use A's", file=sys.stderr)
        data = load_geography(a, args.data)
    except (ReportError, RunFolderError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from planner.report.compare_report import write_comparison

    writer = RunWriter(out, args.force)
    try:
        written = write_comparison(data, a, b, writer.tmp)
        writer.json(
            "manifest.json",
            {
                "created": datetime.now().isoformat(timespec="seconds"),
                "command": " ".join(["python -m planner.compare", *(argv if argv is not None else sys.argv[1:])]),
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


def summary_text(name_a: str, name_b: str, folder: Path) -> str:
    """A few lines for the terminal: the differences by kind and the main KPI deltas."""
    import pandas as pd

    from planner.report.compare_report import _fmt

    diff = pd.read_csv(folder / "differences.csv")
    kpis = pd.read_csv(folder / "kpis.csv")
    lines = [f"A: {name_a}", f"B: {name_b}"]
    counts = diff["status"].value_counts()
    lines.append("Projects that differ: " + ("; ".join(f"{n} {s}" for s, n in counts.items()) or "none"))
    for measure in (
        "Cumulative deficit at the year end",
        "Total shortfall over the target years",
        "New places the plan builds (last year)",
        "Mean journey",
    ):
        rows = kpis[kpis["measure"] == measure]
        if len(rows):
            r = rows.iloc[-1]
            when = f" {int(r['year'])}" if pd.notna(r["year"]) else ""
            lines.append(
                f"  {measure}{when}: A {_fmt(r['a'], r['unit'])}, B {_fmt(r['b'], r['unit'])}, "
                f"B - A {_fmt(r['delta'], r['unit'], delta=True)}"
            )
    lines.append(f"Written: {folder} (open compare.html)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
