"""The planning MIP built straight from the index with numpy, without Pyomo.

The same columns, rows, coefficients and objective as build_model (every family, nothing dropped) hands to HiGHS
through Pyomo's appsi interface, for the benchmark (benchmarks/run.py) and as a check on the Pyomo build. Each
column and row is keyed by the Pyomo component and index it stands for, so the two builds can be compared entry
by entry (compare_models). Money in GBP million, as in the index.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
from numpy.typing import ArrayLike

from planner.model.index import ModelIndex
from planner.model.objectives import SHORTFALL_WEIGHT

OBJECTIVES = ("cost", "shortfall")
INF = highspy.kHighsInf

Key = tuple[str, Hashable]  # (Pyomo component name, index), e.g. ("Open", (3, 2))


@dataclass
class DirectModel:
    """A MIP in arrays: min cost x, row_lower <= A x <= row_upper, col_lower <= x <= col_upper."""

    col_cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray  # int32: 0 continuous, 1 integer
    a_start: np.ndarray  # the constraint matrix column-wise (CSC): duplicates summed, zeros dropped
    a_index: np.ndarray  # row of each entry
    a_value: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_blocks: list[tuple[str, Sequence[Hashable]]] = field(default_factory=list)  # component, its indices
    row_blocks: list[tuple[str, Sequence[Hashable]]] = field(default_factory=list)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_lower), len(self.col_cost)

    @property
    def nnz(self) -> int:
        return len(self.a_value)

    def col_keys(self) -> list[Key]:
        return [(name, k) for name, idx in self.col_blocks for k in idx]

    def row_keys(self) -> list[Key]:
        return [(name, k) for name, idx in self.row_blocks for k in idx]


class _Rows:
    """Row families appended in Pyomo's declaration order, as COO triplets and bounds."""

    def __init__(self) -> None:
        self.n = 0
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.blocks: list[tuple[str, Sequence[Hashable]]] = []

    def add(
        self,
        name: str,
        index: Sequence[Hashable],
        rows: ArrayLike,
        cols: ArrayLike,
        vals: ArrayLike,
        lower: ArrayLike,
        upper: ArrayLike,
    ) -> None:
        """Rows `index` of family `name`; `rows` are positions within the family."""
        m = len(index)
        if not m:
            return
        self.rows.append(np.asarray(rows, dtype=np.int64) + self.n)
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.vals.append(np.asarray(vals, dtype=float))
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (m,)))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), (m,)))
        self.blocks.append((name, index))
        self.n += m

    def add_lists(
        self, name: str, index: list, entries: list[tuple[int, int, float]], lower: list, upper: list
    ) -> None:
        """As add, from Python lists of (row, column, value) for the small families."""
        r, c, v = zip(*entries, strict=True) if entries else ((), (), ())
        self.add(name, index, r, c, v, lower, upper)


