"""The one module that talks to the solver (HiGHS, through highspy): nothing else in the package imports it.

Interfaces, i.e. how a Pyomo model reaches HiGHS (measured in docs/performance.md by the benchmark):
- "matrix" (default): Pyomo's standard-form compiler turns the model into sparse matrices, handed to highspy in
  one call for every solve (no per-constraint hand-off, no file); the solution is read back by column.
- "lp": Pyomo's LP writer to a temporary file, read and solved by highspy; the solution is read back by name.
- "appsi": Pyomo's persistent HiGHS interface (pyomo.contrib.appsi), through its public API only: the model is
  handed over once, one constraint at a time (kept to measure hand-offs).
The HiGHS log is shown as progress; a time limit returns the incumbent with its gap.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.tee import capture_output
from scipy import sparse

from planner.model.matrix import Matrix, standard_form
from planner.progress import announce

INTERFACES = ("matrix", "lp", "appsi")


@dataclass
class SolverOptions:
    time_limit: float | None = None  # seconds per solve
    mip_gap: float = 1e-4  # relative, on the plan's cost
    shortfall_gap: float = 5e-3  # relative, on the smallest shortfall (step 1; whole places add about 0.1%)
    threads: int | None = None
    seed: int = 0  # HiGHS random_seed: the same inputs, threads and seed give the same plan
    interface: str = "matrix"
    log: bool = True
    highs_options: dict[str, Any] = field(default_factory=dict)


@dataclass
class SolveResult:
    status: str  # optimal | time_limit | stopped_early | gap_not_proven | infeasible | unbounded | error
    has_solution: bool
    objective: float | None
    bound: float | None
    gap: float | None
    solve_seconds: float
    handoff_seconds: float

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


class SolverError(RuntimeError):
    """The solver could not return a plan."""


def _gap(obj: float | None, bound: float | None) -> float | None:
    if obj is None or bound is None:
        return None
    return abs(obj - bound) / max(abs(obj), 1e-9)


class HighsSolver:
    """Solves a Pyomo model with HiGHS through the chosen interface (persistent across solves with appsi)."""

    def __init__(self, options: SolverOptions | None = None, note: Callable[[str], None] = announce) -> None:
        self.options = options or SolverOptions()
        self.note = note
        self._explained = False
        if self.options.interface not in INTERFACES:
            raise ValueError(f"unknown solver interface {self.options.interface!r}; use one of {INTERFACES}")
        self._appsi: Any = None
        self._appsi_model: pyo.ConcreteModel | None = None
        self._gap = self.options.mip_gap
        self._extra: dict[str, Any] = {}

    def _explain_costs(self, h: highspy.Highs) -> None:
        costs = np.abs(np.asarray(h.getLp().col_cost_))
        if not self._explained and len(costs) and 0 < costs[costs > 0].min(initial=np.inf) < SMALL_COST:
            self._explained = True
            self.note(
                "(HiGHS may warn of 'excessively small costs': transport to a setting close to home costs under "
                "GBP 100 a year, below 1e-4 in the model's GBP million; harmless)"
            )

    def _highs_options(self) -> dict[str, Any]:
        o = self.options
        opts: dict[str, Any] = {"mip_rel_gap": self._gap}
        if o.time_limit is not None:
            opts["time_limit"] = float(o.time_limit)
        if o.threads:
            opts["threads"] = int(o.threads)
        opts["random_seed"] = int(o.seed)
        opts.update(o.highs_options)
        opts.update(self._extra)
        return opts

    def solve(
        self,
        model: pyo.ConcreteModel,
        *,
        warm_start: bool = False,
        gap: float | None = None,
        highs_options: dict[str, Any] | None = None,
    ) -> SolveResult:
        """Solve with the active objective; warm_start uses the variables' values as a MIP start.
        gap and highs_options override the options for this solve."""
        self._gap = self.options.mip_gap if gap is None else gap
        self._extra = highs_options or {}
        if self.options.interface == "lp":
            return self._solve_lp(model, warm_start)
        if self.options.interface == "matrix":
            return self._solve_matrix(model, warm_start)
        return self._solve_appsi(model, warm_start)

    def _solve_appsi(self, model: pyo.ConcreteModel, warm_start: bool) -> SolveResult:
        from pyomo.contrib.appsi.base import TerminationCondition as TC

        t0 = time.perf_counter()
        if self._appsi is None or self._appsi_model is not model:  # hand the model to HiGHS once
            self._appsi, self._appsi_model = appsi_instance(model), model
        else:
            self._appsi.update()
        opt = self._appsi
        opt.config.stream_solver = self.options.log
        opt.config.load_solution = False
        opt.config.warmstart = warm_start
        opt.config.mip_gap = self._gap
        opt.config.time_limit = self.options.time_limit
        opt.highs_options = {k: v for k, v in self._highs_options().items() if k not in ("mip_rel_gap", "time_limit")}
        t1 = time.perf_counter()
        res = opt.solve(model)
        seconds = time.perf_counter() - t1
        tc = res.termination_condition
        has = res.best_feasible_objective is not None
        obj, bound = res.best_feasible_objective, res.best_objective_bound
        if has:
            res.solution_loader.load_vars()
        status = {
            TC.optimal: "optimal",
            TC.maxTimeLimit: "time_limit",
            TC.infeasible: "infeasible",
            TC.unbounded: "unbounded",
            TC.infeasibleOrUnbounded: "infeasible",
        }.get(tc, "error")
        gap = _gap(obj, bound)
        return SolveResult(status, has, obj, bound, gap, seconds, t1 - t0)

    # ------------------------------------------------------------------------------------------------------
    def _solve_matrix(self, model: pyo.ConcreteModel, warm_start: bool) -> SolveResult:
        from pyomo.common.errors import InfeasibleConstraintException

        t0 = time.perf_counter()
        try:
            h, columns, offset = matrix_to_highs(model, self.options.log)
        except InfeasibleConstraintException:  # a constraint of fixed variables only that cannot hold
            return SolveResult("infeasible", False, None, None, None, 0.0, time.perf_counter() - t0)
        return self._run_highs(h, columns, offset, warm_start, t0)

    def _solve_lp(self, model: pyo.ConcreteModel, warm_start: bool) -> SolveResult:
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "plan.lp"
            _, smap_id = model.write(str(path), io_options={"symbolic_solver_labels": False})
            smap = model.solutions.symbol_map[smap_id]
            h = _new_highs(self.options.log)
            h.readModel(str(path))
        columns = [smap.bySymbol.get(name) for name in h.getLp().col_names_]  # None: the writer's constant column
        return self._run_highs(h, columns, 0.0, warm_start, t0)

    def _run_highs(
        self, h: highspy.Highs, columns: list[Any], offset: float, warm_start: bool, t0: float
    ) -> SolveResult:
        """Solve a model already in highspy whose column j is Pyomo variable columns[j] (None: not a model
        variable) and whose objective leaves out the constant `offset`; load the plan back into the variables."""
        h.setOptionValue("output_flag", self.options.log)
        for k, v in self._highs_options().items():
            h.setOptionValue(k, v)
        if warm_start:
            sol = highspy.HighsSolution()
            sol.col_value = [float(v.value or 0.0) if v is not None else 0.0 for v in columns]
            sol.value_valid = True
            h.setSolution(sol)
        handoff = time.perf_counter() - t0
        if self.options.log:
            self._explain_costs(h)
        t1 = time.perf_counter()
        run_interruptibly(h)
        if warm_start and _start_misjudged(h):
            # HiGHS 1.16 can take a MIP start's objective in the presolved space without presolve's constant and
            # stop at once, "optimal" at the start (seen on a small instance whose true optimum is lower): solve
            # again from no start
            self.note("(the solver misjudged the starting plan; solving again without it)")
            h.clearSolver()
            run_interruptibly(h)
        seconds = time.perf_counter() - t1
        ms, info = h.getModelStatus(), h.getInfo()
        has = info.primal_solution_status == 2  # feasible
        if has:
            for v, x in zip(columns, h.getSolution().col_value, strict=True):
                if v is not None and not v.fixed:
                    v.set_value(x, skip_validation=True)
        status = _STATUS.get(ms, "error")
        if not has:
            return SolveResult(status, False, None, None, None, seconds, handoff)
        mip = info.mip_node_count >= 0
        obj = info.objective_function_value + offset
        bound = info.mip_dual_bound + offset if mip else obj
        gap = float(info.mip_gap) if mip and info.mip_gap < 1e30 else _gap(obj, bound)
        return SolveResult(status, True, obj, bound, gap, seconds, handoff)


def _start_misjudged(h: highspy.Highs) -> bool:
    """The objective HiGHS reports differs from its own solution's cost (a MIP start taken at the wrong value)."""
    info = h.getInfo()
    if info.primal_solution_status != 2 or info.mip_node_count < 0:
        return False
    x = np.asarray(h.getSolution().col_value, dtype=float)
    lp = h.getLp()  # a copy of the model: taken once, and only after a warm-started solve
    cost = float(np.dot(np.asarray(lp.col_cost_, dtype=float), x)) + float(lp.offset_)
    return abs(cost - info.objective_function_value) > 1e-7 * max(1.0, abs(cost))


