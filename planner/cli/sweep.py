"""python -m planner.sweep SCENARIO [SCENARIO ...] --year 2029: plan several scenarios on the same data.

The data folder is read and validated once. With --start-from-previous each solve starts from the previous
scenario's projects when the two models have the same projects and years (scenarios that change only costs,
budgets or growth): a time-limited run then always has at least that plan, but on the Norfolk default it did not
shorten the proof (docs/performance.md), so it is off by default. Each scenario gets its own run folder under --out, as
planner.solve writes it (the HTML report and workbook only with --report), and sweep.csv lists every scenario
with its result and its seconds. A progress line is printed per scenario.

Exit status: 0 every scenario planned (within the gap, or any plan with --accept-gap); 1 a time limit left a gap;
2 bad data, scenario or arguments; 3 a scenario has no plan (the others are still written).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd

from planner.cli import common
from planner.cli.guard import guarded
from planner.config import ScenarioError, load_scenario
from planner.data import DataError, load_data
from planner.formats import fmt_gbp
from planner.highs import SolverError
from planner.plan import PlanOutcome, plan
from planner.progress import announce
from planner.runfolder import RunFolderError, RunWriter, command_line, default_runs_dir

PROG = "python -m planner.sweep"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    p.add_argument("scenarios", nargs="+", help="scenario TOML files or shipped scenario names, solved in order")
    common.add_year_argument(p)
    common.add_data_arguments(p)
    common.add_solver_arguments(p)
    p.add_argument("--out", type=Path, default=None, help="sweep folder (default runs/sweep-<timestamp>)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.add_argument("--report", action="store_true", help="also write each run's HTML report, map and workbook")
    p.add_argument(
        "--start-from-previous",
        action="store_true",
        help="start each solve from the previous scenario's projects (a plan in hand under a time limit)",
    )
    return p.parse_args(argv)


def sweep_row(outcome: PlanOutcome, seconds: dict[str, float]) -> dict:
    pr = outcome.tables["projects"]
    built = pr[pr["kind"] == "option"] if len(pr) else pr
    return {
        "scenario": outcome.inputs.scenario.name,
        "target_year": outcome.inputs.target_year,
        "status": outcome.status,
        "gap": outcome.gap,
        "shortfall_gbp": outcome.shortfall,
        "shortfall_gap": outcome.shortfall_gap,
        "discounted_cost_gbp": outcome.breakdown.get("total", float("nan")),
        "projects_built": len(built),
        "places_built": float(built["places"].sum()) if len(built) else 0.0,
        "started_from_previous": outcome.started_from_previous,
        **{k: round(v, 2) for k, v in seconds.items()},
    }


def summary(table: pd.DataFrame) -> str:
    """The sweep table for the terminal, money in GBP m."""
    cols = [c for c in ("scenario", "status", "gap", "shortfall_gbp", "projects_built", "total_seconds") if c in table]
    shown = table[cols].copy()
    if "shortfall_gbp" in shown:
        shown["shortfall_gbp"] = shown["shortfall_gbp"].map(fmt_gbp)
        shown = shown.rename(columns={"shortfall_gbp": "shortfall"})
    return shown.to_string(index=False)


def main(argv: list[str] | None = None) -> int:
    return guarded(_main, argv)


def _main(argv: list[str] | None) -> int:
    args = parse_args(argv)
    folder = common.data_folder(args)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        with common.printed_warnings():
            scenarios = [load_scenario(s) for s in args.scenarios]
        names = [s.name for s in scenarios]
        if len(set(names)) < len(names):
            raise ScenarioError(f"scenario names repeat ({', '.join(names)}). Fix: give each scenario its own name")
        t = time.perf_counter()
        announce(f"loading {folder} (zones: {args.zones}) once for {len(scenarios)} scenarios")
        with common.printed_warnings():
            data = load_data(folder, zones=args.zones)
        load_seconds = time.perf_counter() - t
        sweep = RunWriter(args.out or default_runs_dir() / f"sweep-{stamp}", args.force, unique=args.out is None)
    except (DataError, ScenarioError, RunFolderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = common.solver_options(args)
    command = command_line(PROG, argv)
    rows: list[dict] = []
    try:
        code = _solve_each(args, scenarios, data, options, command, sweep, rows)
    except BaseException:
        if not rows:
            sweep.abandon()
            raise
        _finish(sweep, rows)
        print(f"interrupted: the {len(rows)} scenario(s) done are kept in {sweep.out}", file=sys.stderr)
        raise
    out = _finish(sweep, rows)
    print(f"Sweep of {len(scenarios)} scenarios (data read once in {load_seconds:.1f} s):")
    print(summary(pd.DataFrame(rows)))
    print(f"Sweep folder: {out}")
    return code


def _finish(sweep: RunWriter, rows: list[dict]) -> Path:
    pd.DataFrame(rows).to_csv(sweep.path("sweep.csv"), index=False, lineterminator="\n", float_format="%.10g")
    return sweep.commit()


def _solve_each(
    args: argparse.Namespace, scenarios: list, data, options, command: str, sweep: RunWriter, rows: list[dict]
) -> int:
    """Plan every scenario into the sweep's folder, a row of sweep.csv each; returns the exit status."""
    previous, code = None, 0
    for k, scenario in enumerate(scenarios, 1):
        started = time.perf_counter()
        announce(f"=== scenario {k} of {len(scenarios)}: {scenario.name}")
        try:
            outcome = plan(
                data, scenario, args.year, options, start_from=previous if args.start_from_previous else None
            )
        except ScenarioError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except SolverError as exc:
            print(f"no plan for {scenario.name}: {exc}", file=sys.stderr)
            rows.append({"scenario": scenario.name, "status": "no plan"})
            code = 3
            continue
        solved = time.perf_counter()
        run = common.write_run(
            RunWriter(sweep.path(scenario.name)),
            outcome,
            data,
            options,
            command=command,
            started=started,
            report=args.report,
        )
        seconds = {
            "inputs_seconds": outcome.timings["inputs_seconds"],
            "build_seconds": outcome.timings["build_seconds"],
            "solve_seconds": outcome.timings["solve_seconds"],
            "write_seconds": time.perf_counter() - solved,
            "total_seconds": time.perf_counter() - started,
        }
        rows.append(sweep_row(outcome, seconds))
        announce(
            f"=== {scenario.name}: {outcome.status}, gap {outcome.gap:.1e}, shortfall "
            f"{fmt_gbp(outcome.shortfall)}, {seconds['total_seconds']:.1f} s -> {sweep.out / run.name}"
        )
        if outcome.status != "optimal" and not args.accept_gap:
            code = max(code, 1)
        previous = outcome
    return code
