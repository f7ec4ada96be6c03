"""The programme's levers in the model (docs/model.md section 11): their sparse index, variables and rules, and the
terms they add to demand, capital, the high-needs balance and the objectives.

Notation, besides that of constraints.py: areas a (districts); T[a,t] extra support teams working in year t
(whole, never fewer than the year before); E[a,t] in [0, 1] the share of the full prevention effect they reach;
R[c,t] new specialist entrants of cohort c prevented; M[c,t] new entrants supported in mainstream with an
enhanced top-up and Y[a,p,t] the children so supported; B[t] capital borrowed in year t; X[t] schools-block
transfer above the data's. Money in GBP million.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from planner.inputs import ModelInputs

MONEY = 1e6


@dataclass
class LeverIndex:
    weight: float  # lambda
    areas: list[str]
    cohort_area: np.ndarray  # cohort -> area position
    team_years: list[int]  # year positions in which extra teams can work
    max_teams: np.ndarray  # (areas,)
    coverage_per_team: np.ndarray  # (areas,) coverage u that one team adds
    effect_lines: list[tuple[float, float]]  # E <= e_k + s_k u: intercept, slope of each segment of the curve
    team_cost: np.ndarray  # (years,) GBP m a team
    prevent_rows: list[tuple[int, int, int, float]]  # (demand row, area, year position, R upper coefficient on E)
    plan_prevent: np.ndarray  # (areas, years): non-specialist plans prevented at full effect
    plan_saving: np.ndarray  # (years,) GBP m a plan a year
    plan_stay: float
    support_rows: list[tuple[int, int, int, float]]  # (demand row, support pair, year position, upper bound of M)
    support_pairs: list[tuple[int, str]]  # (area, phase) of Y
    support_stay: np.ndarray  # (support pairs,)
    per_team: float  # children supported in mainstream per extra team
    enhanced_top_up: np.ndarray  # (years,) GBP m a child
    borrow_limit: float  # GBP m
    borrow_charge: float
    transfer_room: np.ndarray  # (years,) GBP m above the data's transfer

    @property
    def teams(self) -> bool:
        return bool(self.team_years) and (bool(self.prevent_rows) or bool(self.plan_prevent.any())
                                          or (bool(self.support_rows) and self.per_team > 0))  # fmt: skip


def lever_index(inp: ModelInputs, demand_rows: list[tuple[int, int]], demand_rhs: np.ndarray) -> LeverIndex | None:
    """Index the levers of `inp` against the model's demand rows ((cohort, year position) -> N)."""
    lv = inp.levers
    if lv is None:
        return None
    years, T = list(inp.years), len(inp.years)
    areas = list(lv.areas.index)
    a_pos = {a: i for i, a in enumerate(areas)}
    cohort_area = inp.cohorts["district_id"].map(a_pos).to_numpy(dtype=np.int64)
    team_years = [i for i, t in enumerate(years) if t >= lv.team_first_year]
    cov = (lv.children_per_team / lv.areas["children"]).to_numpy(dtype=float)
    curve = lv.effect_curve
    lines = []
    for (u0, e0), (u1, e1) in zip(curve, curve[1:], strict=False):
        s = (e1 - e0) / (u1 - u0)
        lines.append((e0 - s * u0, s))
    share = lv.new_plan_share.reindex(years).fillna(0.0).to_numpy(dtype=float)
    works = set(team_years)
    prevent_rows = []
    if lv.prevent_specialist > 0:
        for r, (c, i) in enumerate(demand_rows):
            k = lv.prevent_specialist * share[i] * float(demand_rhs[r])
            if i in works and k > 1e-9:
                prevent_rows.append((r, int(cohort_area[c]), i, k))
    pp = lv.prevented_plans.pivot(index="area_id", columns="year", values="plans").reindex(index=areas, columns=years)
    plan_prevent = np.nan_to_num(pp.to_numpy(dtype=float))
    plan_prevent[:, [i for i in range(T) if i not in works]] = 0.0
    support_rows, support_pairs = _support(inp, demand_rows, demand_rhs, cohort_area, works)
    stay = inp.cohorts.groupby("phase")["stay_rate"].first()
    return LeverIndex(
        weight=lv.weight,
        areas=areas,
        cohort_area=cohort_area,
        team_years=team_years,
        max_teams=lv.areas["max_teams"].to_numpy(dtype=float),
        coverage_per_team=cov,
        effect_lines=lines,
        team_cost=lv.team_cost.reindex(years).to_numpy(dtype=float) / MONEY,
        prevent_rows=prevent_rows,
        plan_prevent=plan_prevent,
        plan_saving=lv.plan_saving.reindex(years).to_numpy(dtype=float) / MONEY,
        plan_stay=lv.plan_stay,
        support_rows=support_rows,
        support_pairs=support_pairs,
        support_stay=np.array([float(stay[p]) for _a, p in support_pairs]),
        per_team=lv.mainstream_per_team,
        enhanced_top_up=lv.enhanced_top_up.reindex(years).to_numpy(dtype=float) / MONEY,
        borrow_limit=lv.borrowing_limit / MONEY,
        borrow_charge=lv.borrowing_charge,
        transfer_room=np.maximum(0.0, lv.transfer_max - lv.transfer_base.reindex(years).fillna(0.0).to_numpy()) / MONEY,
    )


