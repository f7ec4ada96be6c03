"""The planning MIP built straight from the index with numpy, without Pyomo: the benchmark's yardstick.

The same columns, rows, coefficients and objective as build_model (every family, nothing dropped), as a
planner.highs.Matrix. Each column and row is keyed by the Pyomo component and index it stands for, so the build
can be compared entry by entry with the one Pyomo hands to HiGHS (compare). The constraints are written out in
planner.model.constraints; money in GBP million, as in the index.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

from planner.model.index import ModelIndex
from planner.model.matrix import INF, Matrix

OBJECTIVES = ("cost", "shortfall")  # the second aim; the first (the total shortfall alone)
Key = tuple[str, Hashable]  # (Pyomo component name, index), e.g. ("Open", (3, 2))
Index = Sequence[Hashable]  # a component's indices, in order
Block = tuple[str, Index]  # a component's name and its indices
Arr = ArrayLike
Keys = tuple[list[Key], list[Key]]  # (column keys, row keys)


@dataclass
class DirectModel:
    """The direct build: its matrix, and the components whose indices its columns and rows stand for, in order."""

    matrix: Matrix
    col_blocks: list[Block]
    row_blocks: list[Block]

    def keys(self) -> Keys:
        """The key of each column and of each row."""
        return tuple([(name, k) for name, idx in blocks for k in idx] for blocks in (self.col_blocks, self.row_blocks))


class _Columns:
    """Column positions in Pyomo's declaration order: New, Pupils, Open, Places, Shortfall."""

    def __init__(self, ix: ModelIndex) -> None:
        self.ix, self.T = ix, len(ix.years)
        self.pupils = ix.n_arcs * self.T  # Pupils[q, i] at pupils + q T + i
        first = self.pupils + len(ix.setting_phases) * self.T
        self.open = {key: first + k for k, key in enumerate(ix.open_index)}
        first += len(ix.open_index)
        self.places = {key: first + k for k, key in enumerate(ix.places_index)}
        self.shortfall = first + len(ix.places_index)
        self.n = self.shortfall + len(ix.target_years)
        pupils = [(q, i) for q in range(len(ix.setting_phases)) for i in range(self.T)]
        self.blocks: list[Block] = [("New", range(self.pupils)), ("Pupils", pupils), ("Open", ix.open_index)]
        self.blocks += [("Places", ix.places_index), ("Shortfall", ix.target_years)]

    def added(self, j: int, i: int, per_place: float) -> tuple[int, float]:
        """(column, coefficient) of per_place x the places project j adds in year i: w[j,i], or P_j v[j,i]."""
        if self.ix.project_range[j]:
            return self.places[j, i], float(per_place)
        return self.open[j, i], float(per_place) * float(self.ix.project_places[j])


class _Rows:
    """Row families as (row, column, value) triplets and bounds; a family's rows follow the earlier families'."""

    def __init__(self) -> None:
        self.n = 0
        self.entries: list[tuple[np.ndarray, ...]] = [(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))]
        self.bounds: list[tuple[np.ndarray, np.ndarray]] = [(np.zeros(0), np.zeros(0))]
        self.blocks: list[Block] = []

    def add(self, name: str, index: Index, r: Arr, c: Arr, v: Arr, lo: Arr, hi: Arr) -> None:
        """Rows `index` of family `name`: entries (r within the family, column c, value v); v and bounds broadcast."""
        if not len(index):
            return
        r = np.asarray(r, dtype=np.int64)
        self.entries.append((r + self.n, np.asarray(c, dtype=np.int64), np.broadcast_to(np.asarray(v, float), r.shape)))
        self.bounds.append(tuple(np.broadcast_to(np.asarray(b, float), (len(index),)) for b in (lo, hi)))
        self.blocks.append((name, index))
        self.n += len(index)

    def sums(self, name: str, index: Index, terms: list[list[tuple[int, float]]], lo: Arr, hi: Arr) -> None:
        """Row k: the sum of value x column over terms[k]."""
        entries = [(k, col, val) for k, row in enumerate(terms) for col, val in row]
        self.add(name, index, *(zip(*entries, strict=True) if entries else ((), (), ())), lo, hi)

    def pairs(self, name: str, index: Index, first: Arr, second: Arr, coef: Arr, lo: Arr, hi: Arr) -> None:
        """Row k: x[first[k]] + coef[k] x[second[k]]."""
        coef = np.broadcast_to(np.asarray(coef, float), (len(index),))
        r, c = np.repeat(np.arange(len(index)), 2), np.column_stack([first, second]).ravel()
        self.add(name, index, r, c, np.column_stack([np.ones(len(index)), coef]).ravel(), lo, hi)