def direct_model(ix: ModelIndex, objective: str = "cost") -> DirectModel:
    """The arrays of build_model(ix) with the `objective` objective active.

    "cost": build_model's default (phase 2's objective, without the shortfall cap plan() adds then); "shortfall":
    phase 1's, 100 x shortfall + cost (use_shortfall_then_cost). Columns in Pyomo's declaration order (appsi
    orders them by first use), rows in constraint declaration order (as appsi); comparisons go by key, not order.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use one of {OBJECTIVES}")
    T = len(ix.years)
    n_sp = len(ix.setting_phases)
    # ---- columns in Pyomo's declaration order: New, Pupils, Open, Places, Shortfall
    c_pupils = ix.n_arcs * T  # Pupils[q, i] at c_pupils + q T + i
    c_open = c_pupils + n_sp * T
    open_col = {key: c_open + k for k, key in enumerate(ix.open_index)}
    c_places = c_open + len(ix.open_index)
    places_col = {key: c_places + k for k, key in enumerate(ix.places_index)}
    c_short = c_places + len(ix.places_index)
    n_col = c_short + len(ix.target_years)
    var_col = {"Open": open_col, "Places": places_col}

    lower = np.zeros(n_col)
    upper = np.full(n_col, INF)
    upper[c_open:c_places] = 1.0
    integrality = np.zeros(n_col, dtype=np.int32)
    integrality[c_open:c_places] = 1
    cost = np.concatenate(
        [
            ix.new_cost.reshape(-1),
            ix.pupils_cost.reshape(-1),
            [ix.open_cost.get(key, 0.0) for key in ix.open_index],
            [ix.places_cost.get(key, 0.0) for key in ix.places_index],
            np.full(len(ix.target_years), SHORTFALL_WEIGHT if objective == "shortfall" else 0.0),
        ]
    )
    col_blocks: list[tuple[str, Sequence[Hashable]]] = [
        ("New", range(ix.n_arcs * T)),
        ("Pupils", [(q, i) for q in range(n_sp) for i in range(T)]),
        ("Open", ix.open_index),
        ("Places", ix.places_index),
        ("Shortfall", ix.target_years),
    ]

    rows = _Rows()
    # ---- demand_met: sum_a n[a,t] = N[c,t]
    n_dem = len(ix.demand_rows)
    if n_dem:
        lengths = np.fromiter((len(a) for a in ix.demand_arcs), dtype=np.int64, count=n_dem)
        year = np.fromiter((i for _c, i in ix.demand_rows), dtype=np.int64, count=n_dem)
        arcs = np.concatenate(ix.demand_arcs).astype(np.int64)
        r = np.repeat(np.arange(n_dem), lengths)
        rhs = ix.demand_rhs.astype(float)
        rows.add("Demand_Met", range(n_dem), r, arcs * T + year[r], np.ones(len(r)), rhs, rhs)

    # ---- pupils_in_setting: y[q,i] - r y[q,i-1] - sum_a n[a,i] = r y_base (i = 0) or 0
    if n_sp:
        k = np.arange(n_sp * T)
        q_of, i_of = k // T, k % T
        later = k[i_of > 0]
        lengths = np.array([len(a) for a in ix.setting_phase_arcs], dtype=np.int64)
        arcs = np.concatenate(ix.setting_phase_arcs).astype(np.int64) if lengths.sum() else np.zeros(0, dtype=np.int64)
        q_rep = np.repeat(np.arange(n_sp), lengths)
        r_parts = [k, later] + [q_rep * T + i for i in range(T)]
        c_parts = [c_pupils + k, c_pupils + later - 1] + [arcs * T + i for i in range(T)]
        v_parts = [np.ones(len(k)), -ix.setting_phase_stay[q_of[later]].astype(float)] + [-np.ones(len(arcs))] * T
        rhs = np.where(
            i_of == 0, ix.setting_phase_stay[q_of].astype(float) * ix.setting_phase_base[q_of].astype(float), 0.0
        )
        rows.add(
            "Pupils_In_Setting",
            col_blocks[1][1],
            np.concatenate(r_parts),
            np.concatenate(c_parts),
            np.concatenate(v_parts),
            rhs,
            rhs,
        )

    # ---- capacity: sum_p y[s,p,t] - sum_menu P_j v[j,t] - sum_range w[j,t] <= K[s,t]
    by_setting = ix.pairs_by_setting()
    projects_at = ix.projects_by_setting()
    index: list = []
    entries: list[tuple[int, int, float]] = []
    ub: list[float] = []
    for s in ix.limited_settings:
        qs = by_setting.get(s, [])
        if not qs:
            continue
        for i in range(T):
            row = len(index)
            index.append((s, i))
            entries += [(row, c_pupils + q * T + i, 1.0) for q in qs]
            for j in projects_at.get(s, []):
                if (j, i) in open_col:
                    if ix.project_range[j]:
                        entries.append((row, places_col[j, i], -1.0))
                    else:
                        entries.append((row, open_col[j, i], -float(ix.project_places[j])))
            ub.append(float(ix.fixed_places[s, i]))
    rows.add_lists("Capacity", index, entries, [-INF] * len(index), ub)

    # ---- project_timing: v[j,t] >= v[j,t-1]; m_j v <= w <= P_j v; w[j,t] >= w[j,t-1]
    timing = [(j, i) for j, i in ix.open_index if i > ix.project_first[j]]
    entries = [e for r, (j, i) in enumerate(timing) for e in ((r, open_col[j, i], 1.0), (r, open_col[j, i - 1], -1.0))]
    rows.add_lists("Project_Timing", timing, entries, [0.0] * len(timing), [INF] * len(timing))
    pl = ix.places_index
    for name, size, lo, hi in (
        ("Range_Largest", ix.project_places, -INF, 0.0),
        ("Range_Smallest", ix.project_min, 0.0, INF),
    ):
        entries = [
            e for r, (j, i) in enumerate(pl) for e in ((r, places_col[j, i], 1.0), (r, open_col[j, i], -float(size[j])))
        ]
        rows.add_lists(name, pl, entries, [lo] * len(pl), [hi] * len(pl))
    grow = [(j, i) for j, i in pl if i > ix.project_first[j]]
    entries = [
        e for r, (j, i) in enumerate(grow) for e in ((r, places_col[j, i], 1.0), (r, places_col[j, i - 1], -1.0))
    ]
    rows.add_lists("Range_Growth", grow, entries, [0.0] * len(grow), [INF] * len(grow))

    # ---- one_project_per_site: sum_{j at k} v[j,H] <= 1 (= 1 forced); sum_{j of o} v[j,H] = 1 (forced option)
    if ix.n_projects:
        last = T - 1
        at_site: dict[str, list[int]] = {}
        for j, k in enumerate(ix.project_site):
            at_site.setdefault(k, []).append(j)
        sites = sorted(at_site)
        entries = [(r, open_col[j, last], 1.0) for r, k in enumerate(sites) for j in at_site[k]]
        lo = [1.0 if k in ix.forced_sites else -INF for k in sites]
        rows.add_lists("One_Project_Per_Site", sites, entries, lo, [1.0] * len(sites))
        forced = sorted(ix.forced_options)
        entries = [(r, open_col[j, last], 1.0) for r, o in enumerate(forced) for j in ix.forced_options[o]]
        rows.add_lists("Forced_Option", forced, entries, [1.0] * len(forced), [1.0] * len(forced))

        # ---- capital_budget: capital paid by the end of year i <= capital available by then
        index, entries, ub = [], [], []
        for i in range(T):
            terms = ix.capital_use[i]
            if not terms:
                continue
            row = len(index)
            index.append(i)
            entries += [(row, var_col[var][j, z], v) for v, var, j, z in terms]
            ub.append(float(ix.capital_cum_budget[i]))
        rows.add_lists("Capital_Budget", index, entries, [-INF] * len(index), ub)

    # ---- high_needs_balance: top-ups and fees + place funding - shortfall[t] <= I[t] - F[t]
    index, entries, ub = [], [], []
    sp_setting = [s for s, _p in ix.setting_phases]
    for row, t in enumerate(ix.target_years):
        i = ix.years.index(t)
        index.append(t)
        entries += [(row, c_pupils + q * T + i, float(ix.top_up[s, i])) for q, s in enumerate(sp_setting)]
        for j, k in ix.open_index:
            if k == i:
                pf = float(ix.place_funding[ix.project_setting[j], i])
                if ix.project_range[j]:
                    entries.append((row, places_col[j, i], pf))
                else:
                    entries.append((row, open_col[j, i], pf * float(ix.project_places[j])))
        entries.append((row, c_short + row, -1.0))
        ub.append(float(ix.budget_rhs[t]))
    rows.add_lists("High_Needs_Balance", index, entries, [-INF] * len(index), ub)

    if rows.n:
        a_start, a_index, a_value = _colwise(
            np.concatenate(rows.rows), np.concatenate(rows.cols), np.concatenate(rows.vals), n_col
        )
        row_lower, row_upper = np.concatenate(rows.lower), np.concatenate(rows.upper)
    else:
        a_start, a_index, a_value = np.zeros(n_col + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        row_lower = row_upper = np.zeros(0)
    return DirectModel(
        cost, lower, upper, integrality, a_start, a_index, a_value, row_lower, row_upper, col_blocks, rows.blocks
    )


def _colwise(r: np.ndarray, c: np.ndarray, v: np.ndarray, n_col: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, row index, value) of the triplets column-wise, rows sorted, duplicates summed, zeros dropped.

    Duplicates are the capital terms of one variable in one year; zeros are stay rates, top-ups or place funding
    of 0, which Pyomo and HiGHS drop too.
    """
    order = np.lexsort((r, c))
    r, c, v = r[order], c[order], v[order]
    if len(v):
        first = np.ones(len(v), dtype=bool)
        first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
        starts = np.flatnonzero(first)
        if len(starts) < len(v):
            v = np.add.reduceat(v, starts)
            r, c = r[starts], c[starts]
        keep = v != 0
        r, c, v = r[keep], c[keep], v[keep]
    start = np.zeros(n_col + 1, dtype=np.int64)
    np.cumsum(np.bincount(c, minlength=n_col), out=start[1:])
    return start, r, v


