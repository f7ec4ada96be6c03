"""What it would take and the trade-off curve (planner.goalseek, planner.levers) on an instance derived by hand.

The lever instance of tests/test_levers.py with income 400,000 a year: fees 10 x 50,000 = 500,000, so each target
year (2026, 2027) is 100,000 short; transport (2,000 a child) is the general fund's. One team area of 1,000
children, a team 50,000 a year covering it all. prevention_specialist 0 at the low and central levels and 0.5 at
the high; mainstream_per_team 0, 0 and 10; 10% of the entrants may be kept in mainstream, at an enhanced top-up
of 20,000. The scenario runs at the low levels, so no lever helps as it stands: 200,000 short.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner.config import Scenario
from planner.data import load_data
from planner.goalseek import BISECTION_STEPS, tradeoff, what_it_would_take
from planner.highs import SolverOptions
from tests.instances import write_instance
from tests.test_levers import lever_instance

ROOT = Path(__file__).resolve().parents[1]


def goal_instance():
    inst = lever_instance(400_000, shares=0.1, team_cost=50_000, enhanced_top_up=20_000)
    for row in inst.tables["levers.csv"]:
        if row["name"] == "prevention_specialist":
            row.update(low=0.0, central=0.0, high=0.5)
        if row["name"] == "mainstream_per_team":
            row.update(low=0.0, central=0.0, high=10.0)
    return inst


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_instance(tmp_path_factory.mktemp("goal") / "data", goal_instance())


@pytest.fixture(scope="module")
def take(folder: Path) -> pd.DataFrame:
    data = load_data(folder)
    return what_it_would_take(data, Scenario(), 2026, SolverOptions(log=False), lambda _m: None).set_index("lever")


def test_as_it_stands_it_is_short(take: pd.DataFrame) -> None:
    row = take.loc["none (the scenario as it stands)"]
    assert not row["balances"] and row["shortfall_at_limit_gbp"] == pytest.approx(200_000, abs=1)


def test_extra_income_is_the_largest_year_short(take: pd.DataFrame) -> None:
    """100,000 short in each target year: 100,000 a year closes both."""
    assert take.loc["extra income a year from the target year", "needed"] == pytest.approx(100_000, abs=1)


def test_prevention_needed(take: pd.DataFrame) -> None:
    """At a share x of the high level the team prevents 0.5 x x of the 10 entrants, each saving 50,000 of fees:
    100,000 + 50,000 (the team, outside money at a pound to the pound) - 250,000 x <= 0 from x = 0.6; the
    bisection ends within 1/64 above it."""
    needed = take.loc["prevention: share of its high effect", "needed"]
    assert 0.6 - 1e-6 <= needed <= 0.6 + 1 / 2**BISECTION_STEPS


def test_mainstream_needed(take: pd.DataFrame) -> None:
    """x times the 10% share keeps x children in mainstream, each saving 50,000 - 20,000 of fees, and needs x / 10
    of a team (10 children a team; teams are fractional in these solves, as in step 1): 100,000 + 5,000 x -
    30,000 x <= 0 from x = 4, within 10/64 above it (the range is up to x 10, every entrant)."""
    needed = take.loc["children kept in mainstream: x mainstream_support.csv's shares", "needed"]
    assert 4 - 1e-6 <= needed <= 4 + 10 / 2**BISECTION_STEPS


def test_capital_cannot_when_there_is_nothing_to_build(take: pd.DataFrame) -> None:
    row = take.loc["more capital over the planning years"]
    assert not row["balances"] and row["shortfall_at_limit_gbp"] == pytest.approx(200_000, abs=1)


def test_the_curve_is_what_the_teams_buy(folder: Path) -> None:
    """With outside money weighing nothing and prevention high, a team (50,000 a year; fractional here, as in step
    1) with coverage and effect T on this instance's linear curve prevents 5 T entrants a year and saves 250,000 T:
    five pounds of shortfall a pound of team, so the least shortfall at a cap c on the teams' money over both
    years is max(0, 200,000 - 5 c), at each of 8 points from no money to the unconstrained plan's."""
    data = load_data(folder)
    curve = tradeoff(data, Scenario(prevention="high"), 2026, SolverOptions(log=False), 8, lambda _m: None)
    assert len(curve) == 8 and (curve["status"] == "optimal").all()
    want = (200_000 - 5 * curve["outside_money_cap_gbp"]).clip(lower=0)
    assert curve["shortfall_gbp"].to_numpy() == pytest.approx(want.to_numpy(), abs=1)
    assert curve["outside_money_cap_gbp"].iloc[0] == 0 and curve["shortfall_gbp"].iloc[-1] == pytest.approx(0, abs=1)


def test_the_command_writes_its_folder(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "levers"
    cmd = [sys.executable, "-m", "planner.levers", "--data", str(folder), "--year", "2026", "--out", str(out),
           "--points", "8", "--curve-prevention", "high", "--quiet"]  # fmt: skip
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in ("what_it_would_take.csv", "tradeoff.csv", "tradeoff.png", "levers.html", "manifest.json"):
        assert (out / name).stat().st_size > 0, name
    page = (out / "levers.html").read_text()
    assert "What it would take to balance" in page and "none within its limit" in page
    without = [*cmd[:-3], "--curve-prevention", "central", "--only", "curve", "--out", str(tmp_path / "c")]
    done = subprocess.run(without, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "no curve" in done.stderr and not (tmp_path / "c").exists()
