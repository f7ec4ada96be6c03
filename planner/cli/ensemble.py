"""python -m planner.ensemble --futures 8: plan each demand future of futures.csv on its own, on Dask distributed.

Each future gets its own best plan (the lexicographic solve of planner.solve, with the scenario's settings and the
future's demand). The tasks run on a LocalCluster of --workers processes on this machine (loopback only), or on an
existing cluster with --scheduler tcp://host:port; the model is built inside each task. A progress line is
printed as each future finishes, and the dashboard's address at the start. Writes to a folder under runs/:
futures.csv (one row a future: status, gap, shortfall, cost, cumulative deficit, projects, seconds),
projects_by_future.csv, options.csv (for every option the share of futures in which it is built and the spread of
its opening year: how robust each choice is), robustness.png and ensemble.html. With --plan FOLDER, one plan (a
run folder's projects, or a robust plan's first stage) is also evaluated in every future, the rest re-planned:
futures.csv adds its shortfall and cost there and its regret against each future's own best plan.

Exit status: 0 every future planned (within the gap, or any plan with --accept-gap); 1 a time limit left a gap;
2 bad data, scenario or arguments; 3 a future has no plan (the others are kept).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from planner.cli import common
from planner.cli.guard import guarded
from planner.config import ScenarioError
from planner.data import DataError
from planner.data.demand import read_futures
from planner.futures import dask_client, future_names, option_robustness, run_ensemble, tasks_for
from planner.progress import announce
from planner.report.ensemble_page import ensemble_page
from planner.runfolder import RunFolderError, RunWriter, command_line, default_runs_dir, held_projects

PROG = "python -m planner.ensemble"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    common.add_year_argument(p)
    common.add_data_arguments(p)
    common.add_solver_arguments(p)
    common.add_folder_arguments(p, "runs/ensemble-<scenario>-<stamp>")
    p.add_argument("--futures", type=common.positive_int, default=None,
                   help="the first N futures of futures.csv (default: all)")  # fmt: skip
    p.add_argument("--workers", type=common.positive_int, default=2, help="LocalCluster worker processes (default 2)")
    p.add_argument(
        "--evaluate-only",
        action="store_true",
        help="with --plan: only evaluate that plan in every future (not each future's own best plan)",
    )
    p.add_argument("--scheduler", default=None, help="address of an existing Dask scheduler (tcp://host:port)")
    p.add_argument("--plan", type=Path, default=None, metavar="FOLDER",
                   help="also evaluate one plan in every future: a run folder's projects, or a robust plan's first "
                   "stage (its folder from planner.solve --futures), the rest re-planned; adds its regret")  # fmt: skip
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return guarded(_main, argv)


def _main(argv: list[str] | None) -> int:
    args = parse_args(argv)
    try:
        scenario, folder, data = common.scenario_and_data(args)
        futures_table = read_futures(data)
        names = future_names(futures_table, args.futures) if len(futures_table) else []
        if not names:
            fix = "write the futures with python -m planner.demand, or give a data folder that has them"
            raise DataError(str(folder / "futures.csv"), "no futures (rows whose scenario is future-…)", fix)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out = args.out or default_runs_dir() / f"ensemble-{scenario.name}-{stamp}"
        held = held_projects(args.plan) if args.plan else None
        writer = RunWriter(out, args.force, unique=args.out is None)
    except (DataError, ScenarioError, RunFolderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = common.solver_options(args)
    threads = options.threads or 1
    if args.evaluate_only and held is None:
        print("error: --evaluate-only needs --plan FOLDER (the plan to evaluate)", file=sys.stderr)
        writer.abandon()
        return 2
    tasks = tasks_for(folder, args.zones, scenario, names, args.year, options, held, own=not args.evaluate_only)
    t0 = time.perf_counter()
    try:
        with dask_client(args.scheduler, args.workers, threads) as client:
            announce(f"{len(tasks)} futures on {len(client.scheduler_info()['workers'])} worker(s); dashboard: "
                     f"{client.dashboard_link}")  # fmt: skip
            futures, projects = run_ensemble(client, tasks, announce)
        robust = option_robustness(projects, futures, data.options)
        for name, df in (("futures", futures), ("projects_by_future", projects), ("options", robust)):
            df.to_csv(writer.path(f"{name}.csv"), index=False, lineterminator="\n", float_format="%.10g")
        seconds = time.perf_counter() - t0
        meta = {"command": command_line(PROG, argv), "scenario": scenario.model_dump(mode="json"),
                "data": {"folder": str(folder), "zones": args.zones}, "futures": names,
                "workers": args.scheduler or args.workers, "seconds": round(seconds, 1),
                "plan_evaluated": str(args.plan) if args.plan else None}  # fmt: skip
        (writer.tmp / "manifest.json").write_text(json.dumps(meta, indent=2, default=str) + "\n")
        ensemble_page(writer.tmp, data.geography, data.options, futures, robust, scenario.name, seconds)
    except BaseException:
        writer.abandon()
        raise
    done = writer.commit()
    shown = [c for c in ("future", "status", "shortfall_gbp", "plan_shortfall_gbp", "regret_shortfall_gbp",
                         "regret_cost_gbp", "projects_built", "seconds") if c in futures]  # fmt: skip
    print(futures[shown].to_string(index=False))
    print(f"Ensemble of {len(names)} futures in {seconds:.0f} s. Folder: {done}")
    if (futures["status"] == "no plan").any():
        return 3
    if (futures["status"] != "optimal").any() and not args.accept_gap:
        return 1
    return 0
