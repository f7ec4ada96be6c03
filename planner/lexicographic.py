"""The lexicographic solve: the least shortfall first, then the cheapest plan with it (docs/model.md section 7).
The first two steps solve a relaxation in which projects are whole but their places (and support teams) may be
fractional; the third rounds them.

1. least shortfall, places continuous, to half the shortfall gap: its plan's shortfall e1 and a bound b1 on every
   plan's shortfall.
2. cheapest plan with shortfall <= cap = e1, places continuous, started from step 1's projects with the cheapest
   placements they allow (an LP): a bound b2 on the cost of every plan with shortfall <= cap, whole places or not.
3. whole places: the projects of step 2 fixed, their places integers, the cheapest plan with shortfall <= cap,
   to ROUNDING_GAP of the best rounding. When whole places cannot keep the shortfall within e1, steps 2 and 3
   are repeated with the cap the shortfall's gap allows, b1 (1 + gap); when not even that, the least shortfall
   those projects allow, then the cheapest plan with it (the cost then unbounded by b2).
Reported: the shortfall's gap (e - b1) / e, the cost's (c - b2) / c, and the rounding premium c - c2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.highs import HighsSolver, SolverError, SolveResult, SolverOptions
from planner.inputs import ModelInputs
from planner.model.objectives import use_cost, use_least_shortfall

SHORTFALL_TOLERANCE = 1e-6  # GBP m: below this a shortfall is zero
ROUNDING_GAP = 1e-3  # step 3: whole places within this of the best rounding of step 2's projects


@dataclass
class Solved:
    shortfall_solve: SolveResult  # the plan's shortfall (GBP m), the bound b1 and the proven gap
    cost_solve: SolveResult  # the plan's cost (GBP m), the bound b2 and the proven gap
    shortfall: float  # GBP m
    rounding: float  # GBP m: what whole places add to the cost of step 2's plan
    log: list[dict]
    solves: list[SolveResult]


def total_shortfall(m: pyo.ConcreteModel) -> float:
    """The high-needs shortfall over the target years, GBP m."""
    return max(0.0, sum(v.value or 0.0 for v in m.Shortfall.values()))


def first_aim(m: pyo.ConcreteModel) -> float:
    """The first aim at the loaded plan: the shortfall over the target years (the levers' outside money counted
    in it, lambda to the pound), GBP m."""
    return max(0.0, float(pyo.value(m.first_aim)))


def whole_places(m: pyo.ConcreteModel, whole: bool) -> None:
    """Places (and support teams, counted like places) whole or fractional; their bounds are kept."""
    domain = pyo.NonNegativeIntegers if whole else pyo.NonNegativeReals
    for v in m.Places.values():
        v.domain = domain
    for v in m.Teams.values() if hasattr(m, "Teams") else ():
        v.domain = domain


def _fix_projects(m: pyo.ConcreteModel, fixed: bool) -> None:
    for v in m.Open.values():
        if fixed:
            v.fix(round(v.value or 0.0))
        else:
            v.unfix()


def _caps(e1: float, b1: float, shortfall_gap: float) -> list[float]:
    """Caps on the shortfall for steps 2 and 3: step 1's plan's own shortfall, then (when whole places cannot
    keep within it) the most its gap allows."""
    tight = max(e1 * (1 + 1e-9), SHORTFALL_TOLERANCE)
    wide = b1 * (1 + shortfall_gap)
    return [tight, wide] if wide > tight * (1 + 1e-9) else [tight]


def _gap(value: float, bound: float | None, floor: float = SHORTFALL_TOLERANCE) -> float | None:
    if bound is None:
        return None
    return max(0.0, value - bound) / max(abs(value), floor)


def lexicographic(m: pyo.ConcreteModel, inp: ModelInputs, solver: HighsSolver, options: SolverOptions,
                  progress: Callable[[str], None], started: bool) -> Solved:  # fmt: skip
    """The three steps of the module docstring; raises SolverError (in planning terms) when no plan exists."""
    log: list[dict] = []
    solves: list[SolveResult] = []

    def step(name: str, gap: float, result: SolveResult | None = None, **kw) -> SolveResult:
        r = result or solver.solve(m, gap=gap, **kw)
        _raise_if_no_plan(r, inp, name)
        r = objective_from_model(r, m)
        solves.append(r)
        log.append(_log_entry(name, r, gap))
        return r

    whole_places(m, False)
    use_least_shortfall(m)
    progress(f"step 1: the least high-needs shortfall from {inp.target_year} (places continuous)")
    # the root LP of a shortfall objective is badly degenerate for simplex: interior point solves it
    # to half the shortfall gap, so that the wide cap b1 (1 + gap) leaves room for whole places (about 0.1%)
    r1 = step("least shortfall (relaxation)", options.shortfall_gap / 2, warm_start=started,
              highs_options={"mip_lp_solver": "ipm"})  # fmt: skip
    e1, b1 = first_aim(m), max(0.0, r1.bound or 0.0)
    r3, b2, c2, start_seconds = None, None, 0.0, 0.0
    for cap in _caps(e1, b1, options.shortfall_gap):
        whole_places(m, False)
        use_cost(m, cap)
        start_seconds += _cheapest_for_projects(m, solver).solve_seconds
        progress(f"step 2: the cheapest plan with at most GBP {cap:.2f}m of shortfall (places continuous)")
        r2 = step("cheapest plan (relaxation)", options.mip_gap, warm_start=True)
        b2, c2 = r2.bound, float(r2.objective)
        whole_places(m, True)
        _fix_projects(m, True)
        progress("step 3: whole places for the projects of step 2")
        r = solver.solve(m, gap=ROUNDING_GAP)
        if r.status != "infeasible":
            r3 = step("whole places", ROUNDING_GAP, result=r)
            break
        _fix_projects(m, False)  # whole places cannot keep the first aim within cap: widen it to the gap
    if r3 is None:  # not even within the gap: the least first aim these projects allow, then the cheapest plan
        _fix_projects(m, True)
        use_least_shortfall(m)
        step("whole places: least shortfall", options.shortfall_gap)
        use_cost(m, first_aim(m) * (1 + 1e-9) + SHORTFALL_TOLERANCE)
        r3 = step("whole places: cheapest plan", ROUNDING_GAP)
        b2 = None  # b2 held for a tighter cap: the plan's cost is not proven against it
    _fix_projects(m, False)
    e, c = first_aim(m), float(r3.objective)
    status = "optimal" if all(r.status == "optimal" for r in solves) else next(r.status for r in solves
                                                                                if r.status != "optimal")  # fmt: skip
    shortfall_gap = _gap(e, b1) if e > SHORTFALL_TOLERANCE else 0.0
    seconds = sum(r.solve_seconds for r in solves) + start_seconds
    handoff = sum(r.handoff_seconds for r in solves)
    shortfall_solve = SolveResult(status, True, e, b1, shortfall_gap, seconds, handoff)
    cost_solve = SolveResult(status, True, c, b2, _gap(c, b2, 1e-9), 0.0, 0.0)
    short = total_shortfall(m)
    if short > SHORTFALL_TOLERANCE:
        progress(f"no plan balances the budget: smallest total shortfall GBP {short:.2f}m "
                 f"over {inp.target_years[0]}-{inp.target_years[-1]}")  # fmt: skip
    else:
        progress(f"the high-needs budget can balance in every year from {inp.target_year}")
    return Solved(shortfall_solve, cost_solve, short, max(0.0, c - c2), log, solves)


def _cheapest_for_projects(m: pyo.ConcreteModel, solver: HighsSolver) -> SolveResult:
    """A start for step 2: the projects now in the model kept, the cheapest placements with them (an LP); the
    variables left as they were when that LP finds no plan."""
    _fix_projects(m, True)
    try:
        return solver.solve(m)
    finally:
        _fix_projects(m, False)


def objective_from_model(r: SolveResult, m: pyo.ConcreteModel) -> SolveResult:
    """The active objective at the loaded plan, and the bound that HiGHS's absolute gap implies.

    HiGHS 1.16 can report a MIP's objective and bound without the constant its presolve took out (seen after a
    MIP start: "feasible in the reduced space" at a different value), so the objective is recomputed here; the
    absolute gap does not depend on that constant."""
    value = float(pyo.value(next(m.component_data_objects(pyo.Objective, active=True))))
    bound = None if r.objective is None or r.bound is None else value - max(0.0, r.objective - r.bound)
    return replace(r, objective=value, bound=bound)


def _log_entry(name: str, r: SolveResult, gap_requested: float) -> dict:
    return {
        "solve": name,
        "status": r.status,
        "objective_gbp_m": r.objective,
        "bound_gbp_m": r.bound,
        "gap_requested": gap_requested,
        "gap": r.gap,
        "seconds": r.solve_seconds,
    }


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
