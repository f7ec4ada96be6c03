"""Hold a model's project decisions at those of a given plan (one plan evaluated in another future): by bounds, so
that the lexicographic solve's own fixing and unfixing of projects leaves them as held."""

from __future__ import annotations

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.model.robust import first_stage_projects


def chosen_project(ix: ModelIndex, option: str, places: float) -> int | None:
    """The project (option and size) a plan built: the option's size nearest its places (a range project has one)."""
    js = [j for j, o in enumerate(ix.project_option) if o == option]
    if not js:
        return None
    return min(js, key=lambda j: abs(float(ix.project_places[j]) - places) if not ix.project_range[j] else 0.0)


def hold_projects(
    m: pyo.ConcreteModel,
    ix: ModelIndex,
    opening: dict[str, tuple[int, float]],
    places_by_year: dict[tuple[str, int], float],
    first_stage_years: int | None,
) -> list[str]:
    """Bound Open (and Places) to a plan's projects: option -> (opening year, places at the horizon), places by
    (option, year) where known. With `first_stage_years`, only the decisions whose works start in those years (a
    robust plan's first stage), else every decision (the plan's projects and no others). Returns the options of
    the plan this model has no project for."""
    keys = set(first_stage_projects(ix, first_stage_years)) if first_stage_years else set(ix.open_index)
    chosen = {}
    missing = []
    for option, (_year, places) in opening.items():
        j = chosen_project(ix, option, places)
        if j is None:
            missing.append(option)
        else:
            chosen[j] = option
    for j, i in ix.open_index:
        if (j, i) not in keys:
            continue
        year = ix.years[i]
        on = j in chosen and opening[chosen[j]][0] <= year
        m.Open[j, i].setlb(int(on))
        m.Open[j, i].setub(int(on))
        if ix.project_range[j]:
            opt = chosen.get(j)
            size = places_by_year.get((opt, year), opening[opt][1]) if on and opt else 0.0
            m.Places[j, i].setlb(round(size))
            m.Places[j, i].setub(round(size))
    return missing