def _support(inp: ModelInputs, demand_rows: list[tuple[int, int]], demand_rhs: np.ndarray, cohort_area: np.ndarray,
             works: set[int]) -> tuple[list[tuple[int, int, int, float]], list[tuple[int, str]]]:  # fmt: skip
    lv = inp.levers
    assert lv is not None
    if lv.mainstream_per_team <= 0 or lv.mainstream_shares.empty:
        return [], []
    share = lv.mainstream_shares.set_index(["need_group", "phase"])["max_share"]
    coh = inp.cohorts
    rows, pairs, pair_pos = [], [], {}
    for r, (c, i) in enumerate(demand_rows):
        k = share.get((coh.at[c, "need_group"], coh.at[c, "phase"]))
        if k is None or k <= 0 or i not in works or demand_rhs[r] <= 1e-9:
            continue
        key = (int(cohort_area[c]), str(coh.at[c, "phase"]))
        if key not in pair_pos:
            pair_pos[key] = len(pairs)
            pairs.append(key)
        rows.append((r, pair_pos[key], i, float(k) * float(demand_rhs[r])))
    return rows, pairs


def add_lever_variables(m: pyo.ConcreteModel, lx: LeverIndex, T: int) -> None:
    """The lever variables, only where a lever can act."""
    if lx.teams:
        idx = [(a, i) for a in range(len(lx.areas)) for i in lx.team_years]
        m.Teams = pyo.Var(idx, domain=pyo.NonNegativeIntegers, bounds=lambda m, a, i: (0, lx.max_teams[a]))
    if lx.prevent_rows or lx.plan_prevent.any():
        m.Effect = pyo.Var(m.Teams.index_set(), bounds=(0, 1))
    m.Prevented = pyo.Var(range(len(lx.prevent_rows)), domain=pyo.NonNegativeReals)
    m.Supported = pyo.Var(range(len(lx.support_rows)), bounds=lambda m, k: (0, lx.support_rows[k][3]))
    m.Supported_Pupils = pyo.Var(range(len(lx.support_pairs)), range(T), domain=pyo.NonNegativeReals)
    borrow = lx.borrow_limit > 0
    m.Borrow = pyo.Var(range(T if borrow else 0), bounds=(0, lx.borrow_limit))
    room = [i for i in range(T) if lx.transfer_room[i] > 1e-9]
    m.Extra_Transfer = pyo.Var(room, bounds=lambda m, i: (0, float(lx.transfer_room[i])))


def demand_terms(m: pyo.ConcreteModel, lx: LeverIndex | None) -> dict[int, list]:
    """Demand row -> the lever variables that meet part of it (prevented, or supported in mainstream)."""
    out: dict[int, list] = {}
    if lx is None:
        return out
    for k, (r, _a, _i, _c) in enumerate(lx.prevent_rows):
        out.setdefault(r, []).append(m.Prevented[k])
    for k, (r, _q, _i, _u) in enumerate(lx.support_rows):
        out.setdefault(r, []).append(m.Supported[k])
    return out


def borrowed_by(m: pyo.ConcreteModel, i: int) -> pyo.Expression:
    """Capital borrowed up to the end of year position i."""
    if not hasattr(m, "Borrow"):
        return 0
    return sum(m.Borrow[k] for k in range(i + 1) if k in m.Borrow)


def prevented_plans(m: pyo.ConcreteModel, lx: LeverIndex, a: int, i: int) -> pyo.Expression:
    """Non-specialist plans that prevention has kept from opening and that would still be open in year i:
    sum_{k <= i} stay^(i-k) P[a,k] E[a,k]."""
    return sum(
        lx.plan_stay ** (i - k) * float(lx.plan_prevent[a, k]) * m.Effect[a, k]
        for k in range(i + 1)
        if lx.plan_prevent[a, k] > 0 and (a, k) in m.Effect
    )


def high_needs_terms(m: pyo.ConcreteModel, lx: LeverIndex | None, i: int, weighted: bool = True) -> pyo.Expression:
    """What the levers add to year i's high-needs spending less income (GBP m): enhanced top-ups, less the
    spending of prevented plans, less the extra transfer; with `weighted`, plus lambda x the money they take
    from outside the budget (the money rule: a pound outside weighs lambda pounds of shortfall)."""
    if lx is None:
        return 0
    top_ups = sum(float(lx.enhanced_top_up[i]) * m.Supported_Pupils[q, i] for q in range(len(lx.support_pairs)))
    saved = 0
    if hasattr(m, "Effect") and lx.plan_saving[i] > 0:
        saved = float(lx.plan_saving[i]) * sum(prevented_plans(m, lx, a, i) for a in range(len(lx.areas)))
    extra = m.Extra_Transfer[i] if i in m.Extra_Transfer else 0  # noqa: SIM401 - a Pyomo Var has no get
    outside = lx.weight * outside_money(m, lx, i) if weighted and lx.weight else 0
    return top_ups - saved - extra + outside


