"""Marginal values of a solved plan: the LP with its project, place and team decisions fixed, solved once more for
its duals (docs/model.md section 7.4). The model and its index say what each dual means; planner.results.marginal
turns them into tables."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyomo.environ as pyo

from planner.highs import lp_duals

DECISIONS = ("Open", "Places", "Teams")  # the whole-number decisions fixed before the LP


@dataclass
class Duals:
    """The duals of the fixed-decision LP by constraint family and index (GBP m of discounted cost a unit)."""

    status: str
    by_family: dict[str, dict[object, float]] = field(default_factory=dict)

    def of(self, family: str) -> dict[object, float]:
        return self.by_family.get(family, {})


def fixed_decision_duals(m: pyo.ConcreteModel, threads: int | None = None) -> Duals:
    """Fix the plan's opening decisions, places and teams at their (whole) values, solve the LP of the active
    objective (the cheapest plan with the shortfall capped) and return its duals; the model is left as found."""
    saved = []
    for name in DECISIONS:
        for v in getattr(m, name).values() if hasattr(m, name) else ():
            saved.append((v, v.fixed, v.domain))
            v.fix(round(v.value or 0.0))
            v.domain = pyo.Reals
    try:
        status, duals = lp_duals(m, threads)
    finally:
        for v, was_fixed, domain in saved:
            v.domain = domain
            if not was_fixed:
                v.unfix()
    out: dict[str, dict[object, float]] = {}
    for con, d in duals.items():
        comp = con.parent_component()
        out.setdefault(comp.local_name, {})[con.index()] = d
    return Duals(status, out)
