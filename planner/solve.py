"""python -m planner.solve --year 2029: plan where and when to add specialist places, and write a run folder.

Exit status: 0 a plan (proven within the gap, or with --accept-gap); 1 the time limit stopped the solver above
the gap (the run folder is written and flagged); 2 bad data, scenario or arguments; 3 no plan (the message says
why in planning terms).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

from planner.config import ScenarioError, load_scenario
from planner.data import DataError, PlanningData, load_data
from planner.data.load import ZONE_LEVELS
from planner.outputs import (
    RUN_TABLES,
    RunFolderError,
    RunWriter,
    check_destination,
    command_line,
    default_run_name,
    versions,
)
from planner.plan import PlanOutcome, plan
from planner.solver import INTERFACES, SolverError, SolverOptions, announce

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def default_data_dir() -> Path:
    for candidate in (PACKAGE_ROOT / "data" / "norfolk", Path.cwd() / "data" / "norfolk"):
        if candidate.is_dir():
            return candidate
    return Path("data/norfolk")


def default_runs_dir() -> Path:
    return (PACKAGE_ROOT / "runs") if (PACKAGE_ROOT / "pyproject.toml").exists() else Path.cwd() / "runs"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m planner.solve", description=__doc__.split("\n")[0])
    add_solver_arguments(p)
    p.add_argument("--scenario", default=None, help="scenario TOML file or shipped scenario name (default: baseline)")
    p.add_argument("--out", type=Path, default=None, help="run folder (default runs/<year>-<scenario>-<timestamp>)")
    p.add_argument("--no-report", action="store_true", help="tables and plan.png only (no HTML report, map, Excel)")
    return p.parse_args(argv)


def manifest(args: argparse.Namespace, data_dir: Path, outcome: PlanOutcome, data_hash: str, elapsed: float) -> dict:
    inp = outcome.inputs
    m = outcome.model
    r1, r2 = outcome.shortfall_solve, outcome.cost_solve
    return {
        "created": datetime.now().isoformat(timespec="seconds"),
        "command": command_line(),
        "data": {"folder": str(data_dir), "hash": data_hash, "zones": args.zones},
        "target_year": inp.target_year,
        "years": [inp.base_year, *inp.years],
        "scenario": {"file": inp.scenario.source, **inp.scenario.model_dump()},
        "versions": versions(),
        "solver": {
            "name": "HiGHS",
            "interface": args.interface,
            "gap_requested": args.gap,
            "shortfall_gap_requested": args.shortfall_gap,
            "time_limit": args.time_limit,
            "threads": args.threads,
        },
        "status": outcome.status,
        "gap": outcome.gap,
        "shortfall_gap": outcome.shortfall_gap,
        "phases": {
            "shortfall": {
                "status": r1.status,
                "objective_gbp_m": r1.objective,
                "bound_gbp_m": r1.bound,
                "gap": r1.gap,
                "seconds": r1.solve_seconds,
            },
            "cost": {
                "status": r2.status,
                "objective_gbp_m": r2.objective,
                "bound_gbp_m": r2.bound,
                "gap": r2.gap,
                "gap_basis": "share of the plan's cost",
            },
        },
        "solves": outcome.solve_log,
        "shortfall_gbp": outcome.shortfall,
        "objective_breakdown_gbp_discounted": outcome.breakdown,
        "size": {**inp.summary(), "variables": m.nvariables(), "constraints": m.nconstraints()},
        "seconds": {**outcome.timings, "total": elapsed},
    }


def summary_text(outcome: PlanOutcome, out: Path) -> str:
    t = outcome.tables
    inp = outcome.inputs
    lines = [f"Plan to {inp.target_year} ({inp.scenario.name}): {outcome.status}, gap {outcome.gap:.2e}"]
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
            f"GBP {outcome.shortfall / 1e6:.1f}m over {inp.target_years[0]}-{inp.target_years[-1]}, proven within "
            f"{outcome.shortfall_gap:.2%} (see budget.csv)."
        )
    lines.append(f"Run folder: {out}")
    return "\n".join(lines)


def write_run(
    args: argparse.Namespace,
    data: PlanningData,
    data_dir: Path,
    outcome: PlanOutcome,
    out: Path,
    started: float,
    *,
    report: bool,
) -> Path:
    """Write the run folder (tables, plan map, manifest, and the report unless report=False) in one go."""
    writer = RunWriter(out, args.force)
    try:
        for name in RUN_TABLES:
            writer.table(name, outcome.tables[name])
        from planner.report.plan_map import plan_map

        plan_map(data, outcome.tables, writer.path("plan.png"), title_year=outcome.inputs.target_year)
        writer.json("manifest.json", manifest(args, data_dir, outcome, data.data_hash, time.perf_counter() - started))
        if report:
            from planner.report.run_report import write_run_report

            announce("writing the report, interactive map and workbook")
            write_run_report(data, writer.tmp, folder_name=Path(out).name)  # reads the folder's tables only
        return writer.commit()
    except BaseException:
        writer.abandon()
        raise


def solver_options(args: argparse.Namespace) -> SolverOptions:
    return SolverOptions(
        time_limit=args.time_limit,
        mip_gap=args.gap,
        shortfall_gap=args.shortfall_gap,
        threads=args.threads,
        interface=args.interface,
        log=not args.quiet,
    )


def add_solver_arguments(p: argparse.ArgumentParser) -> None:
    """Options shared by planner.solve and planner.sweep."""
    p.add_argument(
        "--year", type=int, default=2029, help="target year: in-year balance from this year (2029 = 2028/29)"
    )
    p.add_argument("--data", type=Path, default=None, help="data folder (default: the shipped Norfolk data)")
    p.add_argument("--zones", choices=ZONE_LEVELS, default="msoa", help="home zones: msoa (default), lsoa, district")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.add_argument("--time-limit", type=float, default=None, help="seconds per solve (default: none)")
    p.add_argument("--gap", type=float, default=1e-4, help="relative gap to prove on the plan's cost (default 1e-4)")
    p.add_argument(
        "--shortfall-gap",
        type=float,
        default=1e-3,
        help="relative gap to prove on the smallest shortfall, when the budget cannot balance (default 1e-3)",
    )
    p.add_argument("--threads", type=int, default=None, help="solver threads (default: HiGHS decides)")
    p.add_argument("--accept-gap", action="store_true", help="exit 0 even if the time limit left a larger gap")
    p.add_argument("--interface", choices=INTERFACES, default="matrix", help="Pyomo-HiGHS hand-off (default matrix)")
    p.add_argument("--quiet", action="store_true", help="hide the HiGHS log")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    data_dir = args.data or default_data_dir()
    out = args.out or default_run_name(
        args.year, "baseline" if args.scenario is None else Path(args.scenario).stem, default_runs_dir()
    )
    try:
        check_destination(out, args.force)
        scenario = load_scenario(args.scenario)
        announce(f"loading {data_dir} (zones: {args.zones})")
        data = load_data(data_dir, zones=args.zones)
    except (DataError, ScenarioError, RunFolderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = solver_options(args)
    try:
        outcome = plan(data, scenario, args.year, options)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SolverError as exc:
        print(f"no plan: {exc}", file=sys.stderr)
        return 3

    final = write_run(args, data, data_dir, outcome, out, started, report=not args.no_report)
    print(summary_text(outcome, final))
    if outcome.status != "optimal" and not args.accept_gap:
        print(
            f"stopped at the time limit with gap {outcome.gap:.2e} > {args.gap:g}: the plan is the best found, not "
            "proven optimal (add --accept-gap to accept it)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
