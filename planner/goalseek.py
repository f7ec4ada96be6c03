"""What it would take to balance, and what the programme's money buys: many least-shortfall solves on one data
folder (docs/model.md section 11.7). Each solve is step 1 of the lexicographic solve: the least first aim with
places and support teams fractional, to the shortfall gap. Each answer is therefore the least any plan could need
(a relaxation), proven to that gap; whole places and teams may need a little more (section 7.3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.core.expr.visitor import identify_variables

from planner.config import Scenario, apply_scenario
from planner.data import PlanningData
from planner.highs import HighsSolver, SolverError, SolverOptions
from planner.inputs import ModelInputs, build_inputs
from planner.lexicographic import first_aim, whole_places
from planner.model import ModelIndex, build_index, build_model
from planner.model.index import MONEY
from planner.model.levers import outside_money
from planner.model.objectives import use_least_shortfall
from planner.results import result_tables

BALANCED = 1e-3  # GBP m (GBP 1,000): a first aim at or below this balances
BISECTION_STEPS = 6  # each halves the interval: the answer to 1/64 of the lever's range
CAPITAL_SCALE_MOST = 5.0  # capital: up to five times the budget is tried
IPM = {"mip_lp_solver": "ipm"}  # the shortfall's degenerate root LP (planner/lexicographic.py)


@dataclass
class Built:
    inp: ModelInputs
    ix: ModelIndex
    m: pyo.ConcreteModel


def build(data: PlanningData, scenario: Scenario, target_year: int | None) -> Built:
    """The model of one scenario, places and teams fractional, the first aim active."""
    inp = build_inputs(apply_scenario(data, scenario, target_year))
    if not inp.balance_test:
        raise ValueError(f"scenario '{scenario.name}' plans for sufficiency only (balance_test false): nothing to "
                         "balance. Fix: use a scenario that holds the budget to balance")  # fmt: skip
    ix = build_index(inp)
    m = build_model(ix)
    whole_places(m, False)  # places and teams fractional, as in step 1: whole teams made each solve minutes long
    use_least_shortfall(m)
    return Built(inp, ix, m)


@dataclass
class Least:
    """The least first aim (GBP m over the target years) of one solve, its bound and status."""

    value: float
    bound: float
    gap: float
    status: str
    seconds: float


def least(b: Built, solver: HighsSolver, gap: float) -> Least:
    return _proven(solver, b.m, gap, lambda: first_aim(b.m))


def _proven(solver: HighsSolver, m: pyo.ConcreteModel, gap: float, value_of: Callable[[], float]) -> Least:
    """Solve the active objective; its value at the plan (value_of) and the bound HiGHS's absolute gap implies."""
    r = solver.solve(m, gap=gap, highs_options=IPM)
    if not r.has_solution:
        raise SolverError(f"no plan ({r.status}) while seeking what it would take. Fix: raise --time-limit")
    value = value_of()
    bound = max(0.0, value - max(0.0, (r.objective or 0.0) - (r.bound or 0.0)))
    return Least(value, bound, max(0.0, value - bound) / max(value, BALANCED), r.status, r.solve_seconds)


# ---------------------------------------------------------------------------------------------------------------
# what it would take: each lever alone
def extra_income_needed(b: Built, solver: HighsSolver, gap: float) -> tuple[float, Least]:
    """The least extra income a year, the same in every target year, that balances each of them (GBP m):
    min Z subject to shortfall[t] <= Z for t in the target years (a plan's need is its largest year's shortfall,
    and the extra income closes every year at once)."""
    m = b.m
    m.Extra_Needed = pyo.Var(domain=pyo.NonNegativeReals)
    m.Extra_Needed_Covers = pyo.Constraint(list(m.Shortfall.keys()), rule=lambda m, t: m.Shortfall[t] - m.Extra_Needed
                                           <= 0)  # fmt: skip
    m.least_extra = pyo.Objective(expr=m.Extra_Needed, sense=pyo.minimize)
    for o in (m.cost, m.least_shortfall):
        o.deactivate()
    try:
        r = _proven(solver, m, gap, lambda: float(pyo.value(m.Extra_Needed)))
        return r.value, r
    finally:
        for name in ("least_extra", "Extra_Needed_Covers", "Extra_Needed"):
            m.del_component(name)
        use_least_shortfall(m)


def with_figures(data: PlanningData, figures: dict[str, float]) -> PlanningData:
    """The data with these levers.csv figures at every level."""
    lv = data.levers.copy()
    for name, value in figures.items():
        lv.loc[lv["name"] == name, ["low", "central", "high"]] = float(value)
    return replace(data, levers=lv)


