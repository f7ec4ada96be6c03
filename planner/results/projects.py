"""Result tables of projects: places by setting and year, the projects built, their places and capital by year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.inputs import ModelInputs
from planner.model.index import ModelIndex
from planner.runfolder import PROJECT_COLUMNS, PROJECT_YEAR_COLUMNS


def _values(var: pyo.Var) -> dict:
    return {k: (v.value or 0.0) for k, v in var.items()}


def _places(m: pyo.ConcreteModel) -> dict:
    """Places of range projects by (project, year): whole numbers (the solver meets integrality to about 1e-6)."""
    return {k: float(round(v)) for k, v in _values(m.Places).items()}


def capacity_by_year(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel) -> pd.DataFrame:
    """Places of every setting each planning year: existing, committed and from chosen projects."""
    cap = inp.capacity.pivot(index="setting_id", columns="year", values="places")[ix.years].copy()
    opened = _values(m.Open)
    places = _places(m)
    pr = inp.projects
    for (j, i), v in opened.items():
        if v < 0.5:
            continue
        sid = pr["setting_id"].iloc[j]
        add = places.get((j, i), 0.0) if ix.project_range[j] else float(pr["places"].iloc[j])
        cap.loc[sid, ix.years[i]] = np.nan_to_num(cap.loc[sid, ix.years[i]]) + add
    cap = cap.reset_index().melt(id_vars="setting_id", var_name="year", value_name="places")
    cap["year"] = cap["year"].astype(int)
    return cap


def projects_table(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel) -> pd.DataFrame:
    """Commitments (as delivered in the scenario) and the options the plan builds."""
    s = inp.settings
    rows = []
    for c in inp.commitments.itertuples():
        rows.append(
            dict(
                project_id=c.project_id,
                site_id=c.setting_id,
                name=c.name,
                urn=c.urn,
                kind="commitment",
                project_type=c.project_type,
                setting_type=c.setting_type,
                setting_id=c.setting_id,
                district_id=c.district_id,
                lon=c.lon,
                lat=c.lat,
                needs=";".join(c.needs),
                min_age=c.min_age,
                max_age=c.max_age,
                places=float(c.places),
                places_at_opening=float(c.places),
                start_year=np.nan,
                opening_year=int(c.opening_year),
                capital_cost=float(c.capital_cost),
            )
        )
    opened = _values(m.Open)
    places = _places(m)
    pr = inp.projects
    meta = inp.options_meta
    for j in range(ix.n_projects):
        years_open = [ix.years[i] for (jj, i), v in opened.items() if jj == j and v > 0.5]
        if not years_open:
            continue
        o = meta.loc[pr["option_id"].iloc[j]]
        first = min(years_open)
        i_first, i_last = ix.years.index(first), len(ix.years) - 1
        if ix.project_range[j]:
            p_open, p_last = places[(j, i_first)], places[(j, i_last)]
            capex = float(pr["capital_fixed"].iloc[j] + pr["capital_per_place"].iloc[j] * p_last)
        else:
            p_open = p_last = float(pr["places"].iloc[j])
            capex = float(pr["capital_fixed"].iloc[j])
        lead = int(pr["lead_time"].iloc[j])
        rows.append(
            dict(
                project_id=pr["option_id"].iloc[j],
                site_id=pr["site_id"].iloc[j],
                name=o["name"],
                urn=o["urn"],
                kind="option",
                project_type=o["option_type"],
                setting_type=o["setting_type"],
                setting_id=pr["setting_id"].iloc[j],
                district_id=o["district_id"],
                lon=o["lon"],
                lat=o["lat"],
                needs=";".join(o["needs"]),
                min_age=o["min_age"],
                max_age=o["max_age"],
                places=p_last,
                places_at_opening=p_open,
                start_year=first - lead,
                opening_year=first,
                capital_cost=capex,
            )
        )
    out = pd.DataFrame(rows, columns=list(PROJECT_COLUMNS[:-1]))
    out["setting_name"] = out["setting_id"].map(s["name"])
    if not out.empty:
        out["urn"] = out["urn"].astype("Int64")
        out["start_year"] = out["start_year"].astype("Int64")
    return out


def project_years(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel) -> pd.DataFrame:
    """Places open and capital spent, by built option and year (capital of places open in year z is spent
    evenly over the lead-time years before z, as in the capital budget constraint)."""
    opened = _values(m.Open)
    places = _places(m)
    pr = inp.projects
    rows = []
    for j in range(ix.n_projects):
        w = np.zeros(len(ix.years))
        is_open = np.zeros(len(ix.years), dtype=bool)
        for i in range(len(ix.years)):
            if opened.get((j, i), 0.0) > 0.5:
                is_open[i] = True
                w[i] = places.get((j, i), 0.0) if ix.project_range[j] else float(pr["places"].iloc[j])
        if not is_open.any():
            continue
        lead = int(pr["lead_time"].iloc[j])
        fixed, per_place = float(pr["capital_fixed"].iloc[j]), float(pr["capital_per_place"].iloc[j])
        spend = dict.fromkeys(ix.years, 0.0)
        prev_w, prev_open = 0.0, False
        for i, t in enumerate(ix.years):
            cost = (fixed if is_open[i] and not prev_open else 0.0) + per_place * max(0.0, w[i] - prev_w)
            if not ix.project_range[j]:
                cost = fixed if is_open[i] and not prev_open else 0.0
            build = range(t - lead, t) if lead else [t]
            for y in build:
                spend[y] = spend.get(y, 0.0) + cost / max(lead, 1)
            prev_w, prev_open = w[i], is_open[i]
        for i, t in enumerate(ix.years):
            rows.append(
                dict(
                    project_id=pr["option_id"].iloc[j],
                    setting_id=pr["setting_id"].iloc[j],
                    year=t,
                    places=float(w[i]),
                    capital_spent=float(spend.get(t, 0.0)),
                )
            )
    return pd.DataFrame(rows, columns=list(PROJECT_YEAR_COLUMNS))
