"""The check's own reading of a scenario agrees with planner.config.apply_scenario on every shipped scenario.

The check reads the scenario again, on purpose (planner/check/scenario.py), so that a mistake in applying a
scenario shows up in the check; this holds the two readings to the same answer on the shipped data.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.check.scenario import ScenarioReading, read_scenario
from planner.config import SCENARIO_DIR, AppliedScenario, apply_scenario, load_scenario
from planner.data import DataWarning, PlanningData, load_data

DATA = Path(__file__).resolve().parents[1] / "data" / "norfolk"
SCENARIOS = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


@pytest.fixture(scope="module")
def data() -> PlanningData:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return load_data(DATA, zones="district")


@pytest.fixture(scope="module", params=SCENARIOS)
def readings(request: pytest.FixtureRequest, data: PlanningData) -> tuple[ScenarioReading, AppliedScenario]:
    scen = load_scenario(request.param)
    return read_scenario(data, scen), apply_scenario(data, scen)


def test_scenarios_are_shipped() -> None:
    assert len(SCENARIOS) >= 7 and "baseline" in SCENARIOS


def test_parameters(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    theirs = applied.data.parameters.astype(float)
    pd.testing.assert_series_equal(mine.parameters.sort_index(), theirs.sort_index(), check_names=False)


def test_unit_costs(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    theirs = applied.data.unit_costs.set_index("setting_type")[["place_funding", "top_up", "growth"]].astype(float)
    pd.testing.assert_frame_equal(mine.unit_costs.sort_index(), theirs.sort_index())


def test_income_by_line_and_year(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    keys = ["year", "line"]
    theirs = applied.data.income.astype({"year": int}).set_index(keys)["amount"].astype(float).sort_index()
    pd.testing.assert_series_equal(mine.income.set_index(keys)["amount"].sort_index(), theirs)
    years = list(range(applied.data.base_year, applied.horizon_end + 1))
    by_line = mine.income_by_line(years)
    assert list(by_line.index) == years and not by_line.isna().any().any()


def test_capital_budget_by_year(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    """Capital of every source (line) together, by year."""
    mine, applied = readings
    cap = applied.data.capital_budget
    theirs = cap["amount"].astype(float).groupby(cap["year"].astype(int).to_numpy()).sum().sort_index()
    pd.testing.assert_series_equal(mine.capital_budget, theirs, check_names=False, check_index_type=False)


def test_deficit_contributions_by_year(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    dc = applied.data.deficit_contributions
    theirs = dc["amount"].astype(float).groupby(dc["year"].astype(int).to_numpy()).sum() if len(dc) else None
    if theirs is None:
        assert mine.deficit_contributions.empty
    else:
        pd.testing.assert_series_equal(mine.deficit_contributions, theirs, check_names=False, check_index_type=False)


def test_transfer_cut(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    """The schools-block transfer the data give (grown) less what the scenario leaves, by year."""
    mine, applied = readings
    years = sorted(set(mine.transfer_cut.index) | set(applied.transfer_cut.index))
    got = mine.transfer_cut.reindex(years).fillna(0.0).to_numpy()
    np.testing.assert_allclose(got, applied.transfer_cut.reindex(years).fillna(0.0).to_numpy(), rtol=1e-12, atol=0)


def test_balance_test(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    assert mine.balance_test is applied.scenario.balance_test


def test_commitments(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    theirs = applied.data.commitments.set_index("project_id")["opening_year"].astype(int).to_dict()
    assert mine.commitments.set_index("project_id")["opening_year"].to_dict() == theirs
    cancelled = set(applied.scenario.cancel_commitments)
    assert cancelled.isdisjoint(mine.commitments["project_id"])
    assert cancelled | set(mine.commitments["project_id"]) == set(applied.data.commitments["project_id"]) | cancelled


def test_reach_by_phase(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    theirs = applied.data.phases.set_index("phase")["max_journey_km"].astype(float)
    pd.testing.assert_series_equal(mine.reach.sort_index(), theirs.sort_index(), check_names=False)


def test_plans_by_year_need_and_phase(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    keys = ["year", "need_group", "phase"]
    theirs = applied.data.plans.astype({"year": int}).set_index(keys)["plans"].astype(float).sort_index()
    got = mine.plans.set_index(keys)["plans"].sort_index()
    assert list(got.index) == list(theirs.index)
    np.testing.assert_allclose(got.to_numpy(), theirs.to_numpy(), rtol=1e-12, atol=0)


def test_forbidden_options(readings: tuple[ScenarioReading, AppliedScenario]) -> None:
    mine, applied = readings
    assert set(mine.options["option_id"]) == set(applied.data.options["option_id"])


def with_new_tables(data: PlanningData) -> PlanningData:
    """The data with what the shipped data lack for the newer keys: the core block growing after 2026 (dsg), capital
    from two sources, and DfE contributions to the deficit in two lines."""
    inc = data.income.copy()
    inc["growth"] = np.where(inc["line"] == "core_high_needs_dsg", "dsg", "fixed")
    params = data.parameters.copy()  # the shipped data may carry these already: set, never append twice
    for k, v in {"income_last_published_year": 2026.0, "income_growth_low": 0.01, "income_growth_central": 0.03,
                 "income_growth_high": 0.05}.items():  # fmt: skip
        params[k] = v
    cap = data.capital_budget
    cap = pd.concat([cap.assign(line="dfe"), cap.assign(line="council", amount=cap["amount"] / 4)], ignore_index=True)
    dc = pd.DataFrame(
        [dict(year=y, line=line, amount=a, basis="estimate", source="test")
         for y in (2026, 2027, 2028) for line, a in (("dfe_safety_valve", 6e6), ("dfe_extra", 1e6))]
    )  # fmt: skip
    return replace(data, income=inc, parameters=params, capital_budget=cap, deficit_contributions=dc)


def test_a_scenario_that_changes_everything(tmp_path: Path, data: PlanningData) -> None:
    """Every key the check reads, overridden at once (the shipped scenarios leave some untouched), on the data with
    the optional tables the newer keys change."""
    data = with_new_tables(data)
    opt = data.options.iloc[0]
    com = data.commitments["project_id"].tolist()
    line = sorted(set(data.income["line"]))[0]
    year = int(data.capital_budget["year"].iloc[0])
    phase = data.placed_phases[0]
    path = tmp_path / "everything.toml"
    path.write_text(
        'extends = ["gy-srbs-instead"]\n'
        'demand_projection = "high"\ndemand_scale = 1.1\ndiscount_rate = 0.05\ncapital_charge_rate = 0.02\n'
        "capital_budget_scale = 0.9\n"
        'income_growth = "high"\noccupancy_margin = 0.9\nbalance_test = false\n'
        f'forbid_options = ["{opt["option_id"]}", "{data.options["site_id"].iloc[-1]}"]\n'
        f'cancel_commitments = ["{com[2]}"]\n'
        "[parameters]\nunit_cost_growth = 0.05\nroad_circuity = 1.4\n"
        "[unit_costs.special]\ntop_up = 30000\n[unit_costs.srb]\nplace_funding = 7000\n"
        f"[income.{line}]\n{year} = 1000000\n[income.schools_block_transfer]\n2028 = 0.0\n"
        f"[income_scale]\n{line} = 1.2\nschools_block_transfer = 0.5\n"
        f"[capital_budget]\n{year} = 5000000\n[reach_km]\n{phase} = 25\n"
        f'[commitment_delays]\n"{com[0]}" = 1\n"{com[3]}" = 3\n'
        "[deficit_contributions.dfe_safety_valve]\n2027 = 0\n2028 = 2000000\n"
    )
    scen = load_scenario(path)
    mine, applied = read_scenario(data, scen), apply_scenario(data, scen)
    for test in (
        test_parameters,
        test_unit_costs,
        test_income_by_line_and_year,
        test_capital_budget_by_year,
        test_deficit_contributions_by_year,
        test_transfer_cut,
        test_balance_test,
        test_commitments,
        test_reach_by_phase,
        test_plans_by_year_need_and_phase,
        test_forbidden_options,
    ):
        test((mine, applied))
    assert len(mine.options) < len(data.options) and len(mine.commitments) < len(data.commitments)
    # the newer keys took effect: growth after 2026, a margin, no balance test, a cut transfer, contributions
    grown = mine.income[(mine.income["line"] == line) & (mine.income["year"] == 2028)]["amount"].iloc[0]
    published = data.income[(data.income["line"] == line) & (data.income["year"] == 2026)]["amount"].iloc[0]
    assert grown == pytest.approx(published * 1.05**2 * 1.2)
    assert mine.parameters["occupancy_margin"] == 0.9 and not mine.balance_test
    given = data.income[data.income["line"] == "schools_block_transfer"].set_index("year")["amount"].astype(float)
    given.index = given.index.astype(int)  # 2028 set to nothing, every year then halved: the cut is all, then half
    assert mine.transfer_cut[2028] == pytest.approx(given[2028]) and given[2028] > 0
    assert mine.transfer_cut[2027] == pytest.approx(given[2027] / 2)
    assert mine.deficit_contributions.to_dict() == {2026: 7e6, 2027: 1e6, 2028: 3e6}
    assert mine.capital_budget[year] == pytest.approx(4.5e6)
