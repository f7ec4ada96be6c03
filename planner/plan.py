"""Plan one scenario: inputs -> index -> model -> the lexicographic solves -> result tables.

Phase 1 minimises 100 x shortfall + cost. If its plan has no shortfall it is already the cheapest balanced plan
(at zero shortfall the objective is the cost), within the gap, and nothing more is solved. Otherwise phase 1b
proves the smallest shortfall with the shortfall alone as objective (so "how far short" does not depend on the
weight), started from the phase-1 plan, and phase 2 finds the cheapest plan with no more shortfall than that.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.config import Scenario, apply_scenario
from planner.data import PlanningData
from planner.highs import HighsSolver, PartGap, SolverError, SolveResult, SolverOptions
from planner.inputs import RELAXABLE, ModelInputs, build_inputs
from planner.model import ModelIndex, build_index, build_model
from planner.model.index import MONEY
from planner.model.objectives import SHORTFALL_WEIGHT, use_cost, use_least_shortfall, use_shortfall_then_cost
from planner.progress import announce
from planner.results import objective_breakdown, result_tables

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
    solve_log: list[dict] = field(default_factory=list)  # one entry per solve, in order
    breakdown: dict[str, float] = field(default_factory=dict)
    started_from_previous: bool = False  # the solve started from start_from's projects (a sweep)

    @property
    def status(self) -> str:
        """optimal only when every solve proved the gap asked of it; else the worst solve's status."""
        worst = {"optimal": 0, "gap_not_proven": 1, "stopped_early": 2, "time_limit": 3}
        statuses = [self.shortfall_solve.status, self.cost_solve.status]
        statuses += ["gap_not_proven" for s in self.solve_log if (s["gap"] or 0) > s["gap_requested"] * (1 + 1e-6)]
        return max(statuses, key=lambda s: worst.get(s, 4))

    @property
    def gap(self) -> float:
        """Proven relative gap on the plan's cost."""
        return self.cost_solve.gap or 0.0

    @property
    def shortfall_gap(self) -> float:
        """Proven relative gap on the smallest shortfall (0 when the budget balances)."""
        return (self.shortfall_solve.gap or 0.0) if self.shortfall > 0 else 0.0


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
    start_from: PlanOutcome | None = None,
) -> PlanOutcome:
    """Build and solve the plan for one scenario; return the solved model and its result tables.

    `without` leaves out rules by name, for tests: reach and suitability (arcs), continuity (stay rates), and the
    model's constraint families (capacity, one_project_per_site, capital_budget, high_needs_balance).
    `start_from`, a plan of another scenario on the same data (a sweep), starts the solve from its projects
    when the two models have the same projects and years: its opening decisions are fixed, the rest solved as
    an LP, and the result handed to HiGHS as a MIP start (skipped if that plan is not feasible here).
    """
    options = options or SolverOptions()
    timings: dict[str, float] = {}
    name = scenario.name
    t = time.perf_counter()
    applied = apply_scenario(data, scenario, target_year)
    inp = build_inputs(applied, relax=tuple(w for w in without if w in (*RELAXABLE, "continuity")))
    timings["inputs_seconds"] = time.perf_counter() - t
    progress(f"[{name}] inputs: {inp.summary()} ({timings['inputs_seconds']:.1f} s)")
    t = time.perf_counter()
    ix = build_index(inp, continuity="continuity" not in without)
    drop = [w for w in without if w not in (*RELAXABLE, "continuity")]
    if not inp.balance_test:  # sufficiency only: the budget path is reported, not held
        drop.append("high_needs_balance")
    m = build_model(ix, drop=drop)
    timings["build_seconds"] = time.perf_counter() - t
    progress(
        f"[{name}] model built: {m.nvariables()} variables, {m.nconstraints()} constraints "
        f"({timings['build_seconds']:.1f} s)"
    )

    solver = HighsSolver(options)
    use_shortfall_then_cost(m)
    progress(f"[{name}] phase 1: the smallest high-needs shortfall from {inp.target_year}, then the cheapest plan")
    t = time.perf_counter()
    started = _start_from_plan(m, inp, ix, start_from, solver, progress, name) if start_from else False
    timings["start_seconds"] = time.perf_counter() - t
    solved = _lexicographic(m, inp, solver, options, lambda msg: progress(f"[{name}] {msg}"), started)
    timings["handoff_seconds"] = sum(r.handoff_seconds for r in solved.solves)
    timings["solve_seconds"] = timings["start_seconds"] + sum(r.solve_seconds for r in solved.solves)

    t = time.perf_counter()
    tables = result_tables(inp, ix, m)
    timings["results_seconds"] = time.perf_counter() - t
    return PlanOutcome(
        inputs=inp,
        index=ix,
        model=m,
        tables=tables,
        shortfall_solve=solved.shortfall_solve,
        cost_solve=solved.cost_solve,
        shortfall=solved.shortfall * MONEY,
        timings=timings,
        solve_log=solved.log,
        breakdown=objective_breakdown(inp, tables["budget"]),
        started_from_previous=started,
    )