def to_highs(dm: DirectModel, *, log: bool = False) -> highspy.Highs:
    """A Highs object holding the model (one passModel of the column-wise arrays)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", log)
    n_row, n_col = dm.shape
    status = h.passModel(
        n_col,
        n_row,
        dm.nnz,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        dm.col_cost,
        dm.col_lower,
        dm.col_upper,
        dm.row_lower,
        dm.row_upper,
        dm.a_start.astype(np.int32),
        dm.a_index.astype(np.int32),
        dm.a_value,
        dm.integrality,
    )
    if status == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS refused the model (passModel returned an error)")
    return h


def build_direct(ix: ModelIndex, objective: str = "cost", *, log: bool = False) -> highspy.Highs:
    """build_model(ix) with `objective` active, handed to HiGHS, without Pyomo."""
    return to_highs(direct_model(ix, objective), log=log)


# ------------------------------------------------------------------------------------------------------------
# checks: the LP relaxation, and entry-by-entry comparison with the model Pyomo handed to HiGHS


@dataclass
class Relaxation:
    objective: float
    seconds: float
    status: str
    iterations: int  # simplex, or interior point + crossover


def solve_relaxation(
    h: highspy.Highs, *, time_limit: float | None = None, threads: int | None = None, solver: str | None = None
) -> Relaxation:
    """Solve the LP relaxation of h's model in a fresh Highs (h is left as it was); seconds of run() only.

    solver: HiGHS's "solver" option ("simplex", "ipm", ...; None: HiGHS's default, dual simplex for an LP).
    """
    lp = h.getLp()
    lp.integrality_ = []
    r = highspy.Highs()
    r.setOptionValue("output_flag", False)
    if time_limit is not None:
        r.setOptionValue("time_limit", float(time_limit))
    if threads:
        r.setOptionValue("threads", int(threads))
    if solver:
        r.setOptionValue("solver", solver)
    r.passModel(lp)
    t = time.perf_counter()
    r.run()
    seconds = time.perf_counter() - t
    info = r.getInfo()
    return Relaxation(
        float(info.objective_function_value),
        seconds,
        r.modelStatusToString(r.getModelStatus()),
        int(
            max(info.simplex_iteration_count, 0)
            + max(info.ipm_iteration_count, 0)
            + max(info.crossover_iteration_count, 0)
        ),
    )


def appsi_keys(opt: Any, model: Any) -> tuple[list[Key], list[Key]]:
    """(column keys, row keys) of the HiGHS model an appsi Highs solver built from a Pyomo model.

    Reads the solver's private maps (pyomo.contrib.appsi.solvers.highs): Pyomo object -> HiGHS position.
    """
    import pyomo.environ as pyo

    var_map = opt._pyomo_var_to_solver_var_map  # id(var) -> column
    cols: list[Any] = [None] * len(var_map)
    for v in model.component_data_objects(pyo.Var, descend_into=True):
        c = var_map.get(id(v))
        if c is not None:
            cols[c] = (v.parent_component().local_name, v.index())
    rows: list[Any] = [None] * len(opt._pyomo_con_to_solver_con_map)
    for con, r in opt._pyomo_con_to_solver_con_map.items():
        rows[r] = (con.parent_component().local_name, con.index())
    return cols, rows


def _triplets(lp: highspy.HighsLp) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value) of every matrix entry."""
    a = lp.a_matrix_
    start, index, value = np.asarray(a.start_), np.asarray(a.index_), np.asarray(a.value_, dtype=float)
    rowwise = a.format_ == highspy.MatrixFormat.kRowwise
    outer = np.repeat(np.arange(len(start) - 1), np.diff(start))
    return (outer, index, value) if rowwise else (index, outer, value)


