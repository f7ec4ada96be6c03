"""Plan one scenario: data + scenario -> inputs -> index -> model -> the lexicographic solve
(planner/lexicographic.py: the least shortfall, then the cheapest plan within its gap, whole places) -> result tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pyomo.environ as pyo

from planner.config import Scenario, apply_scenario
from planner.data import PlanningData
from planner.highs import HighsSolver, SolveResult, SolverOptions
from planner.inputs import RELAXABLE, ModelInputs, build_inputs
from planner.lexicographic import lexicographic
from planner.marginal import fixed_decision_duals
from planner.model import ModelIndex, build_index, build_model
from planner.model.hold import hold_projects
from planner.model.index import MONEY
from planner.progress import announce
from planner.results import objective_breakdown, result_tables
from planner.results.marginal import marginal_tables
from planner.runfolder import HeldProjects


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
    gaps_requested: tuple[float, float] = (5e-3, 1e-4)  # (shortfall, cost)
    rounding: float = 0.0  # GBP: what whole places add to the cost of the plan with places unrounded

    @property
    def status(self) -> str:
        """optimal only when every solve reached the gap asked of it (the shortfall, the cost with places
        unrounded, the rounding); else the worst solve's status (time_limit, stopped_early) or gap_not_proven
        (no bound on the cost: docs/model.md section 7)."""
        worst = {"optimal": 0, "gap_not_proven": 1, "stopped_early": 2, "time_limit": 3}
        statuses = [r["status"] for r in self.solve_log]
        for r in self.solve_log:
            if r["gap"] is None or r["gap"] > r["gap_requested"] * (1 + 1e-6):
                statuses.append("gap_not_proven")
        if self.cost_solve.gap is None:
            statuses.append("gap_not_proven")
        return max(statuses, key=lambda s: worst.get(s, 4))

    @property
    def gap(self) -> float:
        """Proven relative gap on the plan's cost (1 when nothing bounds it)."""
        return 1.0 if self.cost_solve.gap is None else self.cost_solve.gap

    @property
    def shortfall_gap(self) -> float:
        """Proven relative gap on the smallest shortfall (0 when the budget balances)."""
        return (self.shortfall_solve.gap or 0.0) if self.shortfall > 0 else 0.0


def plan(
    data: PlanningData,
    scenario: Scenario,
    target_year: int | None = None,
    options: SolverOptions | None = None,
    progress: Callable[[str], None] = announce,
    without: tuple[str, ...] = (),
    start_from: PlanOutcome | None = None,
    held: HeldProjects | None = None,
) -> PlanOutcome:
    """Build and solve the plan for one scenario; return the solved model and its result tables.

    `without` leaves out rules by name, for tests: reach and suitability (arcs), continuity (stay rates), and the
    model's constraint families (capacity, one_project_per_site, capital_budget, high_needs_balance).
    `start_from`, a plan of another scenario on the same data (a sweep), starts the solve from its projects
    when the two models have the same projects and years: its opening decisions are fixed, the rest solved as
    an LP, and the result handed to HiGHS as a MIP start (skipped if that plan is not feasible here).
    `held`, another plan's projects (a run folder's, or a robust plan's first stage), are kept as that plan decided
    them: the plan evaluated in this scenario's future, the rest (placements, levers, later projects) re-planned.
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
    if held is not None:
        missing = hold_projects(m, ix, held.opening, held.places_by_year, held.first_stage_years)
        if missing:
            progress(f"[{name}] the held plan's options {missing} are not in this data: left out")
    timings["build_seconds"] = time.perf_counter() - t
    progress(
        f"[{name}] model built: {m.nvariables()} variables, {m.nconstraints()} constraints "
        f"({timings['build_seconds']:.1f} s)"
    )

    solver = HighsSolver(options)
    t = time.perf_counter()
    started = _start_from_plan(m, inp, ix, start_from, solver, progress, name) if start_from else False
    timings["start_seconds"] = time.perf_counter() - t
    solved = lexicographic(m, inp, solver, options, lambda msg: progress(f"[{name}] {msg}"), started)
    timings["handoff_seconds"] = sum(r.handoff_seconds for r in solved.solves)
    timings["solve_seconds"] = timings["start_seconds"] + sum(r.solve_seconds for r in solved.solves)

    t = time.perf_counter()
    tables = result_tables(inp, ix, m)
    timings["results_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    tables.update(marginal_tables(inp, ix, tables["budget"], fixed_decision_duals(m, options.threads)))
    timings["marginal_seconds"] = time.perf_counter() - t
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
        gaps_requested=(options.shortfall_gap, options.mip_gap),
        rounding=solved.rounding * MONEY,
    )


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
