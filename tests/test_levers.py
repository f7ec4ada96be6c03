"""The programme's levers on instances whose optimum is derived by hand (docs/model.md section 11).

The base: one zone of 1,000 children aged 0-15, 10 children a year needing a specialist place, none staying a
year (stay rate 0, so every plan ceases within the year: plan_ceasing_rate 1), the only place the out-of-county
fallback at 20 km costing 50,000 in fees and 2,000 in transport (52,000 a child a year). No growth, no
discounting; target years 2026 and 2027. Team areas are districts: the instance has one, with 1,000 children.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.config import Scenario
from planner.data import load_data
from planner.highs import SolverOptions
from planner.plan import PlanOutcome, plan
from tests.instances import Instance, write_instance

FIGURES = dict(
    team_cost=0.0, children_per_team=1000.0, extra_teams_per_zone=1.0, team_lead_time=0.0,
    prevention_new_plans=0.0, prevention_specialist=0.0, effect_at_half_coverage=0.5, plan_ceasing_rate=1.0,
    mainstream_per_team=0.0, enhanced_top_up=0.0, borrowing_limit=0.0, borrowing_charge=0.0,
    transfer_max_share=0.0, transfer_approval_share=0.0, schools_block=0.0,
)  # fmt: skip


def lever_instance(income: float = 1e9, shares: float | None = None, **figures: float) -> Instance:
    rows = [dict(name=k, low=v, central=v, high=v, unit="test") for k, v in {**FIGURES, **figures}.items()]
    tables = {"levers.csv": rows}
    if shares is not None:
        tables["mainstream_support.csv"] = [dict(need_group="G", phase="primary", max_share=shares)]
    return Instance(plans={2025: 10, 2026: 10, 2027: 10}, income=income, tables=tables, params={"inflation": 0.0})


def solve(tmp_path: Path, inst: Instance, **scenario: object) -> PlanOutcome:
    data = load_data(write_instance(tmp_path / "i", inst))
    return plan(data, Scenario(**scenario), 2026, SolverOptions(log=False), progress=lambda _m: None)


def total(out: PlanOutcome) -> float:
    return out.breakdown["total"]


def area(out: PlanOutcome, column: str) -> dict[int, float]:
    return out.tables["levers_by_area"].set_index("year")[column].round(6).to_dict()


def money(out: PlanOutcome, column: str) -> dict[int, float]:
    return out.tables["lever_money"].set_index("year")[column].round(6).to_dict()


# --------------------------------------------------------------------------------------------------------------
# support teams: prevention
def test_a_team_that_saves_more_than_it_costs_works_both_years(tmp_path: Path) -> None:
    """One team (1,000 children a team: the area's one extra team, full coverage, full effect) prevents
    prevention_specialist = 0.5 of the 10 new specialist entrants, all of them new plans: 5 a year, saving
    5 x 52,000 = 260,000 a year for 200,000. Cost: 2 x (5 x 52,000 + 200,000) = 920,000 (no team: 1,040,000)."""
    out = solve(tmp_path, lever_instance(team_cost=200_000, prevention_specialist=0.5))
    assert area(out, "teams") == {2026: 1, 2027: 1}
    assert area(out, "prevented_specialist_entrants") == pytest.approx({2026: 5.0, 2027: 5.0}, abs=1e-6)
    assert total(out) == pytest.approx(920_000, abs=1)
    assert money(out, "team_costs") == pytest.approx({2026: 200_000, 2027: 200_000})
    b = out.tables["budget"].set_index("year")
    assert b.loc[2026, "support_teams_general_fund"] == pytest.approx(200_000)
    assert b.loc[2026, "top_ups_and_fees_independent"] == pytest.approx(250_000, abs=1)  # 5 children at 50,000


def test_a_team_that_costs_more_than_it_saves_is_not_chosen(tmp_path: Path) -> None:
    """As above at 300,000 a team: 260,000 saved is less, so no team: 2 x 10 x 52,000 = 1,040,000."""
    out = solve(tmp_path, lever_instance(team_cost=300_000, prevention_specialist=0.5))
    assert area(out, "teams") == {2026: 0, 2027: 0}
    assert total(out) == pytest.approx(1_040_000, abs=1)


def test_prevention_dropped_gives_the_plan_without_levers(tmp_path: Path) -> None:
    """The first instance with prevention at its low level (0 here) or levers off: no team, 1,040,000."""
    inst = lever_instance(team_cost=200_000, prevention_specialist=0.5)
    inst.tables["levers.csv"] = [
        {**r, "low": 0.0} if r["name"] == "prevention_specialist" else r for r in inst.tables["levers.csv"]
    ]
    low = solve(tmp_path / "low", inst, prevention="low")
    assert area(low, "teams") == {2026: 0, 2027: 0}
    assert total(low) == pytest.approx(1_040_000, abs=1)
    off = solve(tmp_path / "off", inst, prevention="central", levers=False)
    assert "levers_by_area" not in off.tables
    assert total(off) == pytest.approx(1_040_000, abs=1)


def test_diminishing_returns_stop_at_one_team(tmp_path: Path) -> None:
    """500 children a team: up to 2 teams, each adding coverage 0.5; the effect is 0.75 at half coverage, 1 at
    full. prevention_specialist 0.4: at most 4 prevented a year. One team: 3 prevented (156,000 saved); two: 4
    (208,000). At 100,000 a team one team nets 56,000 a year and two 8,000: one team. Cost a year:
    7 x 52,000 + 100,000 = 464,000; 928,000 in all."""
    out = solve(tmp_path, lever_instance(team_cost=100_000, prevention_specialist=0.4, children_per_team=500.0,
                                         effect_at_half_coverage=0.75))  # fmt: skip
    assert area(out, "teams") == {2026: 1, 2027: 1}
    assert area(out, "effect") == pytest.approx({2026: 0.75, 2027: 0.75}, abs=1e-6)
    assert area(out, "prevented_specialist_entrants") == pytest.approx({2026: 3.0, 2027: 3.0}, abs=1e-6)
    assert total(out) == pytest.approx(928_000, abs=1)


def test_the_money_rule_weighs_outside_money_against_the_shortfall(tmp_path: Path) -> None:
    """Income 400,000 a year; fees 10 x 50,000 = 500,000: 100,000 short a year. A team of 200,000 saves the
    high-needs budget 5 x 50,000 = 250,000: with a pound outside worth a pound of shortfall, each year is
    250,000 + 200,000 - 400,000 = 50,000 short: 100,000 in all, and the team is chosen. A team of 300,000
    would leave 150,000 short a year, more than the 100,000 without it: not chosen (200,000 short in all),
    though it balances the high-needs budget alone; with outside money weighing nothing, it is chosen."""
    out = solve(tmp_path / "a", lever_instance(400_000, team_cost=200_000, prevention_specialist=0.5))
    assert area(out, "teams") == {2026: 1, 2027: 1}
    assert out.shortfall == pytest.approx(100_000, abs=1)
    dear = lever_instance(400_000, team_cost=300_000, prevention_specialist=0.5)
    out = solve(tmp_path / "b", dear)
    assert area(out, "teams") == {2026: 0, 2027: 0}
    assert out.shortfall == pytest.approx(200_000, abs=1)
    free = solve(tmp_path / "c", dear, outside_money_weight=0.0)
    assert area(free, "teams") == {2026: 1, 2027: 1}
    assert free.shortfall == pytest.approx(0, abs=1)


def test_prevented_plans_save_the_spending_that_scales_with_plans(tmp_path: Path) -> None:
    """20 plans a year, half in mainstream (no specialist place): 10 specialist entrants, all new plans (every
    plan ceases within the year, so 20 new plans a year). Other spending 1,000 a non-specialist plan a year
    (other_high_needs_per_plan). prevention_new_plans 0.1 at full effect: 0.1 x 10 = 1 specialist entrant
    prevented a year (52,000) and 0.1 x 10 = 1 non-specialist plan, open for its year, saving 1,000."""
    inst = lever_instance(team_cost=10_000, prevention_new_plans=0.1)
    inst.plans = {2025: 20, 2026: 20, 2027: 20}
    inst.mainstream_share = 0.5
    inst.other_per_plan = 1_000.0
    out = solve(tmp_path, inst)
    assert area(out, "teams") == {2026: 1, 2027: 1}
    assert area(out, "prevented_specialist_entrants") == pytest.approx({2026: 1.0, 2027: 1.0}, abs=1e-6)
    assert area(out, "prevented_plans_open") == pytest.approx({2026: 1.0, 2027: 1.0}, abs=1e-6)
    assert area(out, "prevention_saving") == pytest.approx({2026: 1_000.0, 2027: 1_000.0}, abs=1e-3)


# --------------------------------------------------------------------------------------------------------------
# mainstream with enhanced support
def test_mainstream_support_fills_the_capacity_a_team_opens(tmp_path: Path) -> None:
    """A team supports 4 children in mainstream at 20,000 a year (no transport); at most 0.3 of the 10 new
    entrants may be: 3 a year, each saving 52,000 - 20,000 = 32,000: 96,000 a year. At 90,000 a team: chosen;
    a year: 7 x 52,000 + 3 x 20,000 + 90,000 = 514,000; 1,028,000 in all."""
    out = solve(tmp_path, lever_instance(team_cost=90_000, mainstream_per_team=4.0, enhanced_top_up=20_000,
                                         shares=0.3))  # fmt: skip
    assert area(out, "teams") == {2026: 1, 2027: 1}
    assert area(out, "supported_pupils") == pytest.approx({2026: 3.0, 2027: 3.0}, abs=1e-6)
    assert area(out, "enhanced_top_ups") == pytest.approx({2026: 60_000, 2027: 60_000}, abs=1e-3)
    assert total(out) == pytest.approx(1_028_000, abs=1)


def test_mainstream_support_capacity_binds(tmp_path: Path) -> None:
    """As above with 2 children a team: 2 supported save 64,000 < 90,000: no team, 1,040,000."""
    out = solve(tmp_path, lever_instance(team_cost=90_000, mainstream_per_team=2.0, enhanced_top_up=20_000,
                                         shares=0.3))  # fmt: skip
    assert area(out, "teams") == {2026: 0, 2027: 0}
    assert area(out, "supported_pupils") == pytest.approx({2026: 0.0, 2027: 0.0}, abs=1e-6)
    assert total(out) == pytest.approx(1_040_000, abs=1)


# --------------------------------------------------------------------------------------------------------------
# borrowing
def borrowing_instance(charge: float) -> Instance:
    """Two resource-base sites at the zone, a year to build: X (10 places, GBP 2m), Y (5 places, GBP 0.6m);
    GBP 1m of capital in 2026, up to GBP 1m more borrowed."""
    inst = lever_instance(borrowing_limit=1_000_000, borrowing_charge=charge)
    inst.capital = {2026: 1_000_000}
    inst.options = [
        dict(id="X", type="srb", x=0.0, sizes=[(10, 2_000_000)], lead=1),
        dict(id="Y", type="srb", x=0.0, sizes=[(5, 600_000)], lead=1),
    ]
    return inst


def test_borrowing_pays_when_its_charge_is_less_than_it_saves(tmp_path: Path) -> None:
    """Borrowing GBP 1m in 2026 builds X (open 2027): 2026 10 x 52,000 = 520,000; 2027 10 x 10,000 = 100,000 and
    the charge 0.1 x 1m = 100,000 from the year after borrowing: 720,000 (Y alone, no borrowing: 830,000)."""
    out = solve(tmp_path, borrowing_instance(0.1))
    assert set(out.tables["projects"]["project_id"]) == {"X"}
    assert money(out, "borrowed") == pytest.approx({2026: 1_000_000, 2027: 0.0}, abs=1e-3)
    assert money(out, "borrowing_charge") == pytest.approx({2026: 0.0, 2027: 100_000}, abs=1e-3)
    assert total(out) == pytest.approx(720_000, abs=1)


def test_borrowing_is_not_chosen_when_its_charge_is_more(tmp_path: Path) -> None:
    """At a charge of 0.5 X would cost 520,000 + 100,000 + 500,000 = 1,120,000: Y alone, 830,000, no borrowing;
    with borrowing at its low level (no limit here) the same."""
    out = solve(tmp_path, borrowing_instance(0.5))
    assert set(out.tables["projects"]["project_id"]) == {"Y"}
    assert money(out, "borrowed") == pytest.approx({2026: 0.0, 2027: 0.0}, abs=1e-6)
    assert total(out) == pytest.approx(830_000, abs=1)


# --------------------------------------------------------------------------------------------------------------
# the schools-block transfer
def transfer_instance() -> Instance:
    """Income: a grant of 250,000 and a transfer of 100,000 a year; fees 500,000: 150,000 short a year. The
    schools block is 20m: at most 1% (200,000) may be transferred, above 0.5% (100,000) with approval."""
    inst = lever_instance(250_000, transfer_max_share=0.01, transfer_approval_share=0.005, schools_block=20e6)
    inst.income_lines = {"schools_block_transfer": {2025: 100_000, 2026: 100_000, 2027: 100_000}}
    return inst


def test_the_transfer_rises_to_its_limit_when_outside_money_weighs_less(tmp_path: Path) -> None:
    """With a pound of schools' money weighing half a pound of shortfall, 100,000 more transfer (the limit)
    lowers each year's shortfall by 100,000 - 50,000: 2 x (150,000 - 50,000) = 200,000; it needs approval."""
    out = solve(tmp_path, transfer_instance(), outside_money_weight=0.5)
    assert money(out, "transfer_extra") == pytest.approx({2026: 100_000, 2027: 100_000}, abs=1e-3)
    assert money(out, "transfer_needs_approval") == {2026: True, 2027: True}
    assert out.shortfall == pytest.approx(200_000, abs=1)
    b = out.tables["budget"].set_index("year")
    assert b.loc[2026, "in_year_balance"] == pytest.approx(-50_000, abs=1)  # the high-needs budget alone


def test_the_transfer_is_not_raised_when_a_pound_is_a_pound(tmp_path: Path) -> None:
    """Weight 1: a pound moved from schools lowers the shortfall by as much as it costs; the cost (the second
    aim) counts it, so it stays at the data's 100,000: 2 x 150,000 short."""
    out = solve(tmp_path, transfer_instance())
    assert money(out, "transfer_extra") == pytest.approx({2026: 0.0, 2027: 0.0}, abs=1e-6)
    assert out.shortfall == pytest.approx(300_000, abs=1)
