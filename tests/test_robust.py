"""The robust plan (docs/model.md section 13) on a two-future instance derived by hand, its VSS and EVPI, CVaR,
build delays, and the command line with the independent re-check of every future's tables.

The instance (conventions of tests/instances.py): one zone A at x = 0; a fallback pupil-year costs 52,000; a
special school can be built at x = 0 (works in 2026, open in 2027) in one of four sizes, 8, 12, 15 or 22 places,
no capital cost, no top-up, place funding 30,000 a place a year (paid for every place, filled or not). 10
children in 2025 and 2026 in both futures; in 2027 10 in future "low", 20 in "high", equally likely. Nothing
can open in 2026, so 2026 costs 10 x 52,000 = 520,000 in every plan.

In 2027, with s places and D children: cost 52,000 (D - min(s, D)) + 30,000 s, so against building nothing a
plan saves f(s, D) = 22,000 s when s <= D, and 22,000 D - 30,000 (s - D) when s > D (thousands):

    s        0     8     12     15     22
    low      0   176    160     70   -140     -> the low future's own plan: 8
    high     0   176    264    330    380     -> the high future's own plan: 22
    mean     0   176    212    200    120     -> the robust plan: 12, neither future's own
    D = 15   0   176    264    330    120     -> the mean-value plan (mean demand 15): 15

Cost with nothing built: 520 + (520 + 1,040) / 2 = 1,300 (expected). Robust RP = 1,300 - 212 = 1,088; wait and
see WS = 1,300 - (176 + 380) / 2 = 1,022; the mean-value plan kept in both EEV = 1,300 - 200 = 1,100. So EVPI =
RP - WS = 66,000 and VSS = EEV - RP = 12,000. The budget balances (income 1e9): no shortfall, no harm; CVaR
weight 0 (risk-neutral) for these figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner.check import check_run
from planner.cli.ensemble import main as ensemble_main
from planner.cli.solve import main as solve_main
from planner.config import Scenario
from planner.data import load_data
from planner.futures import dask_client, run_ensemble, tasks_for
from planner.highs import SolverOptions
from planner.plan import plan
from planner.robust import cvar, robust_plan
from planner.runfolder import held_projects
from tests.instances import Instance, write_instance


def plans_rows(futures: dict[str, float]) -> list[dict]:
    rows = []
    for name, d27 in {"central": 15.0, **futures}.items():
        for y, d in ((2025, 10.0), (2026, 10.0), (2027, d27)):
            rows.append(dict(scenario=name, year=y, need_group="G", phase="primary", plans=d))
    return rows


def two_futures(**kw) -> Instance:
    return Instance(
        plans={2025: 10, 2026: 10, 2027: 10},
        options=[
            dict(
                id="NEW",
                type="special",
                x=0.0,
                option_type="new_school",
                lead=1,
                sizes=[(8, 0), (12, 0), (15, 0), (22, 0)],
            )
        ],
        top_up={"special": 0, "srb": 0, "ap": 0},
        place_funding={"special": 30_000, "srb": 0, "ap": 0},
        tables={
            "plans.csv": plans_rows({"low": 10.0, "high": 20.0}),
            "futures.csv": [
                {**r, "scenario": r["scenario"].replace("low", "future-001").replace("high", "future-002")}
                for r in plans_rows({"low": 10.0, "high": 20.0})
                if r["scenario"] != "central"
            ],
        },
        **kw,
    )


def solved(tmp_path: Path, inst: Instance, scenario: Scenario, futures=("low", "high"), **kw):
    data = load_data(write_instance(tmp_path / "data", inst))
    return robust_plan(
        data, scenario, list(futures), 2027, SolverOptions(log=False, mip_gap=1e-9), progress=lambda _m: None, **kw
    )


def places(out, stage: str = "first") -> dict[str, float]:
    f = out.first_stage
    return f[f["stage"] == stage].set_index("option_id")["first_stage_places"].to_dict()


NEUTRAL = Scenario(cvar_weight=0.0)


def test_the_robust_plan_differs_from_each_futures_own_plan(tmp_path: Path) -> None:
    out = solved(tmp_path, two_futures(), NEUTRAL)
    assert out.status == "optimal"
    assert places(out) == {"NEW": 12.0}
    s = out.summary
    assert s["robust_objective_gbp"] == pytest.approx(1_088_000, abs=1)
    assert s["wait_and_see_gbp"] == pytest.approx(1_022_000, abs=1)
    assert s["mean_plan_in_every_future_gbp"] == pytest.approx(1_100_000, abs=1)
    assert s["evpi_gbp"] == pytest.approx(66_000, abs=1)
    assert s["vss_gbp"] == pytest.approx(12_000, abs=1)
    for measure, value in (("evpi", 66_000), ("vss", 12_000)):  # proven to the gap asked (1e-9)
        assert s[f"{measure}_proven_low_gbp"] == pytest.approx(value, abs=1)
        assert s[f"{measure}_proven_high_gbp"] == pytest.approx(value, abs=1)
    f = out.by_future.set_index("future")
    # each future under the robust plan (12 places): low 520 + 360 = 880; high 520 + 8 x 52 + 360 = 1,296
    assert f["robust_cost_gbp"].to_dict() == pytest.approx({"low": 880_000, "high": 1_296_000}, abs=1)
    # own best: low builds 8 (520 + 104 + 240 = 864), high 22 (520 + 660 = 1,180); regret 16 and 116
    assert f["own_best_objective_gbp"].to_dict() == pytest.approx({"low": 864_000, "high": 1_180_000}, abs=1)
    assert f["regret_gbp"].to_dict() == pytest.approx({"low": 16_000, "high": 116_000}, abs=1)
    # the mean-value plan (15) in each: low 520 + 450 = 970, high 520 + 260 + 450 = 1,230
    assert f["mean_plan_objective_gbp"].to_dict() == pytest.approx({"low": 970_000, "high": 1_230_000}, abs=1)
    # the future's own tables hold the robust plan
    for fp in out.futures:
        pr = fp.tables["projects"]
        assert pr.loc[pr["kind"] == "option", "places"].tolist() == [12.0]


def test_one_future_alone_gives_its_own_plan(tmp_path: Path) -> None:
    """With one future the robust plan is that future's plan: low builds 8 (864,000), high 22 (1,180,000); nothing
    to learn (EVPI 0). The single-future lexicographic solve gives the same plans (its step 2 starts from step 1's
    plan, 15 places in "low", which HiGHS 1.16 once took as optimal: planner.highs now re-solves when it does)."""
    for name, size, cost in (("low", 8.0, 864_000), ("high", 22.0, 1_180_000)):
        out = solved(tmp_path / name, two_futures(), NEUTRAL, futures=(name,))
        assert places(out) == {"NEW": size}
        assert out.summary["robust_objective_gbp"] == pytest.approx(cost, abs=1)
        assert out.summary["evpi_gbp"] == pytest.approx(0, abs=1)
        assert out.summary["vss_gbp"] == pytest.approx(0, abs=1)
        single = plan(load_data(tmp_path / name / "data"), Scenario(demand_projection=name), 2027,
                      SolverOptions(log=False), progress=lambda _m: None)  # fmt: skip
        assert single.breakdown["total"] == pytest.approx(cost, abs=1)
        assert single.tables["projects"]["places"].tolist() == [size]


def test_probabilities_move_the_plan(tmp_path: Path) -> None:
    """With "high" 3 times as likely as "low" the expected savings are 176, 238, 265, 250 (8, 12, 15, 22: e.g.
    15: (70 + 3 x 330) / 4 = 265), so the robust plan builds 15."""
    out = solved(tmp_path, two_futures(), NEUTRAL, probabilities=[0.25, 0.75])
    assert places(out) == {"NEW": 15.0}
    assert out.summary["robust_objective_gbp"] == pytest.approx(520_000 + 910_000 - 265_000, abs=1)


def test_cvar_of_the_shortfall_buys_insurance(tmp_path: Path) -> None:
    """Income covers the 2027 spending of 12 places (360,000) but no more; the fallback's fees are high-needs
    spending too, so in 2027 the high-needs spending is 52,000 - 2,000 = 50,000 per fallback child plus 30,000 a
    place. With s places in "high" (20 children): 50 (20 - s) + 30 s = 1,000 - 20 s (s <= 20), shortfall
    max(0, 640 - 20 s) with income 360. In "low": 50 (10 - s) + 30 s = 500 - 20 s (s <= 10), 30 s above:
    shortfall max(0, 140 - 20 s, 30 s - 360) -> 0 at s = 8 or 12, 90 at 15, 300 at 22.

    Risk-neutral with the shortfall priced at 1 (a pound of shortfall weighs a pound of cost), expected cost +
    harm by s (thousands, 2026 fixed): 12 -> 1,088 + (0 + 400) / 2 = 1,288; 15 -> 1,100 + (90 + 340) / 2 = 1,315;
    22 -> 1,180 + (300 + 200) / 2 = 1,430; 8 -> 1,124 + (0 + 480) / 2 = 1,364. So 12.
    With CVaR at level 0.5 (the worse future) at weight 1: 12 -> 1,288 + 400 = 1,688; 15 -> 1,315 + 340 = 1,655;
    22 -> 1,430 + 300 = 1,730; 8 -> 1,364 + 480 = 1,844. So 15: the plan gives up expected cost to cut the
    shortfall of the worse future.
    """
    inst = two_futures(income=360_000)
    neutral = solved(tmp_path / "n", inst, Scenario(cvar_weight=0.0, shortfall_price=1.0), evaluate=False)
    assert places(neutral) == {"NEW": 12.0}
    assert neutral.summary["robust_objective_gbp"] == pytest.approx(1_288_000, abs=1)
    averse = solved(
        tmp_path / "a", inst, Scenario(cvar_weight=1.0, cvar_level=0.5, shortfall_price=1.0), evaluate=False
    )
    assert places(averse) == {"NEW": 15.0}
    assert averse.summary["robust_objective_gbp"] == pytest.approx(1_655_000, abs=1)
    assert averse.summary["cvar_priced_harm_gbp"] == pytest.approx(340_000, abs=1)
    f = averse.by_future.set_index("future")
    assert f["robust_shortfall_gbp"].to_dict() == pytest.approx({"low": 90_000, "high": 340_000}, abs=1)


def test_cvar_of_a_discrete_distribution() -> None:
    v, p = pd.Series([10.0, 30.0, 20.0, 40.0]), pd.Series([0.25] * 4)
    assert cvar(v, p, 0.5) == pytest.approx(35.0)
    assert cvar(v, p, 0.6) == pytest.approx((0.25 * 40 + 0.15 * 30) / 0.4)
    assert cvar(v, p, 0.0) == pytest.approx(25.0)


def test_a_build_delay_costs_the_year_the_school_is_late(tmp_path: Path) -> None:
    """With every site late by a year (probability 1), the school chosen in 2026 opens after the horizon: 2027 is
    as if nothing were built, and building costs nothing either (no place funding before opening), so every size
    gives the same objective, 1,300,000; the first stage is whatever the solver chose, and no future's tables
    show a school open in 2027."""
    out = solved(tmp_path, two_futures(), Scenario(cvar_weight=0.0, build_delay_probability=1.0), evaluate=False)
    assert out.summary["robust_objective_gbp"] == pytest.approx(1_300_000, abs=1)
    assert set(out.by_future["delayed_sites"]) == {"NEW"}
    for fp in out.futures:
        assert fp.tables["placements"].query("setting_id != 'ooc' and year == 2027")["pupils"].sum() == 0


def test_the_robust_command_writes_checked_futures(tmp_path: Path) -> None:
    """python -m planner.solve --futures low,high: the folder holds the robust tables and one run folder a
    future, each passing the independent re-check."""
    folder = write_instance(tmp_path / "data", two_futures())
    out = tmp_path / "robust"
    scen = tmp_path / "neutral.toml"
    scen.write_text('name = "neutral"\ncvar_weight = 0.0\n')
    args = [
        "--year",
        "2027",
        "--data",
        str(folder),
        "--futures",
        "low,high",
        "--scenario",
        str(scen),
        "--out",
        str(out),
        "--quiet",
        "--gap",
        "1e-6",
    ]
    assert solve_main(args) == 0
    summary = json.loads((out / "robust.json").read_text())
    assert summary["vss_gbp"] == pytest.approx(12_000, abs=1)
    first = pd.read_csv(out / "robust_projects.csv")
    assert first.query("stage == 'first'")["first_stage_places"].tolist() == [12.0]
    by_year = pd.read_csv(out / "robust_first_stage_years.csv")
    assert by_year.to_dict("records") == [{"option_id": "NEW", "year": 2027, "places": 12.0}]
    data = load_data(folder)
    for name in ("low", "high"):
        report = check_run(out / "futures" / name, data)
        assert report.ok, str(report)
    assert (out / "robust.html").is_file()


def test_one_plan_evaluated_in_every_future_on_dask(tmp_path: Path) -> None:
    """The robust plan of futures.csv's two futures (the same as low and high) is written by the command, then its
    first stage (12 places) is held in every future by planner.ensemble's tasks on a two-worker LocalCluster: its
    regret against each future's own best plan is 880 - 864 = 16,000 (future-001) and 1,296 - 1,180 = 116,000
    (future-002). A single plan's folder (the low projection's: 8 places) is held whole: in future-002 it costs
    520 + 12 x 52 + 8 x 30 = 1,384, regret 204,000."""
    folder = write_instance(tmp_path / "data", two_futures())
    scen = tmp_path / "neutral.toml"
    scen.write_text('name = "neutral"\ncvar_weight = 0.0\n')
    common = ["--year", "2027", "--data", str(folder), "--quiet", "--scenario", str(scen)]
    assert solve_main([*common, "--futures", "2", "--out", str(tmp_path / "robust")]) == 0
    low = tmp_path / "low.toml"
    low.write_text('name = "low"\ndemand_projection = "low"\n')
    assert solve_main([*common[:-1], str(low), "--out", str(tmp_path / "low"), "--no-report"]) == 0
    futures = ["future-001", "future-002"]
    expected = {
        "robust": {"future-001": 16_000, "future-002": 116_000},
        "low": {"future-001": 0, "future-002": 204_000},
    }
    with dask_client(None, workers=2) as client:
        for name, regret in expected.items():
            held = held_projects(tmp_path / name)
            tasks = tasks_for(folder, "msoa", Scenario(), futures, 2027, SolverOptions(log=False), held)
            got, _ = run_ensemble(client, tasks, lambda _m: None)
            got = got.set_index("future")
            assert got["regret_cost_gbp"].to_dict() == pytest.approx(regret, abs=1), name
            assert got["regret_shortfall_gbp"].to_dict() == pytest.approx(dict.fromkeys(futures, 0.0), abs=1)
    # the command, the robust plan only evaluated: future-001 880,000 and future-002 1,296,000
    ens = tmp_path / "evaluated"
    args = ["--data", str(folder), "--year", "2027", "--futures", "2", "--plan", str(tmp_path / "robust"),
            "--evaluate-only", "--workers", "2", "--out", str(ens), "--quiet"]  # fmt: skip
    assert ensemble_main(args) == 0
    table = pd.read_csv(ens / "futures.csv").set_index("future")
    evaluated = {"future-001": 880_000, "future-002": 1_296_000}
    assert table["plan_discounted_cost_gbp"].to_dict() == pytest.approx(evaluated, abs=1)
    assert "shortfall_gbp" not in table and (ens / "ensemble.html").is_file()
