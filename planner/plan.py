"""Plan one scenario: inputs -> index -> model -> the lexicographic pair of solves -> result tables.

Phase 1 finds the smallest total shortfall of the high-needs budget in the target years; phase 2 finds the
cheapest plan with no more shortfall than that (started from the phase-1 plan). When every year can balance,
phase 1 proves a shortfall of zero and phase 2 is the ordinary cheapest plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.config import Scenario
from planner.data.load import PlanningData
from planner.inputs import RELAXABLE, ModelInputs, build_inputs
from planner.model import ModelIndex, build_index, build_model
from planner.model.build import use_cost_objective, use_shortfall_objective
from planner.model.index import MONEY
from planner.results import objective_breakdown, result_tables
from planner.solver import HighsSolver, SolverError, SolveResult, SolverOptions, announce

SHORTFALL_TOLERANCE = 1e-6  # GBP m: below this a shortfall is zero


@dataclass
class PlanOutcome:
    inputs: ModelInputs
    index: ModelIndex
    model: pyo.ConcreteModel
    tables: dict[str, pd.DataFrame]
    shortfall_solve: SolveResult
    cost_solve: SolveResult
    shortfall: float  # GBP, total over the target years (0 when the budget balances)
    timings: dict[str, float] = field(default_factory=dict)
    breakdown: dict[str, float] = field(default_factory=dict)

    @property
    def status(self) -> str:
        worst = {"optimal": 0, "time_limit": 1}
        return max((self.shortfall_solve.status, self.cost_solve.status), key=lambda s: worst.get(s, 2))

    @property
    def gap(self) -> float:
        return max(self.shortfall_solve.gap or 0.0, self.cost_solve.gap or 0.0)


def infeasibility_causes(inp: ModelInputs) -> list[str]:
    """Likely reasons, in planning terms, that no plan satisfies the rules."""
    causes = []
    first = inp.years[0]
    cap = inp.capacity[inp.capacity["year"] == first].set_index("setting_id")["places"]
    carried = (
        inp.arcs.assign(stay=inp.arcs["cohort"].map(inp.cohorts["stay_rate"]))
        .eval("carried = base_pupils * stay")
        .groupby("setting_id")["carried"]
        .sum()
    )
    leg = inp.legacy[inp.legacy["year"] == first].groupby("setting_id")["pupils"].sum()
    carried = carried.add(leg, fill_value=0.0)
    for sid, c in carried.items():
        places = cap.get(sid, np.nan)
        if pd.notna(places) and c > places + 1e-6:
            causes.append(
                f"{inp.settings.loc[sid, 'name']} ({sid}): {c:.1f} pupils stay on from {inp.base_year} but it "
                f"has only {places:.1f} places in {first}; raise its places in settings.csv"
            )
    for oid in inp.forced_options:
        pr = inp.projects[(inp.projects["option_id"] == oid) | (inp.projects["site_id"] == oid)]
        need = float((pr["capital_fixed"] + pr["capital_per_place"] * pr["min_places"]).min()) if len(pr) else 0.0
        if need > float(inp.capital_budget.sum()):
            causes.append(
                f"forced option {oid} needs at least GBP {need / 1e6:.1f}m of capital, more than the "
                f"GBP {inp.capital_budget.sum() / 1e6:.1f}m available over the horizon"
            )
    if len(inp.forced_options) > 1:
        causes.append("the forced options together may need more capital than the budget allows in their years")
    return causes


def plan(
    data: PlanningData,
    scenario: Scenario,
    target_year: int | None = None,
    options: SolverOptions | None = None,
    progress: Callable[[str], None] = announce,
    without: tuple[str, ...] = (),
) -> PlanOutcome:
    """Build and solve the plan for one scenario; return the solved model and its result tables.

    `without` leaves out rules by name, for tests: reach and suitability (arcs), continuity (stay rates), and the
    model's constraint families (capacity, one_project_per_site, capital_budget, high_needs_balance).
    """
    options = options or SolverOptions()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    inp = build_inputs(data, scenario, target_year, relax=tuple(w for w in without if w in RELAXABLE))
    timings["inputs_seconds"] = time.perf_counter() - t
    progress(f"[{scenario.name}] inputs: {inp.summary()} ({timings['inputs_seconds']:.1f} s)")
    t = time.perf_counter()
    ix = build_index(inp, continuity="continuity" not in without)
    m = build_model(ix, drop=[w for w in without if w not in (*RELAXABLE, "continuity")])
    timings["build_seconds"] = time.perf_counter() - t
    progress(
        f"[{scenario.name}] model built: {m.nvariables()} variables, {m.nconstraints()} constraints "
        f"({timings['build_seconds']:.1f} s)"
    )

    solver = HighsSolver(options)
    use_shortfall_objective(m)
    progress(f"[{scenario.name}] phase 1 of 2: the smallest high-needs shortfall from {inp.target_year}")
    r1 = solver.solve(m)
    _raise_if_no_plan(r1, inp, "phase 1")
    shortfall = max(0.0, sum(v.value or 0.0 for v in m.Shortfall.values()))
    if shortfall <= SHORTFALL_TOLERANCE:
        cap = 0.0
        for v in m.Shortfall.values():
            v.fix(0.0)
        progress(f"[{scenario.name}] the high-needs budget can balance in every year from {inp.target_year}")
    else:
        cap = shortfall * (1 + 1e-9) + 1e-9
        progress(
            f"[{scenario.name}] no plan balances the budget: smallest total shortfall GBP {shortfall:.2f}m "
            f"over {inp.target_years[0]}-{inp.target_years[-1]}"
        )
    use_cost_objective(m, None if cap == 0.0 else cap)
    progress(f"[{scenario.name}] phase 2 of 2: the cheapest plan with that shortfall")
    r2 = solver.solve(m, warm_start=True)
    _raise_if_no_plan(r2, inp, "phase 2")
    timings["handoff_seconds"] = r1.handoff_seconds + r2.handoff_seconds
    timings["solve_seconds"] = r1.solve_seconds + r2.solve_seconds

    t = time.perf_counter()
    tables = result_tables(inp, ix, m)
    timings["results_seconds"] = time.perf_counter() - t
    return PlanOutcome(
        inputs=inp,
        index=ix,
        model=m,
        tables=tables,
        shortfall_solve=r1,
        cost_solve=r2,
        shortfall=shortfall * MONEY,
        timings=timings,
        breakdown=objective_breakdown(inp, tables["budget"]),
    )


def _raise_if_no_plan(r: SolveResult, inp: ModelInputs, phase: str) -> None:
    if r.has_solution:
        return
    if r.status == "infeasible":
        causes = infeasibility_causes(inp) or [
            "no rule-breaking input was found; check forced options, commitments and the capital budget"
        ]
        raise SolverError(f"no plan satisfies the rules ({phase}). Likely causes:\n  - " + "\n  - ".join(causes))
    if r.status == "unbounded":
        raise SolverError(
            f"the model is unbounded ({phase}): a cost is negative somewhere (check unit_costs.csv and "
            "scenario overrides)"
        )
    if r.status == "time_limit":
        raise SolverError(f"the time limit was reached before any plan was found ({phase}); raise --time-limit")
    raise SolverError(f"the solver stopped without a plan ({phase}, status {r.status})")
