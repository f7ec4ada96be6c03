"""The direct (numpy) build of the MIP is the model the planner hands to HiGHS (the matrix interface: Pyomo's
standard-form compiler): same rows, columns, entries, LP optimum."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.direct import compare, direct_model, pyomo_keys
from planner.config import Scenario, apply_scenario
from planner.data import load_data
from planner.highs import read_matrix, solve_relaxation, to_highs
from planner.inputs import build_inputs
from planner.model import build_index, build_model
from planner.model.matrix import standard_form
from planner.model.objectives import use_least_shortfall
from tests.instances import Instance, write_instance


def mixed_instance() -> Instance:
    """Two zones, stay rate 0.5, capped settings with base pupils; menu options sharing site K (one an AP base
    with no place funding: zero coefficients), range options with lead times of 1 and 2 years (2: capital terms
    of one variable add up), capital in two years, place funding, and an income short of the spending."""
    return Instance(
        zones={"A": 0.0, "B": 12.0},
        plans={2025: 10, 2026: 11, 2027: 12, 2028: 12},
        stay_rate=0.5,
        settings=[
            dict(id="S1", type="special", x=5.0, places=4, base_pupils=2.0),
            dict(id="S2", type="srb", x=15.0, places=3),
        ],
        options=[
            dict(id="X", site="K", type="srb", x=0.0, sizes=[(4, 400_000), (8, 700_000)], lead=1),
            dict(id="W", site="K", type="ap", x=0.0, sizes=[(5, 900_000)], lead=1),
            dict(id="Y", type="srb", x=10.0, sizes=[(2, 300_000), (6, 700_000)], lead=2, sizing="range"),
            dict(id="Z", type="special", x=3.0, sizes=[(3, 500_000), (9, 1_100_000)], lead=1, sizing="range"),
        ],
        capital={2026: 1_000_000, 2027: 500_000},
        place_funding={"special": 10_000, "srb": 6_000, "ap": 0},
        income=150_000.0,
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    return load_data(write_instance(Path(tmp_path_factory.mktemp("direct")) / "i", mixed_instance()))


@pytest.mark.parametrize(
    ("objective", "scenario"),
    [
        ("cost", Scenario()),
        ("shortfall", Scenario()),
        ("shortfall", Scenario(force_options=["Y"], capital_charge_rate=0.035)),  # a forced option
        ("cost", Scenario(force_options=["K"])),  # a forced site: one of X's sizes or W
    ],
)
def test_direct_build_is_the_pyomo_build(data, objective: str, scenario: Scenario) -> None:
    ix = build_index(build_inputs(apply_scenario(data, scenario, 2027)))
    assert ix.places_index and ix.capital_use and ix.target_years
    m = build_model(ix)
    if objective == "shortfall":
        use_least_shortfall(m)
    matrix, columns, rows, _offset = standard_form(m)  # matrix_to_highs's two steps, keeping the rows
    pyomo_highs = to_highs(matrix)

    dm = direct_model(ix, objective)
    direct = to_highs(dm.matrix)
    held, built = read_matrix(pyomo_highs), read_matrix(direct)
    assert held.a.shape == built.a.shape == (m.nconstraints(), m.nvariables())
    assert held.a.nnz == built.a.nnz == dm.matrix.a.nnz

    same = compare(held, pyomo_keys(columns, rows), built, dm.keys())
    assert same["same_cols"] and same["same_rows"] and same["same_pattern"]
    assert same["max_rel_diff"] < 1e-12, same["diffs"]

    lp_pyomo, lp_direct = solve_relaxation(pyomo_highs), solve_relaxation(direct)
    assert lp_pyomo.status == lp_direct.status == "Optimal"
    assert lp_direct.objective == pytest.approx(lp_pyomo.objective, rel=1e-6)


def test_unknown_objective(data) -> None:
    with pytest.raises(ValueError, match="objective"):
        direct_model(build_index(build_inputs(apply_scenario(data, Scenario(), 2027))), "profit")
