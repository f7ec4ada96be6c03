"""Small instances whose optimum is derived by hand, and what each constraint family does when dropped.

Conventions of tests/instances.py unless a test says otherwise: one zone A at x = 0 km; the out-of-county
fallback is 20 km away and costs GBP 50,000 a year in fees; transport is calibrated to GBP 2,000 a pupil at the
fallback, i.e. GBP 100 per pupil per km a year; a state place costs its top-up (GBP 10,000) plus transport; no
growth, no discounting, no place funding, stay rate 0 (every child is a new entrant each year) unless set. So a
fallback pupil-year costs 50,000 + 100 x 20 = 52,000. Costs are the run's discounted total over the planning
years (transport + place funding + top-ups and fees), in GBP.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.check import check_run
from planner.cli.solve import main as solve_main
from planner.config import Scenario
from planner.data import load_data
from planner.highs import INTERFACES, SolverOptions
from planner.plan import PlanOutcome, plan
from tests.instances import Instance, write_instance

FALLBACK = 52_000.0


def solve(
    tmp_path: Path, inst: Instance, target: int = 2026, without: tuple[str, ...] = (), name: str = "i"
) -> PlanOutcome:
    folder = write_instance(tmp_path / name, inst)
    data = load_data(folder)
    out = plan(data, Scenario(), target, SolverOptions(log=False), progress=lambda _m: None, without=without)
    if not without:  # the full model's plan also passes the independent re-check, through the command line
        run = tmp_path / f"{name}-run"
        args = ["--year", str(target), "--data", str(folder), "--out", str(run), "--quiet", "--no-report"]
        assert solve_main(args) == 0
        report = check_run(run, data)
        assert report.ok, str(report)
        written = pd.read_csv(run / "budget.csv")
        assert written["shortfall"].sum() == pytest.approx(out.tables["budget"]["shortfall"].sum(), abs=1)
    return out


def pupils(out: PlanOutcome, setting: str) -> dict[int, float]:
    s = out.tables["settings_by_year"]
    return s[s["setting_id"] == setting].set_index("year")["pupils"].round(6).to_dict()


def total(out: PlanOutcome) -> float:
    return out.breakdown["total"]


# --------------------------------------------------------------------------------------------------------------
def capacity_instance() -> Instance:
    return Instance(settings=[dict(id="S1", type="special", x=10.0, places=3)])


def test_capacity_with_fallback(tmp_path: Path) -> None:
    """5 children a year in zone A; special school S1 (3 places) 10 km away; the fallback takes the rest.

    A place at S1 costs 10,000 + 100 x 10 = 11,000 a year; the fallback 52,000. S1 fills its 3 places, 2 children
    go out of county: 3 x 11,000 + 2 x 52,000 = 137,000 a year, 274,000 over 2026-2027.
    """
    out = solve(tmp_path, capacity_instance())
    assert out.status == "optimal"
    assert total(out) == pytest.approx(274_000, abs=1)
    assert pupils(out, "S1") == {2025: 0.0, 2026: 3.0, 2027: 3.0}
    assert pupils(out, "ooc") == {2025: 5.0, 2026: 2.0, 2027: 2.0}


def test_the_value_of_a_place_is_what_it_saves(tmp_path: Path) -> None:
    """In the capacity instance S1 is full in 2026 and 2027 and two children a year go out of county: one more
    place at S1 for a year takes one of them, 52,000 - 11,000 = 41,000 saved (none stays a year, so the place
    need not be held later). The capital budget is none and no project exists: capital does not bind."""
    out = solve(tmp_path, capacity_instance())
    v = out.tables["place_values"].set_index(["setting_id", "year"])["value_of_a_place"]
    assert v[("S1", 2026)] == pytest.approx(41_000, abs=1e-3)
    assert v[("S1", 2027)] == pytest.approx(41_000, abs=1e-3)
    binds = out.tables["what_binds"].set_index(["year", "constraint"])["binding"]
    assert binds[(2026, "capacity")] and not binds[(2026, "capital")]
    need = out.tables["place_values_by_need"]
    assert need.loc[need["year"] == 2027, "value_of_a_place"].tolist() == pytest.approx([41_000], abs=1e-3)


def test_a_place_left_empty_is_worth_nothing(tmp_path: Path) -> None:
    """S1 with 6 places for 5 children: not full, so one more place saves nothing."""
    out = solve(tmp_path, Instance(settings=[dict(id="S1", type="special", x=10.0, places=6)]))
    v = out.tables["place_values"].set_index(["setting_id", "year"])["value_of_a_place"]
    assert v[("S1", 2026)] == pytest.approx(0.0, abs=1e-6) and not out.tables["place_values"]["full"].any()


def test_capacity_dropped(tmp_path: Path) -> None:
    """Without capacity all 5 go to S1: 5 x 11,000 = 55,000 a year, 110,000 in all (164,000 less)."""
    out = solve(tmp_path, capacity_instance(), without=("capacity",))
    assert total(out) == pytest.approx(110_000, abs=1)
    assert pupils(out, "S1")[2026] == pytest.approx(5.0)


# --------------------------------------------------------------------------------------------------------------
def lead_time_instance(lead: int) -> Instance:
    return Instance(
        plans={2025: 4, 2026: 4, 2027: 4, 2028: 4}, options=[dict(id="X", type="srb", x=0.0, sizes=[(4, 0)], lead=lead)]
    )


def test_lead_time(tmp_path: Path) -> None:
    """4 children a year; a 4-place resource base X at their zone (no transport) can start in 2026 and takes 2
    years to build, so it opens in 2028. 2026 and 2027: 4 x 52,000 = 208,000 each; 2028: 4 x 10,000 = 40,000.
    Total 456,000; X starts in 2026 and opens in 2028.
    """
    out = solve(tmp_path, lead_time_instance(2))
    assert total(out) == pytest.approx(456_000, abs=1)
    pr = out.tables["projects"].set_index("project_id")
    assert (pr.loc["X", "start_year"], pr.loc["X", "opening_year"]) == (2026, 2028)
    assert pupils(out, "X") == {2028: 4.0}


def test_lead_time_dropped(tmp_path: Path) -> None:
    """With no lead time X opens in 2026: 3 years x 4 x 10,000 = 120,000."""
    out = solve(tmp_path, lead_time_instance(0))
    assert total(out) == pytest.approx(120_000, abs=1)
    assert out.tables["projects"].set_index("project_id").loc["X", "opening_year"] == 2026


# --------------------------------------------------------------------------------------------------------------
def continuity_instance() -> Instance:
    return Instance(
        plans={2025: 4, 2026: 4, 2027: 4}, stay_rate=0.5, settings=[dict(id="S1", type="special", x=0.0, places=4)]
    )


def test_continuity(tmp_path: Path) -> None:
    """4 children a year, all out of county in the base year; half of a year's pupils stay (stay rate 0.5).
    A 4-place school S1 in the zone (no transport, 10,000 a pupil) has room, but children already placed stay.

    2026: 0.5 x 4 = 2 stay out of county (2 x 52,000 = 104,000); the new entrants 4 - 0.5 x 4 = 2 go to S1
    (20,000): 124,000. 2027: 0.5 x 2 = 1 stays out of county (52,000); S1 holds 0.5 x 2 + 2 new = 3 (30,000):
    82,000. Total 206,000.
    """
    out = solve(tmp_path, continuity_instance())
    assert total(out) == pytest.approx(206_000, abs=1)
    assert pupils(out, "ooc") == {2025: 4.0, 2026: 2.0, 2027: 1.0}
    assert pupils(out, "S1") == {2025: 0.0, 2026: 2.0, 2027: 3.0}


def test_continuity_dropped(tmp_path: Path) -> None:
    """If children could be moved, all 4 would be in S1 each year: 2 x 40,000 = 80,000."""
    out = solve(tmp_path, continuity_instance(), without=("continuity",))
    assert total(out) == pytest.approx(80_000, abs=1)
    assert pupils(out, "S1") == {2025: 0.0, 2026: 4.0, 2027: 4.0}


# --------------------------------------------------------------------------------------------------------------
def reach_instance() -> Instance:
    return Instance(
        zones={"A": 0.0, "B": 45.0},
        plans={2025: 4, 2026: 4, 2027: 4},
        settings=[dict(id="S1", type="special", x=5.0, places=4)],
    )


def test_reach(tmp_path: Path) -> None:
    """Zones A (x = 0) and B (x = 45 km) have 2 children each a year (equal child populations); S1 (4 places) is
    at x = 5: 5 km from A, 40 km from B, beyond the 30 km reach. A's children go to S1 (10,000 + 500 each), B's
    out of county (52,000 each): 21,000 + 104,000 = 125,000 a year, 250,000 in all.
    """
    out = solve(tmp_path, reach_instance())
    assert total(out) == pytest.approx(250_000, abs=1)
    p = out.tables["placements"]
    assert p[(p["zone_id"] == "B") & (p["setting_id"] == "S1")].empty
    assert pupils(out, "S1") == {2025: 0.0, 2026: 2.0, 2027: 2.0}


def test_reach_dropped(tmp_path: Path) -> None:
    """Without reach B's children travel 40 km to S1: 10,000 + 4,000 each; (21,000 + 28,000) x 2 = 98,000."""
    out = solve(tmp_path, reach_instance(), without=("reach",))
    assert total(out) == pytest.approx(98_000, abs=1)
    assert pupils(out, "S1") == {2025: 0.0, 2026: 4.0, 2027: 4.0}


