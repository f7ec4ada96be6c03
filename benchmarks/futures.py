"""python -m benchmarks.futures: ensembles on Dask and robust plans on the Norfolk data, timed, and written to
docs/performance-futures.md (the figures above its notes marker are rewritten on each run).

1. Ensemble speed-up: the first K futures of futures.csv, each its own best plan (district zones, one solver
   thread a task), on a LocalCluster of one worker, then of two; wall seconds of each and their ratio.
2. Robust plans: the first N futures in one two-stage program (planner.robust, the risk-neutral measures not
   computed: the robust solve only), at district zones and at MSOA zones; seconds, size, status and proven gap.
3. Many futures: the district robust plan's first stage evaluated in each of the first M futures (its projects
   kept, the rest re-planned: planner.ensemble --plan --evaluate-only), on two workers; wall seconds.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks.measure import DATA, ROOT, machine
from benchmarks.render import write_doc

DOC = ROOT / "docs" / "performance-futures.md"


def _quiet(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _load(zones: str) -> Any:
    from planner.data import DataWarning, load_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return load_data(DATA, zones=zones)


def _names(data: Any, n: int) -> list[str]:
    from planner.data.demand import read_futures
    from planner.futures import future_names

    return future_names(read_futures(data), n)


def ensemble_wall(names: list[str], workers: int, options: Any, held: Any = None, own: bool = True) -> dict:
    """Wall seconds of an ensemble of `names` on a LocalCluster of `workers` (one solver thread each)."""
    from planner.config import Scenario
    from planner.futures import dask_client, run_ensemble, tasks_for

    tasks = tasks_for(DATA, "district", Scenario(), names, None, options, held, own)
    with dask_client(None, workers) as client:
        t = time.perf_counter()
        futures, _ = run_ensemble(client, tasks, _quiet)
        wall = time.perf_counter() - t
    return {
        "wall_s": wall,
        "task_s": float(futures["seconds"].sum()),
        "statuses": futures["status"].value_counts().to_dict(),
    }


def robust_run(zones: str, n: int, options: Any) -> tuple[dict, Any]:
    """The robust solve of the first n futures (no WS/EEV); its figures and the outcome."""
    from planner.config import Scenario
    from planner.robust import robust_plan

    data = _load(zones)
    names = _names(data, n)
    t = time.perf_counter()
    out = robust_plan(data, Scenario(), names, None, options, progress=_quiet, evaluate=False)
    wall = time.perf_counter() - t
    s = out.robust_solve
    first = out.first_stage[out.first_stage["stage"] == "first"]
    return {"zones": zones, "futures": n, "wall_s": wall, "solve_s": s["seconds"], "status": s["status"],
            "solves": [{k: e[k] for k in ("solve", "status", "gap", "seconds")} for e in out.solves],
            "gap": s["gap"], "first_stage_projects": len(first),
            "expected_shortfall_gbp": out.summary["expected_shortfall_gbp"]}, out  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.futures", description=__doc__.split("\n")[0])
    p.add_argument("--speedup-futures", type=int, default=6, help="K futures for the speed-up (default 6)")
    p.add_argument("--speedup-gap", type=float, default=1e-2, help="cost and shortfall gap of those plans")
    p.add_argument(
        "--speedup-evaluate",
        type=int,
        default=20,
        help="J futures for the speed-up of one plan evaluated in each (default 20; 0: none)",
    )
    p.add_argument("--robust-futures", type=int, default=10, help="N futures of the robust plans (default 10)")
    p.add_argument("--robust-gap", type=float, default=1e-3, help="gap of the robust solves (default 0.1%%)")
    p.add_argument("--many", type=int, default=100, help="M futures the robust plan is evaluated in (default 100)")
    p.add_argument("--time-limit", type=float, default=600.0, help="seconds per solve (default 600)")
    p.add_argument("--skip-msoa", action="store_true", help="no MSOA robust plan")
    p.add_argument("--no-write", action="store_true", help="print only")
    p.add_argument("--out", type=Path, default=DOC)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from planner.highs import SolverOptions
    from planner.runfolder import robust_first_stage

    args = parse_args(argv)
    info = machine()
    command = ("python -m benchmarks.futures " + shlex.join(sys.argv[1:] if argv is None else argv)).strip()
    res: dict[str, Any] = {}
    data = _load("district")
    one = SolverOptions(time_limit=args.time_limit, threads=1, mip_gap=args.speedup_gap,
                        shortfall_gap=args.speedup_gap, log=False)  # fmt: skip
    if args.speedup_futures:
        names = _names(data, args.speedup_futures)
        _quiet(f"speed-up: {len(names)} futures, one worker")
        res["one_worker"] = ensemble_wall(names, 1, one)
        _quiet(f"speed-up: {len(names)} futures, two workers")
        res["two_workers"] = ensemble_wall(names, 2, one)
    robust_opts = SolverOptions(time_limit=args.time_limit, threads=2, mip_gap=args.robust_gap, log=False)
    _quiet(f"robust plan: {args.robust_futures} futures, district")
    res["robust_district"], out = robust_run("district", args.robust_futures, robust_opts)
    if not args.skip_msoa:
        _quiet(f"robust plan: {args.robust_futures} futures, msoa")
        res["robust_msoa"], _ = robust_run("msoa", args.robust_futures, robust_opts)
    held = robust_first_stage(out.first_stage, out.first_stage_years, out.weights.span)
    evaluate = SolverOptions(time_limit=args.time_limit, threads=1, log=False)
    if args.speedup_evaluate:
        some = _names(data, args.speedup_evaluate)
        _quiet(f"speed-up, one plan evaluated: {len(some)} futures, one worker")
        res["eval_one_worker"] = ensemble_wall(some, 1, evaluate, held, own=False)
        _quiet(f"speed-up, one plan evaluated: {len(some)} futures, two workers")
        res["eval_two_workers"] = ensemble_wall(some, 2, evaluate, held, own=False)
    many = _names(data, args.many)
    _quiet(f"the robust plan's first stage in {len(many)} futures, two workers")
    res["many"] = {"futures": len(many), **ensemble_wall(many, 2, evaluate, held, own=False)}
    text = render(res, info, args, command)
    print(text)
    if not args.no_write:
        write_doc(text, args.out)
        _quiet(f"written: {args.out}")
    return 0


def render(res: dict[str, Any], info: dict[str, Any], args: argparse.Namespace, command: str) -> str:
    rows = [res[k] for k in ("robust_district", "robust_msoa") if k in res]
    many = res["many"]
    lines = [
        "# Performance: futures (ensembles and robust plans)",
        "",
        f"Every figure here is printed by `python -m benchmarks.futures` and written by it (this run: `{command}`).",
        "",
        f"- Machine: {info['cpu']}; {info['cores']} cores; {info['ram_gb']:.1f} GiB; load {info['load']:.2f} at the "
        f"start; {info['date']}; commit {info['commit']}",
        "",
        "## Ensemble speed-up (district zones, two workers against one)",
        "",
        *_own_speedup(res, args),
        *_eval_speedup(res, args),
        f"## Robust plans ({args.robust_futures} futures, the robust solve only, gap asked {args.robust_gap:g})",
        "",
        "| zones | futures | wall s | solve s | status | proven gap | first-stage projects | expected shortfall |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
        *(f"| {r['zones']} | {r['futures']} | {r['wall_s']:.1f} | {r['solve_s']:.1f} | {r['status']} | "
          f"{(r['gap'] or 0):.2e} | {r['first_stage_projects']} | GBP {r['expected_shortfall_gbp'] / 1e6:,.1f}m |"
          for r in rows),
        "",
        "Target: district within 0.1% in under 2 minutes (wall, model building included); MSOA measured. Each "
        "robust plan is a chain of solves, each from the last one's plan (planner/robust.py):",
        "",
        "| zones | solve | status | gap | seconds |",
        "|---|---|---|---:|---:|",
        *(f"| {r['zones']} | {e['solve']} | {e['status']} | {(e['gap'] or 0):.2e} | {e['seconds']:.1f} |"
          for r in rows for e in r["solves"]),
        "",
        f"## One plan in {many['futures']} futures (district zones, two workers)",
        "",
        f"The district robust plan's first stage evaluated in each of {many['futures']} futures (its projects "
        f"kept, the rest re-planned): **{many['wall_s']:.1f} s** wall, {many['task_s']:.1f} s of tasks; statuses "
        f"{many['statuses']}. Target: 100 district futures in under 10 minutes on two cores.",
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def _speedup(one: dict, two: dict, intro: str, after: str = "") -> list[str]:
    """A speed-up's table: wall and task seconds on one worker and on two, and their ratio."""
    rows = [f"| {n} | {r['wall_s']:.1f} | {r['task_s']:.1f} | {r['statuses']} |" for n, r in ((1, one), (2, two))]
    ratio = f"Speed-up on two workers: **{one['wall_s'] / two['wall_s']:.2f}x** (target at least 1.8x).{after}"
    return [intro, "", "| workers | wall s | sum of task s | statuses |", "|---:|---:|---:|---|", *rows, "", ratio, ""]


def _own_speedup(res: dict[str, Any], args: argparse.Namespace) -> list[str]:
    if "one_worker" not in res:
        return []
    intro = (f"{args.speedup_futures} futures, each its own best plan to a cost and shortfall gap of "
             f"{args.speedup_gap:g}, one solver thread a task, time limit {args.time_limit:g} s a solve.")  # fmt: skip
    after = (" A future's plan can take far longer than the others, and two workers wait for the slowest: with "
             "few futures the speed-up is set by the longest task.")  # fmt: skip
    return _speedup(res["one_worker"], res["two_workers"], intro, after)


def _eval_speedup(res: dict[str, Any], args: argparse.Namespace) -> list[str]:
    if "eval_one_worker" not in res:
        return []
    intro = (f"{args.speedup_evaluate} futures, each evaluating the district robust plan's first stage (below: its "
             "projects kept, the rest re-planned), one solver thread a task.")  # fmt: skip
    return _speedup(res["eval_one_worker"], res["eval_two_workers"], intro)


if __name__ == "__main__":
    sys.exit(main())
