"""planner.ensemble on Dask: each future planned in a task gives the plan solving it alone gives.

A hand instance (tests/test_model_instances.py's capacity instance: 3 places at S1, 10 km away, at 11,000 a child a
year; the out-of-county fallback at 52,000) with three demand futures in futures.csv: 4, 5 and 6 children a year.
Alone, each future costs 2 x (3 x 11,000 + (n - 3) x 52,000): 170,000, 274,000 and 378,000. The ensemble runs on a
LocalCluster of two worker processes on loopback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner.config import Scenario
from planner.data import load_data
from planner.futures import dask_client, option_robustness, run_ensemble, tasks_for
from planner.highs import SolverOptions
from planner.plan import plan
from tests.instances import Instance, write_instance

ROOT = Path(__file__).resolve().parents[1]
FUTURES = {"future-001": 4, "future-002": 5, "future-003": 6}


def futures_instance() -> Instance:
    inst = Instance(settings=[dict(id="S1", type="special", x=10.0, places=3)])
    inst.tables["futures.csv"] = [
        dict(scenario=f, year=y, need_group="G", phase="primary", plans=5 if y == 2025 else n)
        for f, n in FUTURES.items()
        for y in (2025, 2026, 2027)
    ]
    return inst


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_instance(tmp_path_factory.mktemp("futures") / "data", futures_instance())


@pytest.fixture(scope="module")
def ensemble(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    options = SolverOptions(log=False)
    tasks = tasks_for(folder, "msoa", Scenario(), list(FUTURES), 2026, options)
    with dask_client(None, workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        assert all(a.startswith("tcp://127.0.0.1:") for a in client.scheduler_info()["workers"])
        return run_ensemble(client, tasks, lambda _m: None)


def test_each_future_as_alone(folder: Path, ensemble: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    futures, _ = ensemble
    data = load_data(folder)
    got = futures.set_index("future")
    for f, n in FUTURES.items():
        alone = plan(data, Scenario(demand_projection=f), 2026, SolverOptions(log=False), progress=lambda _m: None)
        assert got.at[f, "discounted_cost_gbp"] == pytest.approx(alone.breakdown["total"], rel=1e-4)
        assert got.at[f, "discounted_cost_gbp"] == pytest.approx(2 * (3 * 11_000 + (n - 3) * 52_000), abs=1)
        assert got.at[f, "status"] == "optimal"


def test_robustness_of_no_option(folder: Path, ensemble: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    futures, projects = ensemble
    robust = option_robustness(projects, futures, load_data(folder).options)
    assert projects.empty and robust.empty


def test_the_command(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "ens"
    cmd = [sys.executable, "-m", "planner.ensemble", "--data", str(folder), "--year", "2026", "--futures", "2",
           "--workers", "2", "--out", str(out), "--quiet"]  # fmt: skip
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    table = pd.read_csv(out / "futures.csv")
    assert list(table["future"]) == ["future-001", "future-002"]
    assert "[2/2]" in done.stderr and "dashboard" in done.stderr
    for name in ("options.csv", "projects_by_future.csv", "robustness.png", "spread.png", "ensemble.html"):
        assert (out / name).exists(), name


def test_eight_norfolk_futures_at_district_zones(tmp_path: Path) -> None:
    """The shipped data's first 8 futures at district zones on two workers, each solve held to 45 s so that CI
    bounds it (the gaps reached are in futures.csv). A future whose limit ends a step before any plan is found is
    listed as 'no plan' with the reason (exit 3); under a loaded machine that can happen, so the test asks that
    most futures are planned and any that are not say why."""
    out = tmp_path / "norfolk"
    cmd = [sys.executable, "-m", "planner.ensemble", "--futures", "8", "--zones", "district", "--workers", "2",
           "--time-limit", "45", "--gap", "0.001", "--accept-gap", "--quiet", "--out", str(out)]  # fmt: skip
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=2400)
    assert done.returncode in (0, 3), done.stderr[-3000:]
    futures = pd.read_csv(out / "futures.csv")
    assert len(futures) == 8 and (futures["status"] != "no plan").sum() >= 6, futures.to_string()
    unplanned = futures[futures["status"] == "no plan"]
    assert unplanned["note"].str.contains("time limit").all() if len(unplanned) else True
    assert (done.returncode == 3) == bool(len(unplanned))
    robust = pd.read_csv(out / "options.csv")
    assert robust["share_built"].between(0, 1).all() and (robust["futures_built"] <= 8).all()
    assert robust["futures_built"].sum() > 0  # the plans build options
