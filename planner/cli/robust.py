"""python -m planner.solve --futures N: one plan for many demand futures (the robust plan, planner/robust.py).

The decisions that start in the first years (projects whose works start then, support teams, borrowing, extra
transfer; the scenario's first_stage_years) are common to every future; later projects, placements, shortfall
and deficit are each future's own. Writes a folder under runs/: robust.json (the measures: expected cost and
shortfall, CVaR, EVPI, VSS), robust_futures.csv (each future under the robust plan, its own best plan and the
mean-value plan, and the robust plan's regret), robust_projects.csv, futures/<future>/ (each future's tables and
manifest, which python -m planner.check re-checks), robust.html with its map and chart, and robust.xlsx.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from planner.check import check_run
from planner.cli.common import data_folder, printed_warnings, refused, solver_options
from planner.config import load_scenario
from planner.data import DataError, PlanningData, load_data
from planner.data.demand import projection_plans, read_futures
from planner.formats import fmt_gbp
from planner.futures import future_names
from planner.highs import SolveResult, SolverOptions
from planner.plan import PlanOutcome
from planner.progress import announce
from planner.report.robust_page import robust_page, robust_workbook
from planner.results import objective_breakdown
from planner.robust import FuturePlan, RobustOutcome, robust_plan
from planner.runfolder import RunWriter, command_line, default_runs_dir, run_manifest

PROG = "python -m planner.solve"


def future_list(data: PlanningData, spec: str, folder: Path) -> list[str]:
    """--futures: N (the first N futures of futures.csv) or names separated by commas (projections of plans.csv or
    futures of futures.csv). Raises DataError naming what is missing."""
    spec = spec.strip()
    if spec.isdigit():
        table = read_futures(data)
        names = future_names(table, int(spec)) if len(table) else []
        if len(names) < max(1, int(spec)):
            raise DataError(
                str(folder / "futures.csv"),
                f"--futures {spec} asks for {spec} futures; it has {len(names)}",
                "write more with python -m planner.demand, or ask for fewer",
            )
        return names
    names = [n.strip() for n in spec.split(",") if n.strip()]
    for n in names:
        try:
            projection_plans(data, n)
        except ValueError as exc:
            raise DataError(
                str(folder / "plans.csv"),
                str(exc),
                "name projections of plans.csv or futures of futures.csv, separated by commas",
            ) from None
    if len(set(names)) != len(names):
        raise DataError("--futures", "a future is named twice", "name each future once")
    return names


def run_robust(args: argparse.Namespace, argv: list[str] | None) -> int:
    started = time.perf_counter()
    folder = data_folder(args)
    writer = None
    try:
        announce(f"loading {folder} (zones: {args.zones})")
        with printed_warnings():
            scenario = load_scenario(args.scenario)
            data = load_data(folder, zones=args.zones)
        names = future_list(data, args.futures, folder)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out = args.out or default_runs_dir() / f"robust-{scenario.name}-{len(names)}futures-{stamp}"
        writer = RunWriter(out, args.force, unique=args.out is None)
        options = solver_options(args)
        announce(f"robust plan for {len(names)} futures: {', '.join(names[:6])}{' ...' if len(names) > 6 else ''}")
        outcome = robust_plan(data, scenario, names, args.year, options)
    except BaseException as exc:
        if writer is not None:
            writer.abandon()
        status = refused(exc)
        if status is None:
            raise
        return status
    try:
        command = command_line(PROG, argv)
        write_robust(writer, outcome, data, options, command, started)
        announce("re-checking each future's tables (planner.check)")
        for fp in outcome.futures:  # a failure here is the planner's error, not the user's: exit 4 with a log
            report = check_run(writer.tmp / "futures" / fp.name, data)
            if not report.ok:
                raise RuntimeError(f"the independent re-check of future {fp.name} failed:\n{report}")
        robust_page(writer.tmp, data.geography, data.options, outcome, scenario.name)
        robust_workbook(writer.tmp / "robust.xlsx", outcome, scenario.name)
    except BaseException:
        writer.abandon()
        raise
    final = writer.commit()
    print(summary_text(outcome, final))
    if outcome.status != "optimal" and not args.accept_gap:
        print(
            f"the solver stopped {outcome.status}: the robust plan is the best found, not proven within the gap "
            "(add --accept-gap to accept it)",
            file=sys.stderr,
        )
        return 1
    return 0


def write_robust(
    writer: RunWriter, outcome: RobustOutcome, data: PlanningData, options: SolverOptions, command: str, started: float
) -> None:
    """The robust tables and measures, and one run folder a future (its tables and manifest, no report)."""
    writer.table("robust_futures", outcome.by_future)
    writer.table("robust_projects", outcome.first_stage)
    writer.table("robust_first_stage_years", outcome.first_stage_years)
    inp = outcome.futures[0].inputs
    writer.json(
        "robust.json",
        {
            "command": command,
            "created": datetime.now().isoformat(timespec="seconds"),
            "data": {"folder": str(data.folder), "hash": data.data_hash, "zones": data.zone_level},
            "scenario": inp.scenario.model_dump(mode="json"),
            "target_year": inp.target_year,
            "futures": [fp.name for fp in outcome.futures],
            "weights": asdict(outcome.weights),
            "status": outcome.status,
            **outcome.summary,
            "solves": outcome.solves,
            "solver": {"gap_requested": options.mip_gap, "time_limit": options.time_limit, "seed": options.seed},
            "seconds_total": time.perf_counter() - started,
        },
    )
    solve = outcome.robust_solve
    for fp in outcome.futures:
        sub = RunWriter(writer.tmp / "futures" / fp.name)
        try:
            sub.tables(fp.tables)
            sub.json(
                "manifest.json",
                run_manifest(future_outcome(fp, solve, options), data, options, command, time.perf_counter() - started),
            )
        except BaseException:
            sub.abandon()
            raise
        sub.commit()


def future_outcome(fp: FuturePlan, solve: dict, options: SolverOptions) -> PlanOutcome:
    """A future's part of the robust plan in the shape of a single plan (for its manifest): the proof is the
    robust solve's."""
    budget = fp.tables["budget"]
    shortfall = float(budget["shortfall"].sum()) if "shortfall" in budget else 0.0
    r = SolveResult(
        solve["status"], True, solve["objective_gbp_m"], solve["bound_gbp_m"], solve["gap"], solve["seconds"], 0.0
    )
    log = [{**solve, "gap_requested": options.mip_gap}]
    return PlanOutcome(
        fp.inputs,
        fp.index,
        fp.model,
        fp.tables,
        r,
        r,
        shortfall,
        solve_log=log,
        breakdown=objective_breakdown(fp.inputs, budget),
        gaps_requested=(options.mip_gap, options.mip_gap),
    )


