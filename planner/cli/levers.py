"""python -m planner.levers --year 2029: what it would take to balance the high-needs budget (each lever alone),
and what the programme's money buys (a trade-off curve).

What it would take: for the target year on, the least extra income a year, prevention effect, share of children
kept in mainstream and extra capital with which no target year is short, each alone, or that none can within its
limit. The curve: the least shortfall for --points caps on the money the levers take from outside the budget
(support teams, borrowing charges, transfer above the data's), with that money weighing nothing in the first aim
so that the curve shows what it buys; prevention at --curve-prevention (default central: the curve asks what the
programme's spending would buy if its effect is as the council expects). Every solve is the least-shortfall step of
planner.solve (places and teams fractional), proven to --shortfall-gap. Writes what_it_would_take.csv,
tradeoff.csv, tradeoff.png and levers.html to a folder under runs/.

Exit status: 0 done; 2 bad data, scenario or arguments; 3 a solve found no plan.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime

from planner.cli import common
from planner.cli.guard import guarded
from planner.config import ScenarioError
from planner.data import DataError
from planner.goalseek import tradeoff, what_it_would_take
from planner.highs import SolverError
from planner.progress import announce
from planner.report.levers_page import levers_page, tradeoff_chart
from planner.runfolder import RunFolderError, RunWriter, command_line, default_runs_dir

PROG = "python -m planner.levers"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    common.add_year_argument(p)
    common.add_data_arguments(p)
    common.add_solver_arguments(p)
    common.add_folder_arguments(p, "runs/levers-<scenario>-<year>-<stamp>")
    p.add_argument("--points", type=common.positive_int, default=8, help="points on the curve (default 8)")
    p.add_argument("--curve-prevention", choices=("low", "central", "high"), default="central",
                   help="the prevention level of the curve (default central)")  # fmt: skip
    p.add_argument("--only", choices=("take", "curve"), default=None, help="only what it would take, or the curve")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return guarded(_main, argv)


def _main(argv: list[str] | None) -> int:
    args = parse_args(argv)
    try:
        scenario, folder, data = common.scenario_and_data(args)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        year = args.year or "target"
        out = args.out or default_runs_dir() / f"levers-{scenario.name}-{year}-{stamp}"
        writer = RunWriter(out, args.force, unique=args.out is None)
    except (DataError, ScenarioError, RunFolderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = common.solver_options(args)
    t0 = time.perf_counter()
    try:
        take = curve = None
        if args.only != "curve":
            take = what_it_would_take(data, scenario, args.year, options, announce)
            take.to_csv(writer.path("what_it_would_take.csv"), index=False, lineterminator="\n", float_format="%.10g")
        if args.only != "take":
            scen = scenario.model_copy(update={"prevention": args.curve_prevention})
            curve = tradeoff(data, scen, args.year, options, args.points, announce)
            curve.to_csv(writer.path("tradeoff.csv"), index=False, lineterminator="\n", float_format="%.10g")
            tradeoff_chart(
                curve,
                writer.path("tradeoff.png"),
                f"What the programme's money buys ({scenario.name}, prevention {args.curve_prevention})",
            )
    except (ValueError, SolverError) as exc:
        writer.abandon()
        print(f"error: {exc}", file=sys.stderr)
        return 3 if isinstance(exc, SolverError) else 2
    except BaseException:
        writer.abandon()
        raise
    note = (f"Scenario {scenario.name}, data {folder} ({args.zones} zones); every solve the least shortfall with "
            f"places and teams fractional, proven to a relative gap of {options.shortfall_gap:g}"
            + (f" unless stopped by the time limit of {options.time_limit:g} s a solve" if options.time_limit else "")
            + "; "
            f"{time.perf_counter() - t0:.0f} s.")  # fmt: skip
    levers_page(writer.tmp, f"What it would take: {scenario.name}", take, curve, note)
    meta = {"command": command_line(PROG, argv), "scenario": scenario.model_dump(mode="json"),
            "data": {"folder": str(folder), "zones": args.zones}, "target_year": args.year,
            "shortfall_gap": options.shortfall_gap, "seconds": round(time.perf_counter() - t0, 1)}  # fmt: skip
    (writer.tmp / "manifest.json").write_text(json.dumps(meta, indent=2, default=str) + "\n")
    done = writer.commit()
    if take is not None:
        print(take[["lever", "balances", "needed", "unit", "shortfall_at_limit_gbp"]].to_string(index=False))
    if curve is not None:
        print(curve[["point", "outside_money_gbp", "shortfall_gbp", "gap", "status"]].to_string(index=False))
    print(f"Folder: {done}")
    return 0
