"""One builder per constraint family, each named for what it means to a planner.

Notation (docs/model.md has the full table): cohorts c = (zone, need group, phase p); settings s; arcs
a = (c, s), only where s is designated for the need and phase and (for state settings) within reach; planning
years t after the base year b; n[a,t] new entrants placed on arc a in year t; y[s,p,t] pupils of phase p in
setting s; v[j,t] = 1 if project j is open by year t (monotone in t). A menu project (a new school of one
size) adds P_j places; a range project (a resource base, an AP base, an expansion) adds w[j,t] places, any number
from its smallest to its largest size, growing over time. Places open in year o were built over the L_j years
before o. Money in GBP million. Each builder guards the empty
case, then adds one indexed constraint.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.model.levers import borrowed_by, demand_terms, high_needs_terms, lever_rules


def demand_met(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """Every child needing a specialist place has one, every year.

    sum_{s:(c,s) in A} n[c,s,t] (+ R[c,t] + M[c,t]) = N[c,t] = D[c,t] - r_p D[c,t-1]      for all c, t
    Children already placed stay (continuity, see pupils_in_setting), so each year only the new plans and phase
    transitions N need places. The out-of-county fallback is an arc of every cohort: always feasible. With levers,
    prevented entrants R and entrants supported in mainstream M need no specialist place (planner/model/levers).
    """
    if not ix.demand_rows:
        return
    new, T = m.New, len(ix.years)
    arcs, rhs = ix.demand_arcs, ix.demand_rhs
    met_otherwise = demand_terms(m, ix.levers)

    def rule(m: pyo.ConcreteModel, r: int) -> pyo.Expression:
        i = ix.demand_rows[r][1]
        return sum(new[int(a) * T + i] for a in arcs[r]) + sum(met_otherwise.get(r, [])) == float(rhs[r])

    m.Demand_Met = pyo.Constraint(range(len(ix.demand_rows)), rule=rule)


def pupils_in_setting(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """Continuity: pupils in a setting are those who stayed from last year plus this year's new entrants.

    y[s,p,t] = r_p y[s,p,t-1] + sum_{a at (s,p)} n[a,t],      y[s,p,b] = base-year pupils (a constant)
    A placement shrinks only as pupils leave the phase or their plan ends (rate 1 - r_p), so new places fill
    from new plans and transitions, and independent placements fall only as pupils leave.
    """
    if not ix.setting_phases:
        return
    new, pupils, T = m.New, m.Pupils, len(ix.years)

    def rule(m: pyo.ConcreteModel, q: int, i: int) -> pyo.Expression:
        r = float(ix.setting_phase_stay[q])
        entrants = sum(new[int(a) * T + i] for a in ix.setting_phase_arcs[q])
        if i == 0:
            return pupils[q, 0] - entrants == r * float(ix.setting_phase_base[q])
        return pupils[q, i] - r * pupils[q, i - 1] - entrants == 0

    m.Pupils_In_Setting = pyo.Constraint(range(len(ix.setting_phases)), range(T), rule=rule)


def capacity(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """Pupils in a setting never exceed its places less the occupancy margin; a project adds places from its
    opening year; a setting whose base-year pupils are still above the margin takes no new entrants but into new
    places.

    sum_p y[s,p,t] <= mu (K[s,t] + sum_{menu j at s} P_j v[j,t] + sum_{range j at s} w[j,t]) + X[s,t]
        for all s with finite places, t
    K[s,t]: existing places and commitments open by t; mu: the occupancy margin (places filled to at most mu x
    places); X[s,t] = max(0, E[s,t] - mu K[s,t]) with E[s,t] = sum_p r_p^(t-b) y[s,p,b] the base-year pupils still
    there: where X > 0, y = (pupils staying >= E) + new entrants, so new entrants fit only into mu x new places.
    The out-of-county independent fallback is unlimited.
    """
    if not ix.limited_settings:
        return
    by_setting = ix.pairs_by_setting()
    projects_at = ix.projects_by_setting()
    opened = set(ix.open_index)

    def rule(m: pyo.ConcreteModel, s: int, i: int) -> pyo.Expression:
        qs = by_setting.get(s, [])
        if not qs:
            return pyo.Constraint.Skip
        added = [j for j in projects_at.get(s, []) if (j, i) in opened]
        mu = ix.margin
        lhs = sum(m.Pupils[q, i] for q in qs) - sum(
            mu * m.Places[j, i] if ix.project_range[j] else mu * float(ix.project_places[j]) * m.Open[j, i]
            for j in added
        )
        return lhs <= mu * float(ix.fixed_places[s, i]) + float(ix.over_margin[s, i])

    m.Capacity = pyo.Constraint(ix.limited_settings, range(len(ix.years)), rule=rule)


def placement_share(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """Placement shares: a kind of setting takes at most a share of a cohort's new entrants each year (a resource
    base, say, takes no more of a need group than can be met in one: the rest need a special-school place).

    sum_{s of type k: (c,s) in A} n[c,s,t] <= sigma[k,g] N[c,t]      for all c = (z,g,p), t, k with sigma[k,g] < 1
    """
    if not ix.share_rows:
        return
    new, T = m.New, len(ix.years)

    def rule(m: pyo.ConcreteModel, r: int) -> pyo.Expression:
        arcs, i, share, row = ix.share_rows[r]
        return sum(new[int(a) * T + i] for a in arcs) <= share * float(ix.demand_rhs[row])

    m.Placement_Share = pyo.Constraint(range(len(ix.share_rows)), rule=rule)


def project_timing(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """A project, once open, stays open; a range project's places only grow, within its size range.

    v[j,t] >= v[j,t-1];      m_j v[j,t] <= w[j,t] <= P_j v[j,t];      w[j,t] >= w[j,t-1]
    The opening year is the first t with v[j,t] = 1.
    """
    rows = [(j, i) for j, i in ix.open_index if i > ix.project_first[j]]
    if rows:
        m.Project_Timing = pyo.Constraint(rows, rule=lambda m, j, i: m.Open[j, i] - m.Open[j, i - 1] >= 0)
    if not ix.places_index:
        return
    m.Range_Largest = pyo.Constraint(
        ix.places_index, rule=lambda m, j, i: m.Places[j, i] - float(ix.project_places[j]) * m.Open[j, i] <= 0
    )
    m.Range_Smallest = pyo.Constraint(
        ix.places_index, rule=lambda m, j, i: m.Places[j, i] - float(ix.project_min[j]) * m.Open[j, i] >= 0
    )
    grow = [(j, i) for j, i in ix.places_index if i > ix.project_first[j]]
    if grow:
        m.Range_Growth = pyo.Constraint(grow, rule=lambda m, j, i: m.Places[j, i] - m.Places[j, i - 1] >= 0)


def one_project_per_site(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """At most one project per site: one size, one designation, opened once.

    sum_{j at site k} v[j,H] <= 1      for all sites k  (= 1 for a site the scenario forces; H the last year)
    sum_{j of option o} v[j,H] = 1     for an option the scenario forces
    """
    if not ix.n_projects:
        return
    last = len(ix.years) - 1
    at_site: dict[str, list[int]] = {}
    for j, k in enumerate(ix.project_site):
        at_site.setdefault(k, []).append(j)

    def rule(m: pyo.ConcreteModel, k: str) -> pyo.Expression:
        total = sum(m.Open[j, last] for j in at_site[k])
        return total == 1 if k in ix.forced_sites else total <= 1

    m.One_Project_Per_Site = pyo.Constraint(sorted(at_site), rule=rule)
    if ix.forced_options:
        m.Forced_Option = pyo.Constraint(
            sorted(ix.forced_options), rule=lambda m, o: sum(m.Open[j, last] for j in ix.forced_options[o]) == 1
        )


def capital_budget(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """Capital spent on projects stays within the capital available; unspent capital carries forward.

    sum_j (1/L_j) sum_{z=t+1}^{t+L_j} (f_j v[j,z] + c_j w[j,z]) <= B[<=t]      for all t
    (menu projects: f_j = their capital cost, no w; range projects: fixed f_j plus c_j per place; capacity
    beyond the horizon = at the horizon.) Places open in year o are paid for evenly over the L_j build years
    o-L_j .. o-1, so by the end of year t a project has paid 1/L_j of each year's capacity that is due open
    within L_j years. B[<=t]: capital available up to t, with any capital borrowed by then (levers).
    Commitments are funded already and not counted here.
    """
    if not ix.n_projects:
        return

    def rule(m: pyo.ConcreteModel, i: int) -> pyo.Expression:
        terms = ix.capital_use[i]
        if not terms:
            return pyo.Constraint.Skip
        spent = sum(v * getattr(m, var)[j, z] for v, var, j, z in terms)
        return spent - borrowed_by(m, i) <= float(ix.capital_cum_budget[i])

    m.Capital_Budget = pyo.Constraint(range(len(ix.years)), rule=rule)


def high_needs_balance(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """The high-needs budget balances in-year from the target year on; any gap is a reported shortfall.

    sum_{s,p} tu[s,t] y[s,p,t] + sum_{menu j} pf[s_j,t] P_j v[j,t] + sum_{range j} pf[s_j,t] w[j,t]
        - shortfall[t] <= I[t] - F[t]
        for all t >= target year
    I: income (core DSG, schools-block transfer, council contribution) and any extra income of the scenario; tu:
    top-up or fee per pupil; pf: place funding per commissioned place; F: spending the plan does not change
    (places already funded, the other spending lines). Transport is the council's general fund and is not here.
    With levers the left side adds the enhanced top-ups of children supported in mainstream, less the spending
    of the non-specialist plans prevention kept from opening, less the transfer above the data's.
    """
    if not ix.target_years:
        return
    years = ix.years

    def rule(m: pyo.ConcreteModel, t: int) -> pyo.Expression:
        i = years.index(t)
        placed = sum(float(ix.top_up[s, i]) * m.Pupils[q, i] for q, (s, _p) in enumerate(ix.setting_phases))
        funded = sum(
            float(ix.place_funding[ix.project_setting[j], i])
            * (m.Places[j, i] if ix.project_range[j] else float(ix.project_places[j]) * m.Open[j, i])
            for j, k in ix.open_index
            if k == i
        )
        return placed + funded + high_needs_terms(m, ix.levers, i) - m.Shortfall[t] <= ix.budget_rhs[t]

    m.High_Needs_Balance = pyo.Constraint(ix.target_years, rule=rule)


def levers(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """The levers' own rules (planner/model/levers.py: teams, their effect, mainstream support, borrowing)."""
    if ix.levers is not None:
        lever_rules(m, ix.levers, len(ix.years))


FAMILIES = {
    "demand_met": demand_met,
    "pupils_in_setting": pupils_in_setting,
    "capacity": capacity,
    "placement_share": placement_share,
    "project_timing": project_timing,
    "one_project_per_site": one_project_per_site,
    "capital_budget": capital_budget,
    "high_needs_balance": high_needs_balance,
    "levers": levers,
}