def summary_text(outcome: RobustOutcome, out: Path) -> str:
    s = outcome.summary
    f = outcome.first_stage
    first = f[f["stage"] == "first"]
    lines = [
        f"Robust plan for {s['futures']} futures: {outcome.status}, gap {s['robust_gap'] or 0:.2e}",
        f"Started in the first {outcome.weights.span} years (common to every future): {len(first)} projects",
    ]
    for r in first.sort_values("opening_year").itertuples():
        lines.append(f"  {int(r.opening_year)}  {r.option_id:<28} {r.first_stage_places:5.0f} places")
    lines.append(
        f"Expected cost {fmt_gbp(s['expected_cost_gbp'])}, expected shortfall "
        f"{fmt_gbp(s['expected_shortfall_gbp'])}, CVaR of the priced harm {fmt_gbp(s['cvar_priced_harm_gbp'])}"
    )
    if "vss_gbp" in s:
        for key, what in (
            ("vss", "Value of the stochastic solution"),
            ("evpi", "Expected value of perfect information"),
        ):
            lo, hi = s[f"{key}_proven_low_gbp"], s[f"{key}_proven_high_gbp"]
            lines.append(f"{what} {fmt_gbp(s[f'{key}_gbp'])} (proven between {fmt_gbp(lo)} and {fmt_gbp(hi)})")
    b = outcome.by_future
    cols = [
        c
        for c in ("future", "robust_shortfall_gbp", "robust_objective_gbp", "own_best_objective_gbp", "regret_gbp")
        if c in b
    ]
    lines.append(b[cols].to_string(index=False, float_format=lambda x: f"{x / 1e6:,.2f}m"))
    lines.append(f"Folder: {out}")
    return "\n".join(lines)
