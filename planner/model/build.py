"""Assemble the planning MIP from the index: variables, the constraint families, and the objectives."""

from __future__ import annotations

from collections.abc import Iterable

import pyomo.environ as pyo

from planner.model import constraints
from planner.model.index import ModelIndex
from planner.model.levers import add_lever_variables
from planner.model.objectives import add_objectives

DROPPABLE = ("capacity", "placement_share", "one_project_per_site", "capital_budget", "high_needs_balance")


def build_model(ix: ModelIndex, *, drop: Iterable[str] = ()) -> pyo.ConcreteModel:
    """The planning model with its objectives defined and the cost objective active.

    Variables: New[a*T+i] >= 0 new entrants on arc a in year i; Pupils[q,i] >= 0 pupils of setting-phase
    pair q; Open[j,i] binary (project j open by year i); Places[j,i] whole places of a range project;
    Shortfall[t] >= 0 (GBP m); the levers' variables (planner/model/levers.py). `drop` leaves out constraint
    families by name, for tests that show what each family does (continuity, reach and suitability are dropped
    upstream, in the index and the inputs, because they shape the sets rather than add rows; levers by the
    scenario).
    """
    drop = set(drop)
    unknown = drop - set(DROPPABLE)
    if unknown:
        raise ValueError(f"cannot drop {sorted(unknown)}; droppable families: {DROPPABLE}")
    T = len(ix.years)
    m = pyo.ConcreteModel(name="send_place_plan")
    m.New = pyo.Var(range(ix.n_arcs * T), domain=pyo.NonNegativeReals)
    m.Pupils = pyo.Var(range(len(ix.setting_phases)), range(T), domain=pyo.NonNegativeReals)
    m.Open = pyo.Var(ix.open_index, domain=pyo.Binary)
    m.Places = pyo.Var(ix.places_index, domain=pyo.NonNegativeIntegers)  # a project's size is whole places
    m.Shortfall = pyo.Var(ix.target_years, domain=pyo.NonNegativeReals)
    if ix.levers is not None:
        add_lever_variables(m, ix.levers, T)

    for name, builder in constraints.FAMILIES.items():
        if name not in drop:
            builder(m, ix)
    if "high_needs_balance" in drop:
        for t in ix.target_years:
            m.Shortfall[t].fix(0)
    add_objectives(m, ix)
    return m
