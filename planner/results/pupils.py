"""Result tables of pupils: placements, places and pupils by setting, sufficiency by district, and the KPIs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.data.geography import serves_phase
from planner.data.schema import STATE_TYPES
from planner.inputs import ModelInputs
from planner.model.index import ModelIndex, placements_from_new
from planner.runfolder import PLACEMENT_COLUMNS, SETTING_YEAR_COLUMNS, SUFFICIENCY_COLUMNS

EPS = 1e-6


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