# --------------------------------------------------------------------------------------------------------------
def capital_instance() -> Instance:
    return Instance(
        plans={2025: 10, 2026: 10, 2027: 10},
        capital={2026: 1_000_000},
        options=[
            dict(id="X", type="srb", x=0.0, sizes=[(10, 2_000_000)], lead=1),
            dict(id="Y", type="srb", x=0.0, sizes=[(5, 600_000)], lead=1),
        ],
    )


def test_capital_budget(tmp_path: Path) -> None:
    """10 children a year. Two resource-base sites in the zone, each a year to build (start 2026, open 2027): X
    (10 places, GBP 2m) and Y (5 places, GBP 0.6m). GBP 1m of capital in 2026 pays only for Y. 2026: 10 x 52,000
    = 520,000; 2027: 5 in Y (50,000) + 5 out of county (260,000) = 310,000. Total 830,000.
    """
    out = solve(tmp_path, capital_instance())
    assert total(out) == pytest.approx(830_000, abs=1)
    built = set(out.tables["projects"]["project_id"])
    assert built == {"Y"}
    assert out.tables["budget"].set_index("year").loc[2026, "capital_spent_options"] == pytest.approx(600_000)


def test_capital_budget_dropped(tmp_path: Path) -> None:
    """Without the capital budget X opens in 2027 and takes all 10: 520,000 + 10 x 10,000 = 620,000."""
    out = solve(tmp_path, capital_instance(), without=("capital_budget",))
    assert total(out) == pytest.approx(620_000, abs=1)
    assert "X" in set(out.tables["projects"]["project_id"])