@dataclass
class _Solved:
    shortfall_solve: SolveResult  # the smallest shortfall (GBP m) and its proof
    cost_solve: SolveResult  # the plan's cost (GBP m) and its proof
    shortfall: float  # GBP m
    log: list[dict]
    solves: list[SolveResult]


def _lexicographic(
    m: pyo.ConcreteModel,
    inp: ModelInputs,
    solver: HighsSolver,
    options: SolverOptions,
    progress: Callable[[str], None],
    started: bool,
) -> _Solved:
    """Phase 1, then (when the budget cannot balance) phases 1b and 2: docs/model.md section 7."""
    # stop once the plan's cost (not 100 x shortfall + cost) is proven within the gap (docs/model.md section 7)
    phase1 = solver.solve(m, warm_start=started, gap_on_part=PartGap(list(m.Shortfall.values()), SHORTFALL_WEIGHT))
    _raise_if_no_plan(phase1, inp, "phase 1")
    phase1 = _objective_from_model(phase1, m)
    log = [_log_entry("phase 1: 100 x shortfall + cost", phase1, options.mip_gap)]
    shortfall = _total_shortfall(m)
    cost1 = float(pyo.value(m.cost.expr))
    # phase 1's plan read as a cost solve: bound on cost = bound - 100 x shortfall (for plans no shorter)
    bound1 = None if phase1.bound is None else phase1.bound - SHORTFALL_WEIGHT * shortfall
    cost_solve = replace(phase1, objective=cost1, bound=bound1, gap=_cost_gap(phase1, cost1))
    if shortfall <= SHORTFALL_TOLERANCE:
        # at e = 0 the phase-1 objective is the cost: the plan is the cheapest balanced plan within the gap
        progress(f"the high-needs budget can balance in every year from {inp.target_year}")
        return _Solved(phase1, cost_solve, shortfall, log, [phase1])
    # prove the smallest shortfall with the shortfall alone as objective (no dependence on the weight)
    kept = [(v, v.value) for v in m.component_data_objects(pyo.Var) if not v.fixed]
    use_least_shortfall(m)
    progress(f"phase 1b: is GBP {shortfall:.2f}m the smallest shortfall? (shortfall alone)")
    # the root LP of a shortfall-only objective is badly degenerate for simplex: interior point solves it
    least_solve = solver.solve(m, warm_start=True, gap=options.shortfall_gap, highs_options={"mip_lp_solver": "ipm"})
    _raise_if_no_plan(least_solve, inp, "phase 1b")
    least_solve = _objective_from_model(least_solve, m)
    log.append(_log_entry("phase 1b: shortfall alone", least_solve, options.shortfall_gap))
    solves = [phase1, least_solve]
    least = _total_shortfall(m)
    if least < shortfall - max(SHORTFALL_TOLERANCE, options.shortfall_gap * shortfall):
        # a plan with less shortfall: the cheapest plan with that shortfall (phase 2)
        shortfall = least
        use_cost(m, shortfall * (1 + 1e-9) + 1e-9)
        progress(f"phase 2: the cheapest plan with GBP {shortfall:.2f}m of shortfall")
        cost_solve = solver.solve(m, warm_start=True)
        _raise_if_no_plan(cost_solve, inp, "phase 2")
        cost_solve = _objective_from_model(cost_solve, m)
        log.append(_log_entry("phase 2: cost, shortfall capped", cost_solve, options.mip_gap))
        solves.append(cost_solve)
    else:
        # the phase-1 plan has the smallest shortfall, and is the cheapest plan with it (phase-1 bound)
        for v, x in kept:
            v.set_value(x, skip_validation=True)
        use_cost(m, shortfall * (1 + 1e-9) + 1e-9)
    # the reported shortfall is proven within its gap of the smallest one: (shortfall - bound) / shortfall
    proven = None if least_solve.bound is None else max(0.0, shortfall - least_solve.bound) / max(shortfall, 1e-12)
    shortfall_solve = replace(
        least_solve,
        objective=shortfall,
        gap=proven,
        solve_seconds=phase1.solve_seconds + least_solve.solve_seconds,
        handoff_seconds=phase1.handoff_seconds + least_solve.handoff_seconds,
    )
    progress(
        f"no plan balances the budget: smallest total shortfall GBP {shortfall:.2f}m "
        f"over {inp.target_years[0]}-{inp.target_years[-1]}"
    )
    return _Solved(shortfall_solve, cost_solve, shortfall, log, solves)