def with_shares(data: PlanningData, factor: float) -> PlanningData:
    """The data with mainstream_support.csv's shares times factor (at most 1)."""
    ms = data.mainstream_support.copy()
    ms["max_share"] = np.minimum(1.0, ms["max_share"].astype(float) * factor)
    return replace(data, mainstream_support=ms)


@dataclass
class Seek:
    """One lever alone: the least amount of it that balances every target year, or None when even its limit
    does not (the first aim left at the limit, GBP m)."""

    lever: str
    needed: float | None
    at_limit: float
    solves: int
    seconds: float


def bisect(first_aim_at: Callable[[float], Least], lo: float, hi: float, lever: str,
           steps: int = BISECTION_STEPS) -> Seek:  # fmt: skip
    """The least x in [lo, hi] at which the first aim balances, assuming it falls as x grows (more of a lever never
    costs the budget more than it saves: the model may leave it unused). Bisection on the proven solves."""
    solves, seconds = 0, 0.0

    def f(x: float) -> float:
        nonlocal solves, seconds
        r = first_aim_at(x)
        solves, seconds = solves + 1, seconds + r.seconds
        return r.value

    top = f(hi)
    if top > BALANCED:
        return Seek(lever, None, top, solves, seconds)
    if f(lo) <= BALANCED:
        return Seek(lever, lo, 0.0, solves, seconds)
    for _ in range(steps):
        mid = (lo + hi) / 2
        if f(mid) <= BALANCED:
            hi = mid
        else:
            lo = mid
    return Seek(lever, hi, 0.0, solves, seconds)


def what_it_would_take(data: PlanningData, scenario: Scenario, target_year: int | None, options: SolverOptions,
                       progress: Callable[[str], None]) -> pd.DataFrame:  # fmt: skip
    """For each lever alone, the least of it that balances every target year, or that none can within its limit."""
    solver = HighsSolver(replace(options, log=False))
    gap = options.shortfall_gap
    rows = []
    base = build(data, scenario, target_year)
    r0 = least(base, solver, gap)
    progress(f"the plan as it stands: least shortfall GBP {r0.value:.2f}m over the target years")
    rows.append(_row("none (the scenario as it stands)", 0.0 if r0.value <= BALANCED else None, "", r0.value * MONEY,
                     "", 1, r0.seconds))  # fmt: skip
    z, rz = extra_income_needed(base, solver, gap)
    progress(f"extra income: GBP {z:.2f}m a year from the target year")
    rows.append(_row("extra income a year from the target year", z * MONEY, "GBP a year", 0.0,
                     "no limit: a pound of income is a pound", 1, rz.seconds))  # fmt: skip
    if data.levers.empty or not scenario.levers:
        progress("no levers in the data or the scenario: prevention and mainstream support not sought")
    else:
        rows += _lever_seeks(data, scenario, target_year, solver, gap, progress)
    cap_total = float(base.inp.capital_budget.sum())

    def capital(x: float) -> Least:
        return least(build(data, scenario.model_copy(update={"capital_budget_scale": x}), target_year), solver, gap)

    s = bisect(capital, 1.0, CAPITAL_SCALE_MOST, "capital")
    progress(_said("capital (x the capital budget)", s))
    needed = None if s.needed is None else (s.needed - 1.0) * cap_total
    rows.append(_row("more capital over the planning years", needed, "GBP", s.at_limit * MONEY if s.needed is None
                     else 0.0, f"up to {CAPITAL_SCALE_MOST:g} x the capital budget (GBP {cap_total / MONEY:,.1f}m)",
                     s.solves, s.seconds))  # fmt: skip
    return pd.DataFrame(rows)