def _rel(x: Any, y: Any) -> float:
    """Largest |x - y| / max(1, |x|) (equal infinities count as equal)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not len(x):
        return 0.0
    with np.errstate(invalid="ignore"):
        d = np.abs(x - y) / np.maximum(1.0, np.abs(x))
    d = np.where(x == y, 0.0, d)
    return float(np.nan_to_num(d, nan=np.inf).max())


def compare_models(
    a: highspy.Highs, a_keys: tuple[list[Key], list[Key]], b: highspy.Highs, b_keys: tuple[list[Key], list[Key]]
) -> dict[str, Any]:
    """Entry-by-entry comparison of two HiGHS models whose columns and rows are named by keys.

    Returns the counts of each, whether they have the same column and row keys and the same sparsity pattern,
    and the largest relative difference (|a - b| / max(1, |a|)) of costs, bounds, integrality and matrix entries
    once b is put in a's order: "max_rel_diff" 0.0 means identical.
    """
    lp_a, lp_b = a.getLp(), b.getLp()
    out: dict[str, Any] = {
        "cols": (lp_a.num_col_, lp_b.num_col_),
        "rows": (lp_a.num_row_, lp_b.num_row_),
        "nnz": (a.getNumNz(), b.getNumNz()),
        "same_pattern": False,
        "max_rel_diff": float("inf"),
    }
    col_pos = {k: n for n, k in enumerate(b_keys[0])}
    row_pos = {k: n for n, k in enumerate(b_keys[1])}
    out["same_cols"] = len(col_pos) == len(a_keys[0]) == lp_b.num_col_ and all(k in col_pos for k in a_keys[0])
    out["same_rows"] = len(row_pos) == len(a_keys[1]) == lp_b.num_row_ and all(k in row_pos for k in a_keys[1])
    if not (out["same_cols"] and out["same_rows"]):
        return out
    cp = np.array([col_pos[k] for k in a_keys[0]], dtype=np.int64)  # b's position of a's column n
    rp = np.array([row_pos[k] for k in a_keys[1]], dtype=np.int64)

    def integer(lp: highspy.HighsLp) -> np.ndarray:
        return np.array([int(v) for v in lp.integrality_] or [0] * lp.num_col_)

    diffs = {
        "cost": _rel(lp_a.col_cost_, np.asarray(lp_b.col_cost_)[cp]),
        "col_lower": _rel(lp_a.col_lower_, np.asarray(lp_b.col_lower_)[cp]),
        "col_upper": _rel(lp_a.col_upper_, np.asarray(lp_b.col_upper_)[cp]),
        "row_lower": _rel(lp_a.row_lower_, np.asarray(lp_b.row_lower_)[rp]),
        "row_upper": _rel(lp_a.row_upper_, np.asarray(lp_b.row_upper_)[rp]),
        "integrality": float(np.any(integer(lp_a) != integer(lp_b)[cp])),
    }
    ra, ca, va = _triplets(lp_a)
    rb, cb, vb = _triplets(lp_b)
    inv_c = np.empty_like(cp)
    inv_c[cp] = np.arange(len(cp))
    inv_r = np.empty_like(rp)
    inv_r[rp] = np.arange(len(rp))
    rb, cb = inv_r[rb], inv_c[cb]
    oa, ob = np.lexsort((ra, ca)), np.lexsort((rb, cb))
    out["same_pattern"] = bool(np.array_equal(ra[oa], rb[ob]) and np.array_equal(ca[oa], cb[ob]))
    diffs["matrix"] = _rel(va[oa], vb[ob]) if out["same_pattern"] else float("inf")
    out["diffs"] = diffs
    out["max_rel_diff"] = max(diffs.values())
    return out