def _start_from_plan(
    m: pyo.ConcreteModel,
    inp: ModelInputs,
    ix: ModelIndex,
    previous: PlanOutcome,
    solver: HighsSolver,
    progress: Callable[[str], None],
    name: str,
) -> bool:
    """Load a MIP start from another scenario's plan: its project decisions, with the rest re-solved as an LP."""
    same = (
        previous.index.open_index == ix.open_index
        and previous.index.years == ix.years
        and list(previous.inputs.projects["option_id"]) == list(inp.projects["option_id"])
    )
    if not same:
        progress(f"[{name}] the previous plan's projects differ from this model's: no start from it")
        return False
    t = time.perf_counter()
    decisions = {k: v.value for k, v in previous.model.Open.items()}
    for k, v in m.Open.items():
        v.fix(round(decisions.get(k) or 0.0))
    r = solver.solve(m)
    for v in m.Open.values():
        v.unfix()
    ok = r.has_solution
    progress(
        f"[{name}] start from the previous plan's projects: {'feasible' if ok else 'not feasible here'} "
        f"({time.perf_counter() - t:.1f} s)"
    )
    return ok


def _total_shortfall(m: pyo.ConcreteModel) -> float:
    return max(0.0, sum(v.value or 0.0 for v in m.Shortfall.values()))


def _objective_from_model(r: SolveResult, m: pyo.ConcreteModel) -> SolveResult:
    """The active objective at the loaded plan, and the bound that HiGHS's absolute gap implies.

    HiGHS 1.16 can report a MIP's objective and bound without the constant its presolve took out (seen after a
    MIP start: "feasible in the reduced space" at a different value), so the objective is recomputed here; the
    absolute gap does not depend on that constant."""
    value = float(pyo.value(next(m.component_data_objects(pyo.Objective, active=True))))
    bound = None if r.objective is None or r.bound is None else value - max(0.0, r.objective - r.bound)
    return SolveResult(r.status, r.has_solution, value, bound, r.gap, r.solve_seconds, r.handoff_seconds)


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


def _cost_gap(r: SolveResult, cost: float) -> float | None:
    """Phase 1's absolute gap (on 100 x shortfall + cost) as a share of the plan's cost: for every plan with no more
    shortfall, cost >= bound - 100 x shortfall, so this is the plan's gap on cost."""
    if r.objective is None or r.bound is None:
        return r.gap
    return max(0.0, r.objective - r.bound) / max(abs(cost), 1e-9)


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
