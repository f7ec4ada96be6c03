"""python -m planner.solve --year 2029: plan where and when to add specialist places, and write a run folder.

Exit status: 0 a plan (proven within the gap, or with --accept-gap); 1 the time limit stopped the solver above
the gap (the run folder is written and flagged); 2 bad data, scenario or arguments; 3 no plan (the message says
why in planning terms).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from planner.cli.common import (
    add_data_arguments,
    add_solver_arguments,
    add_year_argument,
    data_folder,
    printed_warnings,
    refused,
    solver_options,
    write_run,
)
from planner.cli.guard import guarded
from planner.config import apply_scenario, load_scenario
from planner.data import load_data
from planner.formats import fmt_gbp
from planner.plan import PlanOutcome, plan
from planner.progress import announce
from planner.runfolder import RunWriter, command_line, default_run_name, default_runs_dir

PROG = "python -m planner.solve"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    add_year_argument(p)
    p.add_argument("--scenario", default=None, help="scenario TOML file or shipped scenario name (default: baseline)")
    add_data_arguments(p)
    add_solver_arguments(p)
    p.add_argument("--out", type=Path, default=None, help="run folder (default runs/<year>-<scenario>-<timestamp>)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.add_argument("--no-report", action="store_true", help="tables and plan.png only (no HTML report, map, Excel)")
    p.add_argument("--futures", default=None, metavar="N|NAMES",
                   help="one robust plan for many demand futures: the first N futures of futures.csv, or "
                   "projections separated by commas (low,central,high); see docs/model.md section 13")  # fmt: skip
    return p.parse_args(argv)


def summary_text(outcome: PlanOutcome, out: Path) -> str:
    t = outcome.tables
    inp = outcome.inputs
    lines = [
        f"Plan to {inp.target_year} ({inp.scenario.name}): {outcome.status}, gap {outcome.gap:.2e}"
        f" (whole places add {fmt_gbp(outcome.rounding)} to the plan with places unrounded)"
    ]
    pr = t["projects"]
    opt = pr[pr["kind"] == "option"] if len(pr) else pr
    lines.append(f"Projects chosen: {len(opt)} (plus {len(pr) - len(opt)} commitments)")
    for r in opt.sort_values(["opening_year", "project_type"]).itertuples():
        grow = f" (opens with {r.places_at_opening:.0f})" if abs(r.places - r.places_at_opening) > 0.5 else ""
        lines.append(f"  {r.opening_year}  {r.project_type:<10} {r.places:5.0f} places{grow}  {r.name}")
    k = t["kpis"].set_index("year")
    b = t["budget"].set_index("year")
    lines.append("Year   specialist  in Norfolk state  independent  mean km  transport  HN spend  balance  deficit")
    for y, r in k.iterrows():
        lines.append(
            f"{y}   {r.specialist_pupils:10.0f}  {r.share_state_specialist_in_county:16.1%}"
            f"  {r.share_independent:11.1%}"
            f"  {r.mean_journey_km:7.1f}  {r.transport_cost / 1e6:8.1f}m  {r.high_needs_spending / 1e6:7.1f}m"
            f"  {b.loc[y, 'in_year_balance'] / 1e6:6.1f}m  {r.cumulative_deficit / 1e6:6.1f}m"
        )
    yb = k["year_of_balance"].dropna()
    if len(yb):
        lines.append(f"The high-needs budget balances in-year from {int(yb.iloc[0])}.")
    else:
        lines.append(
            f"No plan balances the high-needs budget from {inp.target_year}: smallest total shortfall "
            f"{fmt_gbp(outcome.shortfall)} over {inp.target_years[0]}-{inp.target_years[-1]}, proven within "
            f"{outcome.shortfall_gap:.2%} (see budget.csv)."
        )
    lines.append(f"Run folder: {out}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    return guarded(_main, argv)


def _main(argv: list[str] | None) -> int:
    args = parse_args(argv)
    if args.futures is not None:
        from planner.cli.robust import run_robust

        return run_robust(args, argv)
    started = time.perf_counter()
    folder = data_folder(args)
    writer = None
    try:
        announce(f"loading {folder} (zones: {args.zones})")
        with printed_warnings():
            scenario = load_scenario(args.scenario)
            data = load_data(folder, zones=args.zones)
        target = apply_scenario(data, scenario, args.year).target_year
        out = args.out or default_run_name(target, scenario.name, default_runs_dir())
        writer = RunWriter(out, args.force, unique=args.out is None)  # the folder's name is reserved now
        options = solver_options(args)
        outcome = plan(data, scenario, args.year, options)
    except BaseException as exc:
        if writer is not None:
            writer.abandon()
        status = refused(exc)
        if status is None:
            raise
        return status
    final = write_run(
        writer, outcome, data, options, command=command_line(PROG, argv), started=started, report=not args.no_report
    )
    print(summary_text(outcome, final))
    if outcome.status != "optimal" and not args.accept_gap:
        why = "at the time limit" if outcome.status == "time_limit" else f"early ({outcome.status})"
        short = [f"{r['solve']} within {r['gap']:.2e} (asked: {r['gap_requested']:g})" if r["gap"] is not None
                 else f"{r['solve']} unbounded" for r in outcome.solve_log
                 if r["gap"] is None or r["gap"] > r["gap_requested"] * (1 + 1e-6)]  # fmt: skip
        print(
            f"the solver stopped {why}: {'; '.join(short) or 'the cost has no bound'}; the plan's cost is proven "
            f"within {outcome.gap:.2e} and the shortfall within {outcome.shortfall_gap:.2e}: the plan is the best "
            "found, not proven (add --accept-gap to accept it)",
            file=sys.stderr,
        )
        return 1
    return 0