# --------------------------------------------------------------------------------------------------------------
def deficit_instance(income: float) -> Instance:
    return Instance(
        plans={2025: 10, 2026: 10, 2027: 10},
        reach_km=60.0,
        income=income,
        top_up={"special": 12_000, "srb": 8_000, "ap": 10_000},
        settings=[dict(id="S1", type="special", x=5.0, places=10), dict(id="S2", type="srb", x=50.0, places=10)],
    )


def test_deficit_shortfall(tmp_path: Path) -> None:
    """10 children a year; income GBP 50,000 a year; target years 2026 and 2027. S1 (special, 5 km) costs the
    high-needs budget 12,000 a pupil (12,500 with transport); S2 (resource base, 50 km) 8,000 (13,000 with
    transport). No plan balances: the smallest shortfall puts all 10 in S2, spending 80,000 a year, 30,000 short
    each year: 60,000 in all. The cheapest plan with that shortfall is the same: 2 x 10 x 13,000 = 260,000.
    """
    out = solve(tmp_path, deficit_instance(50_000))
    assert out.shortfall == pytest.approx(60_000, abs=1)
    assert total(out) == pytest.approx(260_000, abs=1)
    b = out.tables["budget"].set_index("year")
    assert b.loc[2026, "in_year_balance"] == pytest.approx(-30_000, abs=1)
    assert b.loc[[2026, 2027], "shortfall"].sum() == pytest.approx(60_000, abs=1)
    assert pupils(out, "S2") == {2025: 0.0, 2026: 10.0, 2027: 10.0}