def outside_money(m: pyo.ConcreteModel, lx: LeverIndex | None, i: int) -> pyo.Expression:
    """Money outside the high-needs budget in year i (GBP m): support teams, borrowing charges (from the year
    after borrowing) and the transfer above the data's. G[t] = c_t sum_a T[a,t] + beta sum_{k<t} B[k] + X[t]."""
    if lx is None:
        return 0
    teams = sum(float(lx.team_cost[i]) * m.Teams[a, i] for a in range(len(lx.areas))
                if hasattr(m, "Teams") and (a, i) in m.Teams)  # fmt: skip
    charges = lx.borrow_charge * sum(m.Borrow[k] for k in range(i) if k in m.Borrow)
    extra = m.Extra_Transfer[i] if i in m.Extra_Transfer else 0  # noqa: SIM401 - a Pyomo Var has no get
    return teams + charges + extra


def lever_rules(m: pyo.ConcreteModel, lx: LeverIndex, T: int) -> None:
    """The levers' own rules.

    teams:      T[a,t] >= T[a,t-1];  E[a,t] <= e_k + s_k u_a T[a,t] for each segment k (u_a: coverage a team adds)
    prevention: R[c,t] <= rho f_t N[c,t] E[a(c),t]
    support:    M[c,t] <= sigma[g,p] N[c,t];  Y[a,p,t] = r_p Y[a,p,t-1] + sum_{c in (a,p)} M[c,t];
                sum_p Y[a,p,t] <= kappa T[a,t]
    borrowing:  sum_t B[t] <= limit (B also adds to the capital available; see capital_budget)
    """
    if hasattr(m, "Teams"):
        idx = list(m.Teams.index_set())
        grow = [(a, i) for a, i in idx if (a, i - 1) in m.Teams]
        m.Team_Growth = pyo.Constraint(grow, rule=lambda m, a, i: m.Teams[a, i] - m.Teams[a, i - 1] >= 0)
        if hasattr(m, "Effect"):
            segs = range(len(lx.effect_lines))

            def effect(m: pyo.ConcreteModel, a: int, i: int, k: int) -> pyo.Expression:
                e0, s = lx.effect_lines[k]
                return m.Effect[a, i] - s * float(lx.coverage_per_team[a]) * m.Teams[a, i] <= e0

            m.Team_Effect = pyo.Constraint(idx, segs, rule=effect)
    if lx.prevent_rows:
        m.Prevention_Reach = pyo.Constraint(
            range(len(lx.prevent_rows)),
            rule=lambda m, k: m.Prevented[k] - lx.prevent_rows[k][3] * m.Effect[lx.prevent_rows[k][1],
                                                                                lx.prevent_rows[k][2]] <= 0,
        )  # fmt: skip
    if lx.support_pairs:
        by_pair: dict[tuple[int, int], list[int]] = {}
        for k, (_r, q, i, _u) in enumerate(lx.support_rows):
            by_pair.setdefault((q, i), []).append(k)

        def pupils(m: pyo.ConcreteModel, q: int, i: int) -> pyo.Expression:
            prev = float(lx.support_stay[q]) * m.Supported_Pupils[q, i - 1] if i else 0
            return m.Supported_Pupils[q, i] - prev - sum(m.Supported[k] for k in by_pair.get((q, i), [])) == 0

        m.Supported_In_Mainstream = pyo.Constraint(range(len(lx.support_pairs)), range(T), rule=pupils)
        pairs_of: dict[int, list[int]] = {}
        for q, (a, _p) in enumerate(lx.support_pairs):
            pairs_of.setdefault(a, []).append(q)

        def capacity(m: pyo.ConcreteModel, a: int, i: int) -> pyo.Expression:
            teams = m.Teams[a, i] if hasattr(m, "Teams") and (a, i) in m.Teams else 0
            return sum(m.Supported_Pupils[q, i] for q in pairs_of[a]) - lx.per_team * teams <= 0

        m.Mainstream_Support_Capacity = pyo.Constraint(sorted(pairs_of), range(T), rule=capacity)
    if len(m.Borrow):
        m.Borrowing_Limit = pyo.Constraint(expr=sum(m.Borrow[i] for i in m.Borrow) <= lx.borrow_limit)


def lever_cost(m: pyo.ConcreteModel, lx: LeverIndex | None, i: int) -> pyo.Expression:
    """What the levers add to year i's cost (GBP m, undiscounted): enhanced top-ups, less the spending of prevented
    plans, plus the money outside the high-needs budget."""
    if lx is None:
        return 0
    extra = m.Extra_Transfer[i] if i in m.Extra_Transfer else 0  # noqa: SIM401 - a Pyomo Var has no get
    return high_needs_terms(m, lx, i, weighted=False) + extra + outside_money(m, lx, i)