def run_interruptibly(h: highspy.Highs) -> None:
    """Run HiGHS in its own thread so that Ctrl-C stops it cleanly: the solve is cancelled, waited for, and the
    KeyboardInterrupt raised again for the command line to handle."""
    h.HandleUserInterrupt = True  # cancelSolve is heard only through HiGHS's interrupt callbacks
    thread = h.startSolve()
    try:
        done = False
        while not done:
            done, _status = h.wait(0.1)
    except KeyboardInterrupt:
        h.cancelSolve()
        h.joinSolve(thread, interrupt_limit=0)
        raise
    h.joinSolve()


SMALL_COST = 1e-4  # HiGHS warns of 'excessively small costs' below this (absolute)


_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
    highspy.HighsModelStatus.kSolutionLimit: "stopped_early",
    highspy.HighsModelStatus.kIterationLimit: "stopped_early",
}


# A model as arrays (planner.model.matrix) into and out of HiGHS: the matrix interface, the direct build, checks


def to_highs(matrix: Matrix, log: bool = False) -> highspy.Highs:
    """A HiGHS instance holding the matrix, handed over in one passModel (its banner printed only if log)."""
    h = _new_highs(log)
    a, m = matrix.a, matrix
    sense = highspy.ObjSense.kMaximize if m.maximize else highspy.ObjSense.kMinimize
    sizes = (a.shape[1], a.shape[0], a.nnz, int(highspy.MatrixFormat.kColwise), int(sense), 0.0)
    bounds = [np.asarray(x, dtype=float) for x in (m.cost, m.col_lower, m.col_upper, m.row_lower, m.row_upper)]
    arrays = (a.indptr.astype(np.int32), a.indices.astype(np.int32), a.data.astype(float), m.integer.astype(np.int32))
    if h.passModel(*sizes, *bounds, *arrays) == highspy.HighsStatus.kError:
        raise SolverError("HiGHS refused the model (passModel returned an error)")
    return h


