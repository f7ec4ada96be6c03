"""The objectives, named for what they are, and the switches the lexicographic solve (planner/lexicographic.py)
uses.

- least_shortfall: the first aim, the total shortfall of the high-needs budget over the target years, where the
  money the levers take from outside it counts lambda to the pound (docs/model.md section 11: one pound of public
  money alike by default), so that no lever is chosen only because its cost falls on another budget;
- cost: the discounted cost of the plan (transport, top-ups and fees, place funding, an optional capital charge,
  the levers' spending and outside money), with the first aim held under a cap (the second aim).
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.model.levers import lever_cost


def cost_expression(m: pyo.ConcreteModel, ix: ModelIndex) -> pyo.Expression:
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
    fees = sum(float(pc[q, i]) * m.Pupils[q, i] for q in range(len(ix.setting_phases)) for i in range(T) if pc[q, i])
    build = sum(c * m.Open[j, i] for (j, i), c in ix.open_cost.items() if c)
    build += sum(c * m.Places[j, i] for (j, i), c in ix.places_cost.items() if c)
    levers = sum(float(ix.discount[i]) * lever_cost(m, ix.levers, i) for i in range(T)) if ix.levers else 0
    return transport + fees + build + levers


def first_aim_expression(m: pyo.ConcreteModel, ix: ModelIndex) -> pyo.Expression:
    """sum_{t >= target} shortfall[t], GBP m (the levers' outside money is in each year's balance, lambda to the
    pound: high_needs_balance)."""
    return sum(m.Shortfall[t] for t in ix.target_years)


def add_objectives(m: pyo.ConcreteModel, ix: ModelIndex) -> None:
    """The two objectives, cost active."""
    m.cost = pyo.Objective(expr=cost_expression(m, ix), sense=pyo.minimize)
    m.first_aim = pyo.Expression(expr=first_aim_expression(m, ix))
    m.least_shortfall = pyo.Objective(expr=m.first_aim, sense=pyo.minimize)
    m.least_shortfall.deactivate()


def _activate(m: pyo.ConcreteModel, objective: pyo.Objective) -> None:
    for o in (m.cost, m.least_shortfall):
        o.deactivate()
    objective.activate()


def use_least_shortfall(m: pyo.ConcreteModel) -> None:
    """The first aim: minimise the total shortfall (no cap on it)."""
    _activate(m, m.least_shortfall)
    if hasattr(m, "Shortfall_Cap"):
        m.del_component("Shortfall_Cap")


def use_cost(m: pyo.ConcreteModel, shortfall_cap: float | None) -> None:
    """The second aim: minimise cost with the first aim held at (or under) `shortfall_cap` (GBP m)."""
    _activate(m, m.cost)
    if hasattr(m, "Shortfall_Cap"):
        m.del_component("Shortfall_Cap")
    if shortfall_cap is not None and len(m.Shortfall):
        m.Shortfall_Cap = pyo.Constraint(expr=m.first_aim <= shortfall_cap)