def test_deficit_balance_dropped(tmp_path: Path) -> None:
    """Without the high-needs balance the cheapest plan uses S1 (12,500 < 13,000): 250,000, and the budget is
    then 70,000 short each year (spending 120,000 against 50,000)."""
    out = solve(tmp_path, deficit_instance(50_000), without=("high_needs_balance",))
    assert total(out) == pytest.approx(250_000, abs=1)
    assert out.tables["budget"].set_index("year").loc[2027, "in_year_balance"] == pytest.approx(-70_000, abs=1)


def test_deficit_balanced(tmp_path: Path) -> None:
    """With income GBP 200,000 a year every plan balances: no shortfall, and the cheapest plan (S1) is chosen."""
    out = solve(tmp_path, deficit_instance(200_000))
    assert out.shortfall == 0
    assert total(out) == pytest.approx(250_000, abs=1)
    assert pd.isna(out.tables["kpis"]["year_of_balance"]).sum() == 0


def weight_instance() -> Instance:
    """The deficit instance at income 50,000, with S2 a resource base 150 km away (reach 160 km) costing 11,990."""
    inst = deficit_instance(50_000)
    inst.reach_km = 160.0
    inst.top_up = {"special": 12_000, "srb": 11_990, "ap": 10_000}
    inst.settings[1]["x"] = 150.0
    return inst


def test_shortfall_does_not_depend_on_the_weight(tmp_path: Path) -> None:
    """The smallest shortfall comes first at any price. As test_deficit_shortfall, but S2's resource base costs
    11,990 a pupil and lies 150 km away (reach 160 km): S2 saves the high-needs budget GBP 10 a pupil (11,990 v
    12,000) and costs 150 x 100 - 500 = 14,500 more transport, so 100 x shortfall + cost prefers S1 (100 x 10 <
    14,490) but the smallest shortfall needs S2. Income 50,000: S2 spends 119,900 a year, 69,900 short in 2026
    and 2027: 139,800 in all (S1: 140,000). Cost: 2 x 10 x (11,990 + 15,000) = 539,800.
    """
    out = solve(tmp_path, weight_instance())
    assert out.shortfall == pytest.approx(139_800, abs=1)
    assert total(out) == pytest.approx(539_800, abs=5)  # 150 km to within a metre after the coordinate round trip
    assert pupils(out, "S2") == pytest.approx({2025: 0.0, 2026: 10.0, 2027: 10.0}, abs=1e-3)
    assert [s["solve"] for s in out.solve_log] == [
        "least shortfall (relaxation)",
        "cheapest plan (relaxation)",
        "whole places",
    ]


@pytest.mark.parametrize("interface", INTERFACES)
def test_every_solver_interface_gives_the_same_plan(tmp_path: Path, interface: str) -> None:
    """The instance of test_shortfall_does_not_depend_on_the_weight (three solves: the least shortfall, the cheapest
    plan with the shortfall capped, then whole places) through each Pyomo-HiGHS hand-off: shortfall 139,800 and cost
    539,800 as derived there."""
    data = load_data(write_instance(tmp_path / "i", weight_instance()))
    options = SolverOptions(log=False, interface=interface)
    out = plan(data, Scenario(), 2026, options, progress=lambda _m: None)
    assert out.shortfall == pytest.approx(139_800, abs=1)
    assert total(out) == pytest.approx(539_800, abs=5)
    assert pupils(out, "S2") == pytest.approx({2025: 0.0, 2026: 10.0, 2027: 10.0}, abs=1e-3)
    assert [s["status"] for s in out.solve_log] == ["optimal"] * 3