def matrix_to_highs(model: pyo.ConcreteModel, log: bool = False) -> tuple[highspy.Highs, list[Any], float]:
    """The model as one HiGHS model (standard_form, then to_highs). Returns HiGHS, the Pyomo variable of each
    column and the objective's constant."""
    matrix, columns, _rows, offset = standard_form(model)
    return to_highs(matrix, log), columns, offset


def read_matrix(h: highspy.Highs) -> Matrix:
    """The model a HiGHS instance holds, as arrays (to compare two builds entry by entry)."""
    lp = h.getLp()
    a, shape = lp.a_matrix_, (lp.num_row_, lp.num_col_)
    parts = (np.asarray(a.value_, dtype=float), np.asarray(a.index_), np.asarray(a.start_))
    rowwise = a.format_ == highspy.MatrixFormat.kRowwise
    integer = np.array([v == highspy.HighsVarType.kInteger for v in lp.integrality_] or [False] * lp.num_col_)
    bounds = (lp.col_cost_, lp.col_lower_, lp.col_upper_, lp.row_lower_, lp.row_upper_)
    matrix = sparse.csr_array(parts, shape=shape) if rowwise else sparse.csc_array(parts, shape=shape)
    maximize = lp.sense_ == highspy.ObjSense.kMaximize
    return Matrix(*(np.asarray(x, dtype=float) for x in bounds), integer, matrix.tocsc(), maximize)


