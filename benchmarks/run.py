"""python -m benchmarks.run: model size, build, hand-off, LP and MIP times of the Norfolk instances.

For each zone level (district, msoa, lsoa; the data's target year, baseline scenario) the build and plan() are
measured in fresh processes (benchmarks/measure.py says what is measured); the figures are printed and written to
docs/performance.md (benchmarks/render.py), unless --no-write or --out says otherwise. Exits 1 if an instance
failed or the direct build is not the Pyomo build.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from benchmarks.measure import JSON_PREFIX, PARTS, ROOT, ZONES, machine, measure, run_child
from benchmarks.render import render, same_model, write_doc
from planner.highs import INTERFACES

DOC = ROOT / "docs" / "performance.md"
LP_SOLVERS = ("ipm", "simplex", "choose", "pdlp")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument("--zones", default=",".join(ZONES), help=f"comma-separated zone levels (default {','.join(ZONES)})")
    p.add_argument("--time-limit", type=float, default=600.0, help="seconds per solve: each LP and MIP phase")
    p.add_argument(
        "--lp-solver",
        choices=LP_SOLVERS,
        default="ipm",
        help="HiGHS solver for the LP relaxations (default ipm; dual simplex took over 600 s for the LSOA LP)",
    )
    p.add_argument(
        "--interface", choices=INTERFACES, default="matrix", help="Pyomo-HiGHS hand-off of plan() (default matrix)"
    )
    p.add_argument("--skip-mip", action="store_true", help="measure build, hand-off and LP only (no plan())")
    p.add_argument("--no-write", action="store_true", help="print only; do not write the performance page")
    p.add_argument("--out", type=Path, default=DOC, help="the page to write (default docs/performance.md)")
    p.add_argument("--one", choices=ZONES, help=argparse.SUPPRESS)  # child process: one instance
    p.add_argument("--part", choices=PARTS, default="build", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    zones = [z.strip() for z in args.zones.split(",") if z.strip()]
    bad = [z for z in zones if z not in ZONES]
    if bad or not zones:
        p.error(f"--zones: unknown level(s) {bad}; choose from {','.join(ZONES)}")
    args.zone_list = zones
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    solve = (args.time_limit, args.lp_solver, args.interface)
    if args.one:  # one part of one instance, in this process
        result = measure(args.one, args.part, *solve)
        print(JSON_PREFIX + json.dumps(result) if args.json else json.dumps(result, indent=2), flush=True)
        return 0

    info = machine()
    command = ("python -m benchmarks.run " + shlex.join(sys.argv[1:] if argv is None else argv)).strip()
    results: list[dict[str, Any]] = []
    for zones in args.zone_list:
        parts = PARTS[:1] if args.skip_mip else PARTS
        results.append({"instance": zones, **{part: run_child(zones, part, *solve) for part in parts}})
    options = {"time_limit": args.time_limit, "lp_solver": args.lp_solver, "interface": args.interface}
    text = render(results, info, options, command)
    print(text)
    failed = [(r["instance"], p, r[p]["error"]) for r in results for p in PARTS if "error" in r.get(p, {})]
    for instance, part, error in failed:
        print(f"[{instance}] {part}: {error}", file=sys.stderr)
    if not args.no_write:
        write_doc(text, args.out)
        print(f"written: {args.out}", file=sys.stderr)
    differ = [r for r in results if "error" not in r["build"] and not same_model(r["build"])[0]]
    for r in differ:
        print(f"[{r['instance']}] direct build vs Pyomo build: {same_model(r['build'])[1]}", file=sys.stderr)
    return 1 if failed or differ else 0


if __name__ == "__main__":
    sys.exit(main())
