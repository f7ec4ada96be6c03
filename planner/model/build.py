"""Assemble the planning MIP from the index: variables, the constraint families, and two objectives.

The objectives form a lexicographic pair: first the smallest total shortfall of the high-needs budget in the
target years (so "how far short" does not depend on a penalty weight), then the cheapest plan whose shortfall
is no more than that.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyomo.environ as pyo

from planner.model import constraints
from planner.model.index import ModelIndex

# Phase 1 weighs a pound of shortfall as 100 pounds of discounted cost: the shortfall comes first and cost only
# breaks ties between equally short plans (a plain shortfall objective leaves the LP so degenerate that simplex
# stalls). No plan trades GBP 1 of high-needs shortfall for GBP 100 of transport; phase 2 then finds the cheapest
# plan with that shortfall.
SHORTFALL_WEIGHT = 100.0

DROPPABLE = ("capacity", "one_project_per_site", "capital_budget", "high_needs_balance")


def build_model(ix: ModelIndex, *, drop: Iterable[str] = ()) -> pyo.ConcreteModel:
    """The planning model with both objectives defined and the cost objective active.

    Variables: New[a*T+i] >= 0 new entrants on arc a in year i; Pupils[q,i] >= 0 pupils of setting-phase
    pair q; Open[j,i] binary (project j open by year i); Places[j,i] >= 0 places of a range project;
    Shortfall[t] >= 0 (GBP m). `drop` leaves out constraint families by name, for
    tests that show what each family does (continuity, reach and suitability are dropped upstream, in the
    index and the inputs, because they shape the sets rather than add rows).
    """
    drop = set(drop)
    unknown = drop - set(DROPPABLE)
    if unknown:
        raise ValueError(f"cannot drop {sorted(unknown)}; droppable families: {DROPPABLE}")
    T = len(ix.years)
    m = pyo.ConcreteModel(name="send_place_plan")
    m.New = pyo.Var(range(ix.n_arcs * T), domain=pyo.NonNegativeReals)
    m.Pupils = pyo.Var(range(len(ix.sp_pairs)), range(T), domain=pyo.NonNegativeReals)
    m.Open = pyo.Var(ix.open_index, domain=pyo.Binary)
    m.Places = pyo.Var(ix.places_index, domain=pyo.NonNegativeReals)
    m.Shortfall = pyo.Var(ix.target_years, domain=pyo.NonNegativeReals)

    for name, builder in constraints.FAMILIES.items():
        if name not in drop:
            builder(m, ix)
    if "high_needs_balance" in drop:
        for t in ix.target_years:
            m.Shortfall[t].fix(0)

    m.cost = pyo.Objective(expr=cost_expression(m, ix), sense=pyo.minimize)
    m.shortfall = pyo.Objective(
        expr=SHORTFALL_WEIGHT * sum(m.Shortfall[t] for t in ix.target_years) + m.cost.expr, sense=pyo.minimize
    )
    m.shortfall.deactivate()
    m.shortfall_only = pyo.Objective(expr=sum(m.Shortfall[t] for t in ix.target_years), sense=pyo.minimize)
    m.shortfall_only.deactivate()
    return m


def cost_expression(m: pyo.ConcreteModel, ix: ModelIndex):
    """Discounted cost over the planning years, GBP m.

    sum_{a,i} C[a,i] n[a,i] + sum_{s,p,t} delta_t tu[s,t] y[s,p,t] + sum_{j,t} delta_t pf[s_j,t] (P_j v[j,t] | w[j,t])
    C[a,j] = sum_{t>=j} delta_t tau_t km_a r_p^(t-j): the transport of a new entrant for as long as they stay.
    Top-ups and fees are high-needs spending; transport is the general fund's. Spending the plan cannot change
    (places already funded, other high-needs spending, the base-year pupils' transport) is reported, not here.
    """
    new, T = m.New, len(ix.years)
    nc = ix.new_cost
    transport = sum(float(nc[a, i]) * new[a * T + i] for a in range(ix.n_arcs) for i in range(T) if nc[a, i])
    pc = ix.pupils_cost
    fees = sum(float(pc[q, i]) * m.Pupils[q, i] for q in range(len(ix.sp_pairs)) for i in range(T) if pc[q, i])
    build = sum(c * m.Open[j, i] for (j, i), c in ix.open_cost.items() if c)
    build += sum(c * m.Places[j, i] for (j, i), c in ix.places_cost.items() if c)
    return transport + fees + build


def use_shortfall_objective(m: pyo.ConcreteModel, *, exact: bool = False) -> None:
    """Phase 1: minimise 100 x shortfall + cost (cost breaks ties); exact=True minimises the shortfall alone."""
    for o in (m.cost, m.shortfall, m.shortfall_only):
        o.deactivate()
    (m.shortfall_only if exact else m.shortfall).activate()


def use_cost_objective(m: pyo.ConcreteModel, shortfall_cap: float | None) -> None:
    """Phase 2: minimise cost with the total shortfall held at (or under) the phase-1 figure."""
    m.shortfall.deactivate()
    m.shortfall_only.deactivate()
    m.cost.activate()
    if hasattr(m, "Shortfall_Cap"):
        m.del_component("Shortfall_Cap")
    if shortfall_cap is not None and len(m.Shortfall):
        m.Shortfall_Cap = pyo.Constraint(expr=sum(m.Shortfall[t] for t in m.Shortfall) <= shortfall_cap)
