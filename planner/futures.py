"""Ensembles on Dask distributed: each demand future of futures.csv planned on its own (its own best plan), as
independent tasks on a LocalCluster or an existing scheduler; the model is built inside each task from the data
folder, so nothing large crosses the network. The results are gathered into tidy tables: one row a future, and
for every option the share of futures in which it is built and the spread of its opening year."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.config import Scenario
from planner.highs import SolverError, SolverOptions
from planner.runfolder import HeldProjects

FUTURE_PREFIX = "future-"


@dataclass
class FutureTask:
    """What one task needs: small and picklable."""

    data_folder: str
    zones: str
    scenario: dict[str, Any]
    future: str
    target_year: int | None
    options: dict[str, Any]
    held: HeldProjects | None = None  # a plan to evaluate in the future too (its regret against the future's own)
    own: bool = True  # the future's own best plan (False: only the held plan, evaluated)


def solve_future(task: FutureTask) -> dict[str, Any]:
    """A task: load the data, plan for the future (its demand projection), return the future's row and the
    projects the plan builds. Runs on a worker."""
    import warnings

    from planner.data import DataWarning, load_data
    from planner.plan import plan

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        data = load_data(task.data_folder, zones=task.zones)
    scen = Scenario.model_validate({**task.scenario, "demand_projection": task.future})
    if not task.own:  # one plan evaluated in this future, nothing else
        row = {"future": task.future, **_held_row(data, scen, task, None, None)}
        return {"row": {**row, "status": row["plan_status"], "seconds": time.perf_counter() - t0}, "projects": []}
    try:
        out = plan(data, scen, task.target_year, SolverOptions(**task.options), progress=lambda _m: None)
    except SolverError as exc:
        return {"row": {"future": task.future, "status": "no plan", "note": str(exc)[:200],
                        "seconds": time.perf_counter() - t0}, "projects": []}  # fmt: skip
    pr = out.tables["projects"]
    built = pr[pr["kind"] == "option"] if len(pr) else pr
    budget = out.tables["budget"].set_index("year")
    row = {
        "future": task.future,
        "status": out.status,
        "gap": out.gap,
        "shortfall_gbp": out.shortfall,
        "discounted_cost_gbp": out.breakdown.get("total", float("nan")),
        "cumulative_deficit_gbp": float(budget["cumulative_deficit"].iloc[-1]),
        "specialist_pupils_target_year": float(
            out.tables["placements"].query("year == @out.inputs.target_year")["pupils"].sum()
        ),
        "projects_built": len(built),
        "places_built": float(built["places"].sum()) if len(built) else 0.0,
    }
    projects = [
        {"future": task.future, "project_id": r.project_id, "opening_year": int(r.opening_year), "places": r.places}
        for r in built.itertuples()
    ]
    if task.held is not None:
        row.update(_held_row(data, scen, task, out.shortfall, row["discounted_cost_gbp"]))
    row["seconds"] = time.perf_counter() - t0
    return {"row": row, "projects": projects}


def _held_row(data: Any, scen: Scenario, task: FutureTask, own_shortfall: float | None, own_cost: float | None
              ) -> dict:  # fmt: skip
    """The held plan in this future (its projects kept, the rest re-planned) and, given the future's own best
    plan's shortfall and cost, its regret: in shortfall first, then in cost."""
    from planner.plan import plan

    try:
        held = plan(data, scen, task.target_year, SolverOptions(**task.options), progress=lambda _m: None,
                    held=task.held)  # fmt: skip
    except SolverError as exc:
        return {"plan_status": "no plan", "plan_note": str(exc)[:200]}
    cost = held.breakdown.get("total", float("nan"))
    budget = held.tables["budget"].set_index("year")
    row = {"plan_status": held.status, "plan_shortfall_gbp": held.shortfall, "plan_discounted_cost_gbp": cost,
           "plan_cumulative_deficit_gbp": float(budget["cumulative_deficit"].iloc[-1])}  # fmt: skip
    if own_shortfall is not None and own_cost is not None:
        row.update({"regret_shortfall_gbp": held.shortfall - own_shortfall, "regret_cost_gbp": cost - own_cost})
    return row


def future_names(futures: pd.DataFrame, n: int | None) -> list[str]:
    names = sorted(str(s) for s in futures["scenario"].unique() if str(s).startswith(FUTURE_PREFIX))
    return names if n is None else names[:n]


@contextmanager
def dask_client(scheduler: str | None, workers: int, threads_per_worker: int = 1) -> Iterator[Any]:
    """A Dask client: to the scheduler at `scheduler`, or to a LocalCluster of `workers` processes on this machine
    (loopback only: 127.0.0.1)."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    cluster = LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", processes=True)  # fmt: skip
    with cluster, Client(cluster) as client:
        yield client


def run_ensemble(
    client: Any, tasks: list[FutureTask], progress: Callable[[str], None]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Submit every task, gather as they finish (a progress line each): the futures table and the projects each
    future's plan builds."""
    from distributed import as_completed

    jobs = [client.submit(solve_future, t, key=f"plan-{t.future}", pure=False) for t in tasks]
    rows, projects = [], []
    for k, job in enumerate(as_completed(jobs), 1):
        got = job.result()
        rows.append(got["row"])
        projects += got["projects"]
        r = got["row"]
        short = r.get("shortfall_gbp", r.get("plan_shortfall_gbp", float("nan")))
        progress(f"[{k}/{len(tasks)}] {r['future']}: {r['status']}, shortfall GBP {short / 1e6:,.2f}m, "
                 f"{r['seconds']:.0f} s")  # fmt: skip
    futures = pd.DataFrame(rows).sort_values("future").reset_index(drop=True)
    cols = ["future", "project_id", "opening_year", "places"]
    return futures, pd.DataFrame(projects, columns=cols).sort_values(["project_id", "future"]).reset_index(drop=True)


def option_robustness(projects: pd.DataFrame, futures: pd.DataFrame, options: pd.DataFrame) -> pd.DataFrame:
    """For every option: the share of futures (with a plan) whose plan builds it, and the spread of its opening
    year and places where built."""
    n = int((futures["status"] != "no plan").sum())
    g = projects.groupby("project_id")
    out = pd.DataFrame({
        "futures_built": g["future"].nunique(),
        "opening_year_min": g["opening_year"].min(), "opening_year_median": g["opening_year"].median(),
        "opening_year_max": g["opening_year"].max(), "places_mean": g["places"].mean(),
    })  # fmt: skip
    meta = options.set_index("option_id")
    out = out.reindex(meta.index).fillna({"futures_built": 0})
    out["share_built"] = out["futures_built"] / n if n else 0.0
    out.insert(0, "site_id", meta["site_id"])
    out.insert(1, "option_type", meta["option_type"])
    out = out.rename_axis("option_id").reset_index()
    return out.sort_values(["share_built", "option_id"], ascending=[False, True]).reset_index(drop=True)


def tasks_for(
    data_folder: Path,
    zones: str,
    scenario: Scenario,
    futures: list[str],
    target_year: int | None,
    options: SolverOptions,
    held: HeldProjects | None = None,
    own: bool = True,
) -> list[FutureTask]:
    opts = {**asdict(options), "log": False}
    scen = scenario.model_dump(mode="json")  # the file it came from is not a field
    return [FutureTask(str(data_folder), zones, scen, f, target_year, opts, held, own) for f in futures]
