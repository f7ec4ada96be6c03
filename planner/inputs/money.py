"""Money by year: unit costs grown, the transport rate calibrated to the base year, income, capital, the
high-needs spending the model does not place, discounting, and the base year's budget."""

from __future__ import annotations

import pandas as pd

from planner.data import PlanningData


def unit_costs_by_year(data: PlanningData, years: list[int]) -> pd.DataFrame:
    """Place funding and top-up by (setting_type, year), grown at unit_cost_growth from the base year."""
    uc = data.unit_costs.set_index("setting_type")[["place_funding", "top_up"]].astype(float)
    g = float(data.parameters["unit_cost_growth"])
    base = data.base_year
    return (
        pd.concat({t: uc * (1 + g) ** (t - base) for t in years}, names=["year", "setting_type"])
        .swaplevel()
        .sort_index()
    )


def transport_rate(data: PlanningData, pupils: float, pupil_km: float, years: list[int]) -> pd.Series:
    """GBP per pupil per road km (one way) per year, calibrated so that the base year's placements (`pupils`
    travelling `pupil_km` in all) cost transport_cost_per_pupil on average; grown at transport_cost_growth."""
    p = data.parameters
    rate0 = float(p["transport_cost_per_pupil"]) * pupils / pupil_km if pupil_km > 0 else 0.0
    g = float(p["transport_cost_growth"])
    return pd.Series({t: rate0 * (1 + g) ** (t - data.base_year) for t in years}, name="gbp_per_km")


def income_by_year(data: PlanningData, years: list[int]) -> pd.DataFrame:
    inc = data.income[["year", "line", "amount"]]
    return inc[inc["year"].isin(years)].reset_index(drop=True)


def capital_by_year(data: PlanningData, years: list[int]) -> pd.Series:
    return data.capital_budget.set_index("year")["amount"].astype(float).reindex(years).fillna(0.0)


def discount_factors(data: PlanningData, years: list[int]) -> pd.Series:
    r = float(data.parameters["discount_rate"])
    return pd.Series({t: 1.0 / (1 + r) ** (t - data.base_year) for t in years})


def plans_by_year(data: PlanningData) -> pd.Series:
    return data.plans.groupby("year")["plans"].sum()


def other_spending(data: PlanningData, specialist_by_year: pd.Series, years: list[int]) -> pd.Series:
    """High-needs spending the model does not place: other_high_needs_per_plan x the plans it does not place."""
    plans = plans_by_year(data)
    rate = float(data.parameters["other_high_needs_per_plan"])
    g = float(data.parameters["unit_cost_growth"])
    base = data.base_year
    return pd.Series({t: rate * (1 + g) ** (t - base) * (plans[t] - specialist_by_year[t]) for t in years})


def base_year_budget(
    data: PlanningData,
    settings: pd.DataFrame,
    unit_costs: pd.DataFrame,
    income: pd.DataFrame,
    other: pd.Series,
    transport: float,
    pupils: float,
) -> dict[str, float]:
    """The base year's high-needs budget, from the existing settings' places and pupils."""
    base = data.base_year
    uc = unit_costs.xs(base, level="year")
    s_ex = settings[settings["origin"] == "existing"]
    pf0 = (s_ex["places"].fillna(0) * uc["place_funding"].reindex(s_ex["setting_type"]).to_numpy()).sum()
    tu0 = (s_ex["base_pupils"] * uc["top_up"].reindex(s_ex["setting_type"]).to_numpy()).sum()
    inc0 = float(income[income["year"] == base]["amount"].sum())
    spend0 = float(pf0 + tu0 + other[base])
    return {
        "income": inc0,
        "place_funding": float(pf0),
        "top_ups_and_fees": float(tu0),
        "other_high_needs": other[base],
        "spending": spend0,
        "in_year_balance": inc0 - spend0,
        "transport": transport,
        "transport_pupils": pupils,
    }


def non_specialist_pupils(data: PlanningData, share: pd.Series, years: list[int]) -> pd.DataFrame:
    """Children with plans outside the specialist placements the model makes, by year and placement type (for the
    share-in-mainstream indicator): base-year shares of each need group and phase x the projection."""
    bp = data.base_placements
    bp_all = bp.groupby(["placement_type", "need_group", "phase"])["pupils"].sum()
    tot_gp = bp.groupby(["need_group", "phase"])["pupils"].sum()
    placed = data.placed_phases
    rows = []
    for t in years:
        pt = data.plans[data.plans["year"] == t].set_index(["need_group", "phase"])["plans"]
        for ptype in data.placement_types.loc[~data.placement_types["specialist"], "placement_type"]:
            sh = bp_all.xs(ptype, level="placement_type") / tot_gp
            rows.append((t, ptype, float((pt * sh.reindex(pt.index).fillna(0)).sum())))
        mask = ~pt.index.get_level_values("phase").isin(placed)
        spec_share = share.reindex(pt.index).fillna(0)
        rows.append((t, "specialist_not_placed_by_model", float((pt[mask] * spec_share[mask]).sum())))
    return pd.DataFrame(rows, columns=["year", "placement_type", "pupils"])