def _lever_seeks(data: PlanningData, scenario: Scenario, target_year: int | None, solver: HighsSolver, gap: float,
                 progress: Callable[[str], None]) -> list[dict]:  # fmt: skip
    lv = data.levers.set_index("name")
    hi_plans, hi_spec = float(lv.at["prevention_new_plans", "high"]), float(lv.at["prevention_specialist", "high"])

    def prevention(x: float) -> Least:
        d = with_figures(data, {"prevention_new_plans": x * hi_plans, "prevention_specialist": x * hi_spec})
        return least(build(d, scenario, target_year), solver, gap)

    s = bisect(prevention, 0.0, 1.0, "prevention")
    progress(_said("prevention (share of its high level)", s))
    rows = [_row("prevention: share of its high effect", s.needed, "share of the high level", _left(s),
                 f"up to the high level: {hi_plans:.1%} fewer new plans and {hi_spec:.1%} fewer of the other new "
                 "specialist entrants at full coverage, both scaled together", s.solves, s.seconds)]  # fmt: skip
    shares = data.mainstream_support["max_share"].astype(float)
    most = 1.0 / float(shares.max()) if len(shares) and shares.max() > 0 else 0.0
    per_team_high = float(lv.at["mainstream_per_team", "high"])

    def mainstream(x: float) -> Least:
        d = with_figures(with_shares(data, x), {"mainstream_per_team": per_team_high})
        return least(build(d, scenario, target_year), solver, gap)

    if most > 0:
        s = bisect(mainstream, 0.0, most, "mainstream")
        progress(_said("mainstream support (x mainstream_support.csv's shares)", s))
        rows.append(_row("children kept in mainstream: x mainstream_support.csv's shares", s.needed, "factor",
                         _left(s), f"up to every listed entrant (x {most:.1f}), {per_team_high:g} children a team",
                         s.solves, s.seconds))  # fmt: skip
    return rows


def _left(s: Seek) -> float:
    return s.at_limit * MONEY if s.needed is None else 0.0


def _said(what: str, s: Seek) -> str:
    if s.needed is None:
        return f"{what}: none balances within its limit (GBP {s.at_limit:.2f}m short at the limit)"
    return f"{what}: {s.needed:.4g} balances ({s.solves} solves)"


def _row(lever: str, needed: float | None, unit: str, short_at_limit: float, limit: str, solves: int,
         seconds: float) -> dict:  # fmt: skip
    return {"lever": lever, "balances": needed is not None, "needed": needed, "unit": unit,
            "shortfall_at_limit_gbp": short_at_limit if needed is None else 0.0, "limit": limit, "solves": solves,
            "seconds": round(seconds, 2)}  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# the trade-off curve
def tradeoff(data: PlanningData, scenario: Scenario, target_year: int | None, options: SolverOptions, points: int,
             progress: Callable[[str], None]) -> pd.DataFrame:  # fmt: skip
    """The least high-needs shortfall for each cap on the money the levers take from outside the budget over the
    planning years (epsilon-constraint; outside money weighs nothing in the first aim here, so the curve shows
    what it buys): `points` caps from none to what the unconstrained plan spends."""
    scen = scenario.model_copy(update={"outside_money_weight": 0.0})
    b = build(data, scen, target_year)
    if b.ix.levers is None:
        raise ValueError("the data have no levers.csv or the scenario turns levers off: no curve to draw")
    solver = HighsSolver(replace(options, log=False))
    outside = sum(outside_money(b.m, b.ix.levers, i) for i in range(len(b.ix.years)))
    if isinstance(outside, float | int) or not list(identify_variables(outside)):
        raise ValueError(f"no lever of scenario '{scen.name}' can spend money outside the high-needs budget (no "
                         "support team helps at this prevention level, no borrowing, no room to transfer): no curve. "
                         "Fix: give --curve-prevention central or high, or a scenario with borrowing")  # fmt: skip
    least(b, solver, options.shortfall_gap)  # the unconstrained plan: what it spends outside is the last cap
    most = float(pyo.value(outside))
    rows = []
    for k, cap in enumerate(np.linspace(0.0, most, points)):
        b.m.Outside_Cap = pyo.Constraint(expr=outside <= float(cap) + 1e-9)
        r = least(b, solver, options.shortfall_gap)
        budget = result_tables(b.inp, b.ix, b.m)["budget"].set_index("year")
        rows.append({"point": k + 1, "outside_money_cap_gbp": cap * MONEY,
                     "outside_money_gbp": float(pyo.value(outside)) * MONEY, "shortfall_gbp": r.value * MONEY,
                     "bound_gbp": r.bound * MONEY, "gap": r.gap, "status": r.status,
                     "cumulative_deficit_gbp": float(budget["cumulative_deficit"].iloc[-1]),
                     "seconds": round(r.seconds, 2)})  # fmt: skip
        progress(f"curve point {k + 1}/{points}: outside money at most GBP {cap:.2f}m, shortfall GBP "
                 f"{r.value:.2f}m (gap {r.gap:.1e})")  # fmt: skip
        b.m.del_component("Outside_Cap")
    return pd.DataFrame(rows)