@dataclass
class Relaxation:
    """An LP relaxation solved by HiGHS."""

    objective: float
    seconds: float  # of run() only
    status: str  # HiGHS's model status, e.g. "Optimal"
    iterations: int  # simplex, or interior point + crossover


def solve_relaxation(
    h: highspy.Highs, *, time_limit: float | None = None, threads: int | None = None, solver: str | None = None
) -> Relaxation:
    """Solve the LP relaxation of h's model in a fresh HiGHS (h is left as it was).

    solver: HiGHS's "solver" option ("simplex", "ipm", ...; None: HiGHS's default, dual simplex for an LP)."""
    lp = h.getLp()
    lp.integrality_ = []
    r = _new_highs(False)
    for name, value in (("time_limit", time_limit), ("threads", threads), ("solver", solver)):
        if value is not None:
            r.setOptionValue(name, value)
    r.passModel(lp)
    t = time.perf_counter()
    r.run()
    seconds = time.perf_counter() - t
    info = r.getInfo()
    counts = (info.simplex_iteration_count, info.ipm_iteration_count, info.crossover_iteration_count)
    status = r.modelStatusToString(r.getModelStatus())
    return Relaxation(float(info.objective_function_value), seconds, status, int(sum(max(c, 0) for c in counts)))


def appsi_instance(model: pyo.ConcreteModel) -> Any:
    """Pyomo's persistent HiGHS interface holding the model (set_instance: the appsi interface's hand-off)."""
    from pyomo.contrib.appsi.solvers import Highs

    opt = Highs()
    opt.set_instance(model)
    return opt


def _new_highs(log: bool) -> highspy.Highs:
    """A HiGHS instance with its output off; its banner is printed only when the log is shown."""
    with nullcontext() if log else capture_output(capture_fd=True):
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def lp_duals(model: pyo.ConcreteModel, threads: int | None = None) -> tuple[str, dict[Any, float]]:
    """Solve the model's active objective as an LP (integrality dropped: fix the integer decisions first) and
    return HiGHS's status and each constraint's dual (d objective / d right-hand side, summed over the rows of a
    ranged constraint). Constraints of fixed variables only have no row and no dual."""
    from pyomo.common.errors import InfeasibleConstraintException

    try:
        matrix, _columns, rows, _offset = standard_form(model)
    except InfeasibleConstraintException:
        return "infeasible", {}
    h = to_highs(matrix)
    lp = h.getLp()
    lp.integrality_ = []
    r = _new_highs(False)
    if threads:
        r.setOptionValue("threads", int(threads))
    r.passModel(lp)
    run_interruptibly(r)
    status = _STATUS.get(r.getModelStatus(), "error")
    if status != "optimal":
        return status, {}
    out: dict[Any, float] = {}
    for con, d in zip(rows, r.getSolution().row_dual, strict=True):
        out[con] = out.get(con, 0.0) + float(d)
    return status, out