def _cat(arrays: Sequence[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays).astype(np.int64) if len(arrays) else np.zeros(0, np.int64)


def direct_model(ix: ModelIndex, objective: str = "cost") -> DirectModel:
    """The matrix of build_model(ix) with the `objective` objective active.

    "cost": build_model's default (the second aim, without the shortfall cap the solve adds then); "shortfall": the
    first aim, the total shortfall alone (use_least_shortfall).
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use one of {OBJECTIVES}")
    col, rows = _Columns(ix), _Rows()
    for family in (_flows, _capacity, _shares, _projects, _money):
        family(ix, col, rows)
    cost = [ix.new_cost.ravel(), ix.pupils_cost.ravel(), [ix.open_cost.get(k, 0.0) for k in ix.open_index]]
    cost += [[ix.places_cost.get(k, 0.0) for k in ix.places_index], np.zeros(len(ix.target_years))]
    if objective == "shortfall":
        cost = [np.zeros(len(np.ravel(c))) for c in cost[:-1]] + [np.ones(len(ix.target_years))]
    is_open = np.zeros(col.n, dtype=bool)
    is_open[list(col.open.values())] = True
    is_whole = is_open.copy()  # a project's places are whole
    is_whole[list(col.places.values())] = True
    r, c, v = (np.concatenate(x) for x in zip(*rows.entries, strict=True))
    a = sparse.csc_array((v, (r, c)), shape=(rows.n, col.n))  # duplicates (capital terms) summed
    a.eliminate_zeros()  # stay rates, top-ups or place funding of 0, which Pyomo and HiGHS drop too
    lower, upper = (np.concatenate(b) for b in zip(*rows.bounds, strict=True))
    matrix = Matrix(np.concatenate(cost), np.zeros(col.n), np.where(is_open, 1.0, INF), lower, upper, is_whole, a)
    return DirectModel(matrix, col.blocks, rows.blocks)


def _flows(ix: ModelIndex, col: _Columns, rows: _Rows) -> None:
    """demand_met: sum_a n[a,t] = N[c,t]; pupils_in_setting: y[q,i] - r y[q,i-1] - sum_a n[a,i] = r y_base or 0."""
    T, n_dem = col.T, len(ix.demand_rows)
    r = np.repeat(np.arange(n_dem), np.array([len(a) for a in ix.demand_arcs], dtype=np.int64))
    year = np.array([i for _c, i in ix.demand_rows], dtype=np.int64)
    rhs = np.asarray(ix.demand_rhs, float)
    rows.add("Demand_Met", range(n_dem), r, _cat(ix.demand_arcs) * T + year[r], 1.0, rhs, rhs)

    k = np.arange(len(ix.setting_phases) * T)  # row k is Pupils column k: pair q = k // T, year i = k % T
    stay, base, later = ix.setting_phase_stay[k // T], ix.setting_phase_base[k // T], k[k % T > 0]
    owner = np.repeat(np.arange(len(ix.setting_phases)), np.array([len(a) for a in ix.setting_phase_arcs], np.int64))
    arcs, years = _cat(ix.setting_phase_arcs), np.arange(T)
    r = np.concatenate([k, later, (owner[:, None] * T + years).ravel()])
    c = np.concatenate([col.pupils + k, col.pupils + later - 1, (arcs[:, None] * T + years).ravel()])
    v = np.concatenate([np.ones(len(k)), -stay[later], -np.ones(len(arcs) * T)])
    rhs = np.where(k % T == 0, stay * base, 0.0)
    rows.add("Pupils_In_Setting", col.blocks[1][1], r, c, v, rhs, rhs)


def _capacity(ix: ModelIndex, col: _Columns, rows: _Rows) -> None:
    """capacity: sum_p y[s,p,t] - mu x the places projects add at s <= mu K[s,t] + X[s,t], for settings with finite
    places (mu the occupancy margin, X the base-year pupils still over it)."""
    by_setting, projects_at, opened = ix.pairs_by_setting(), ix.projects_by_setting(), set(ix.open_index)
    index = [(s, i) for s in ix.limited_settings if s in by_setting for i in range(col.T)]
    terms = [
        [(col.pupils + q * col.T + i, 1.0) for q in by_setting[s]]
        + [col.added(j, i, -ix.margin) for j in projects_at.get(s, []) if (j, i) in opened]
        for s, i in index
    ]
    upper = [ix.margin * ix.fixed_places[s, i] + ix.over_margin[s, i] for s, i in index]
    rows.sums("Capacity", index, terms, -INF, upper)


def _shares(ix: ModelIndex, col: _Columns, rows: _Rows) -> None:
    """placement_share: sum of a cohort's new entrants to settings of one type <= share x N[c,t]."""
    index = range(len(ix.share_rows))
    terms = [[(int(a) * col.T + i, 1.0) for a in arcs] for arcs, i, _k, _r in ix.share_rows]
    upper = [k * float(ix.demand_rhs[r]) for _a, _i, k, r in ix.share_rows]
    rows.sums("Placement_Share", index, terms, -INF, upper)


def _projects(ix: ModelIndex, col: _Columns, rows: _Rows) -> None:
    """project_timing (v[j,t] >= v[j,t-1]; m_j v <= w <= P_j v; w[j,t] >= w[j,t-1]) and one_project_per_site."""
    op, pl, ranged = col.open, col.places, ix.places_index
    timing = [(j, i) for j, i in ix.open_index if i > ix.project_first[j]]
    rows.pairs("Project_Timing", timing, [op[k] for k in timing], [op[j, i - 1] for j, i in timing], -1.0, 0.0, INF)
    largest, smallest = ([-size[j] for j, _i in ranged] for size in (ix.project_places, ix.project_min))
    rows.pairs("Range_Largest", ranged, [pl[k] for k in ranged], [op[k] for k in ranged], largest, -INF, 0.0)
    rows.pairs("Range_Smallest", ranged, [pl[k] for k in ranged], [op[k] for k in ranged], smallest, 0.0, INF)
    grow = [(j, i) for j, i in ranged if i > ix.project_first[j]]
    rows.pairs("Range_Growth", grow, [pl[k] for k in grow], [pl[j, i - 1] for j, i in grow], -1.0, 0.0, INF)

    last, at_site = col.T - 1, {}  # sum_{j at k} v[j,H] <= 1 (= 1 forced); sum_{j of o} v[j,H] = 1 (forced option)
    for j, k in enumerate(ix.project_site):
        at_site.setdefault(k, []).append(j)
    sites, forced = sorted(at_site), sorted(ix.forced_options)
    terms = [[(op[j, last], 1.0) for j in at_site[k]] for k in sites]
    rows.sums("One_Project_Per_Site", sites, terms, [1.0 if k in ix.forced_sites else -INF for k in sites], 1.0)
    rows.sums("Forced_Option", forced, [[(op[j, last], 1.0) for j in ix.forced_options[o]] for o in forced], 1.0, 1.0)


def _money(ix: ModelIndex, col: _Columns, rows: _Rows) -> None:
    """capital_budget (capital paid by the end of year i <= capital available by then) and high_needs_balance
    (top-ups and fees + place funding - shortfall[t] <= I[t] - F[t])."""
    var_col = {"Open": col.open, "Places": col.places}
    years = [i for i in range(col.T) if ix.capital_use[i]]
    terms = [[(var_col[var][j, z], v) for v, var, j, z in ix.capital_use[i]] for i in years]
    rows.sums("Capital_Budget", years, terms, -INF, [ix.capital_cum_budget[i] for i in years])

    terms = []
    for n, t in enumerate(ix.target_years):
        i = ix.years.index(t)
        placed = [(col.pupils + q * col.T + i, float(ix.top_up[s, i])) for q, (s, _p) in enumerate(ix.setting_phases)]
        pf = [col.added(j, k, ix.place_funding[ix.project_setting[j], k]) for j, k in ix.open_index if k == i]
        terms.append([*placed, *pf, (col.shortfall + n, -1.0)])
    rows.sums("High_Needs_Balance", ix.target_years, terms, -INF, [ix.budget_rhs[t] for t in ix.target_years])


# ------------------------------------------------------------------------------------------------------------
# entry-by-entry comparison with the model Pyomo hands to HiGHS


def pyomo_keys(columns: Sequence[Any], constraints: Sequence[Any]) -> Keys:
    """The keys of a standard form's columns (Pyomo variables) and rows (Pyomo constraints)."""
    return tuple([(x.parent_component().local_name, x.index()) for x in xs] for xs in (columns, constraints))


def _order(a_keys: list[Key], b_keys: list[Key]) -> np.ndarray | None:
    """b's position of each of a's keys; None unless a and b hold the same keys, each once."""
    pos = {k: n for n, k in enumerate(b_keys)}
    if not (len(pos) == len(a_keys) == len(b_keys) and all(k in pos for k in a_keys)):
        return None
    return np.array([pos[k] for k in a_keys], dtype=np.int64)


def _rel(x: ArrayLike, y: ArrayLike) -> float:
    """Largest |x - y| / max(1, |x|) (equal infinities count as equal)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(invalid="ignore"):
        d = np.where(x == y, 0.0, np.abs(x - y) / np.maximum(1.0, np.abs(x)))
    return float(np.nan_to_num(d, nan=np.inf).max()) if len(d) else 0.0


def compare(a: Matrix, a_keys: Keys, b: Matrix, b_keys: Keys) -> dict[str, Any]:
    """Entry-by-entry comparison of two matrices whose columns and rows are named by keys.

    Whether they have the same column keys, row keys and sparsity pattern, and the largest relative difference
    (|a - b| / max(1, |a|)) of costs, bounds, integrality and matrix entries once b is put in a's order:
    "max_rel_diff" 0.0 means identical.
    """
    cp, rp = _order(a_keys[0], b_keys[0]), _order(a_keys[1], b_keys[1])
    out: dict[str, Any] = {"same_cols": cp is not None, "same_rows": rp is not None, "same_pattern": False}
    out["max_rel_diff"] = float("inf")
    if cp is None or rp is None:
        return out
    diffs = {f: _rel(getattr(a, f), getattr(b, f)[cp]) for f in ("cost", "col_lower", "col_upper", "integer")}
    diffs |= {f: _rel(getattr(a, f), getattr(b, f)[rp]) for f in ("row_lower", "row_upper")}
    x, y = a.a.tocsc(copy=True), sparse.csc_array(b.a[rp][:, cp])
    x.sort_indices()
    y.sort_indices()
    out["same_pattern"] = np.array_equal(x.indptr, y.indptr) and np.array_equal(x.indices, y.indices)
    diffs["matrix"] = _rel(x.data, y.data) if out["same_pattern"] else float("inf")
    return out | {"diffs": diffs, "max_rel_diff": max(diffs.values())}
