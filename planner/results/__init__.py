"""Tidy result tables from a solved model: what reports, maps and checks read (never the model itself).

Money in GBP (not millions), pupils fractional (expected values), places whole, distances in road km.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from planner.inputs import ModelInputs
from planner.model.index import ModelIndex
from planner.results.levers import lever_tables
from planner.results.money import budget_table, objective_breakdown
from planner.results.projects import capacity_by_year, project_years, projects_table
from planner.results.pupils import kpis_table, placements_table, settings_by_year, sufficiency_table
from planner.results.reconcile import budget_reconciliation

__all__ = ["objective_breakdown", "result_tables"]


def result_tables(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel) -> dict[str, pd.DataFrame]:
    cap = capacity_by_year(inp, ix, m)
    projects = projects_table(inp, ix, m)
    proj_years = project_years(inp, ix, m)
    placements = placements_table(inp, ix, m)
    sby = settings_by_year(inp, placements, cap)
    levers = lever_tables(inp, ix, m)
    budget = budget_table(inp, sby, placements, proj_years, levers)
    return {
        **levers,
        "projects": projects,
        "project_years": proj_years,
        "placements": placements,
        "settings_by_year": sby,
        "sufficiency": sufficiency_table(inp, placements, sby),
        "budget": budget,
        "kpis": kpis_table(inp, placements, budget),
        "budget_reconciliation": budget_reconciliation(inp, budget),
    }
