"""Tidy result tables from a solved model: what reports, maps and checks read (never the model itself).

Money in GBP (not millions), pupils fractional (expected values), distances in road km.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.data.geography import serves_phase
from planner.data.schema import STATE_TYPES
from planner.inputs import ModelInputs
from planner.model.index import ModelIndex, placements_from_new
from planner.runfolder import (
    FEES_PREFIX,
    INCOME_PREFIX,
    LINE_PREFIX,
    PLACEMENT_COLUMNS,
    PROJECT_COLUMNS,
    PROJECT_YEAR_COLUMNS,
    SETTING_YEAR_COLUMNS,
    SUFFICIENCY_COLUMNS,
)

EPS = 1e-6


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


def placements_table(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel) -> pd.DataFrame:
    """Pupils by year, home zone, need group, phase and setting (base year included; legacy marked)."""
    T = len(ix.years)
    new = np.zeros(ix.n_arcs * T)
    for k, v in m.New.items():
        new[k] = v.value or 0.0
    x = placements_from_new(ix, inp, new)
    x.insert(0, inp.base_year, inp.arcs["base_pupils"].to_numpy())
    arcs = inp.arcs[["cohort", "setting_id", "road_km"]]
    wide = pd.concat([arcs, x], axis=1)
    long = wide.melt(id_vars=["cohort", "setting_id", "road_km"], var_name="year", value_name="pupils")
    long["legacy"] = False
    leg = inp.legacy[["cohort", "setting_id", "road_km", "year", "pupils"]].copy()
    leg0 = inp.legacy[inp.legacy["year"] == ix.years[0]].copy()
    if len(leg0):
        stay = leg0["cohort"].map(inp.cohorts["stay_rate"])
        leg0 = leg0.assign(year=inp.base_year, pupils=leg0["pupils"] / stay.where(stay > 0, 1.0))
    leg = pd.concat([leg0[leg.columns], leg], ignore_index=True) if len(leg0) else leg
    leg["legacy"] = True
    out = pd.concat([long, leg], ignore_index=True)
    out = out[out["pupils"] > EPS].copy()
    out["year"] = out["year"].astype(int)
    out["pupils"] = out["pupils"].astype(float)
    out["road_km"] = out["road_km"].astype(float)
    coh = inp.cohorts
    out["zone_id"] = out["cohort"].map(coh["zone_id"])
    out["district_id"] = out["cohort"].map(coh["district_id"])
    out["need_group"] = out["cohort"].map(coh["need_group"])
    out["phase"] = out["cohort"].map(coh["phase"])
    out["setting_type"] = out["setting_id"].map(inp.settings["setting_type"])
    out["out_of_county"] = out["setting_id"].map(inp.settings["out_of_county"]).astype(bool)
    return (
        out.rename(columns={"road_km": "journey_km"})[list(PLACEMENT_COLUMNS)]
        .sort_values(["year", "zone_id", "need_group", "phase", "setting_id"])
        .reset_index(drop=True)
    )


def settings_by_year(inp: ModelInputs, placements: pd.DataFrame, capacity: pd.DataFrame) -> pd.DataFrame:
    """Places and pupils of every setting each year (base year: existing places and base pupils)."""
    s = inp.settings
    pupils = placements.groupby(["setting_id", "year"])["pupils"].sum().rename("pupils")
    base = pd.DataFrame({"setting_id": s.index, "year": inp.base_year, "places": s["places"].to_numpy()})
    cap = pd.concat([base, capacity], ignore_index=True)
    out = cap.merge(pupils.reset_index(), on=["setting_id", "year"], how="left").fillna({"pupils": 0.0})
    out["name"] = out["setting_id"].map(s["name"])
    out["setting_type"] = out["setting_id"].map(s["setting_type"])
    out["origin"] = out["setting_id"].map(s["origin"])
    out["district_id"] = out["setting_id"].map(s["district_id"])
    out["out_of_county"] = out["setting_id"].map(s["out_of_county"]).astype(bool)
    out["urn"] = out["setting_id"].map(s["urn"]).astype("Int64")
    out["lon"] = out["setting_id"].map(s["lon"])
    out["lat"] = out["setting_id"].map(s["lat"])
    keep = (out["pupils"] > EPS) | (out["places"].fillna(0) > EPS)
    return out[keep][list(SETTING_YEAR_COLUMNS)].sort_values(["setting_id", "year"]).reset_index(drop=True)


def _place_funding(inp: ModelInputs, sby: pd.DataFrame, t: int) -> float:
    """Place funding the council pays in year t: every place but the existing places of settings whose place
    funding the DfE deducts and pays directly (academies), which are outside both sides of the budget."""
    s = sby[sby["year"] == t]
    recouped = inp.settings["places"].where(~inp.settings["place_funding_by_la"].astype(bool), 0.0).fillna(0.0)
    charged = s["places"].fillna(0) - s["setting_id"].map(recouped).fillna(0.0).to_numpy()
    pf = inp.unit_costs.xs(t, level="year")["place_funding"]
    return float((charged * s["setting_type"].map(pf).to_numpy()).sum())


def budget_table(
    inp: ModelInputs, sby: pd.DataFrame, placements: pd.DataFrame, proj_years: pd.DataFrame
) -> pd.DataFrame:
    """The high-needs budget path, with transport and capital on their own lines outside the balance; DfE
    contributions to the deficit lower the cumulative deficit, not the in-year balance."""
    years = [inp.base_year, *inp.years]
    uc = inp.unit_costs
    inc = inp.income.pivot(index="year", columns="line", values="amount").reindex(years)
    rows = []
    deficit = float(inp.opening_deficit)
    for t in years:
        s = sby[sby["year"] == t]
        pf = _place_funding(inp, sby, t)
        fees = {}
        for st in sorted(uc.index.get_level_values(0).unique()):
            ss = s[s["setting_type"] == st]
            fees[f"{FEES_PREFIX}{st}"] = float(ss["pupils"].sum() * uc.loc[(st, t), "top_up"])
        lines = inp.other_lines.loc[t]
        spending = pf + sum(fees.values()) + float(lines.sum())
        income = float(inc.loc[t].sum())
        balance = income - spending
        contribution = float(inp.deficit_contributions.get(t, 0.0))
        deficit = deficit - balance - contribution
        p = placements[placements["year"] == t]
        transport = float((p["pupils"] * inp.transport.in_year(p["journey_km"], p["setting_type"], t)).sum())
        row = {
            "year": t,
            **{f"{INCOME_PREFIX}{k}": float(v) for k, v in inc.loc[t].items()},
            "income_total": income,
            "place_funding": pf,
            **fees,
            **{f"{LINE_PREFIX}{k}": float(v) for k, v in lines.items()},
            "other_high_needs": float(lines.sum()),
            "spending_total": spending,
            "in_year_balance": balance,
            "dfe_deficit_contributions": contribution,
            "cumulative_deficit": deficit,
            "shortfall": max(0.0, -balance) if t in inp.target_years and inp.balance_test else 0.0,
            "transport_general_fund": transport,
            "capital_spent_options": float(proj_years.loc[proj_years["year"] == t, "capital_spent"].sum()),
            "capital_budget": float(inp.capital_budget.get(t, 0.0)) if t > inp.base_year else 0.0,
        }
        rows.append(row)
    return pd.DataFrame(rows)


def sufficiency_table(inp: ModelInputs, placements: pd.DataFrame, sby: pd.DataFrame) -> pd.DataFrame:
    """Year x district x need group x phase: demand, local places, where children are placed, unmet local need."""
    p = placements.copy()
    state_local = p["setting_type"].isin(STATE_TYPES) & ~p["out_of_county"]
    p["placed_locally"] = np.where(state_local, p["pupils"], 0.0)
    p["placed_independent_or_out_of_county"] = np.where(state_local, 0.0, p["pupils"])
    keys = ["year", "district_id", "need_group", "phase"]
    agg = p.groupby(keys)[["pupils", "placed_locally", "placed_independent_or_out_of_county"]].sum()
    agg = agg.rename(columns={"pupils": "demand"}).reset_index()
    agg["unmet_local_need"] = agg["placed_independent_or_out_of_county"]
    # places in the district's state settings designated for the need and phase (a setting serving several
    # needs or phases counts in each of their rows)
    s = inp.settings
    phases = inp.cohorts[["phase"]].drop_duplicates()["phase"].tolist()
    ages = inp.phase_ages
    rows = []
    st = sby[sby["setting_type"].isin(STATE_TYPES) & ~sby["out_of_county"]]
    for r in st.itertuples():
        srow = s.loc[r.setting_id]
        for ph in phases:
            if not serves_phase(srow["min_age"], srow["max_age"], *ages[ph]):
                continue
            for g in srow["needs"]:
                rows.append((r.year, r.district_id, g, ph, r.places))
    places = pd.DataFrame(rows, columns=keys + ["state_places_in_district"]).groupby(keys).sum().reset_index()
    out = agg.merge(places, on=keys, how="left").fillna({"state_places_in_district": 0.0})
    return out[list(SUFFICIENCY_COLUMNS)]


def kpis_table(inp: ModelInputs, placements: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    years = [inp.base_year, *inp.years]
    ns = inp.non_specialist.pivot(index="year", columns="placement_type", values="pupils")
    rows = []
    b = budget.set_index("year")
    for t in years:
        p = placements[placements["year"] == t]
        spec = float(p["pupils"].sum())
        srb = float(p.loc[p["setting_type"] == "srb", "pupils"].sum())
        state_local = float(p.loc[p["setting_type"].isin(STATE_TYPES) & ~p["out_of_county"], "pupils"].sum())
        indep = float(p.loc[p["setting_type"] == "independent", "pupils"].sum())
        total = spec + float(ns.loc[t].sum())
        mainstream = float(ns.loc[t].get("mainstream", 0.0)) + srb
        rows.append(
            dict(
                year=t,
                children_with_plans=total,
                specialist_pupils=spec,
                share_mainstream=mainstream / total,
                share_state_specialist_in_county=state_local / total,
                share_independent=indep / total,
                pupils_out_of_county=float(p.loc[p["out_of_county"], "pupils"].sum()),
                mean_journey_km=float((p["pupils"] * p["journey_km"]).sum() / spec) if spec else 0.0,
                transport_cost=float(b.loc[t, "transport_general_fund"]),
                high_needs_spending=float(b.loc[t, "spending_total"]),
                in_year_balance=float(b.loc[t, "in_year_balance"]),
                cumulative_deficit=float(b.loc[t, "cumulative_deficit"]),
            )
        )
    out = pd.DataFrame(rows)
    bal = out[out["year"].isin(inp.target_years) & (out["in_year_balance"] >= -0.5)]["year"]
    balanced_from = None
    for y in sorted(bal):
        if all(out.loc[out["year"] >= y, "in_year_balance"] >= -0.5):
            balanced_from = int(y)
            break
    out["year_of_balance"] = balanced_from if balanced_from is not None else pd.NA
    out["year_of_balance"] = out["year_of_balance"].astype("Int64")
    return out


def objective_breakdown(inp: ModelInputs, budget: pd.DataFrame) -> dict[str, float]:
    """Discounted totals over the planning years (GBP) of the lines the objective weighs."""
    b = budget.set_index("year").loc[inp.years]
    d = inp.discount.reindex(inp.years)
    fee_cols = [c for c in b.columns if c.startswith(FEES_PREFIX)]
    out = {
        "transport": float((b["transport_general_fund"] * d).sum()),
        "place_funding": float((b["place_funding"] * d).sum()),
        **{c: float((b[c] * d).sum()) for c in fee_cols},
    }
    out["total"] = sum(out.values())
    return out


def result_tables(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel) -> dict[str, pd.DataFrame]:
    cap = capacity_by_year(inp, ix, m)
    projects = projects_table(inp, ix, m)
    proj_years = project_years(inp, ix, m)
    placements = placements_table(inp, ix, m)
    sby = settings_by_year(inp, placements, cap)
    budget = budget_table(inp, sby, placements, proj_years)
    return {
        "projects": projects,
        "project_years": proj_years,
        "placements": placements,
        "settings_by_year": sby,
        "sufficiency": sufficiency_table(inp, placements, sby),
        "budget": budget,
        "kpis": kpis_table(inp, placements, budget),
    }
