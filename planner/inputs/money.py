"""Money by year: unit costs grown, the transport rate calibrated to the base year, income, capital, the
high-needs spending the model does not place, discounting, and the base year's budget."""

from __future__ import annotations

import pandas as pd

from planner.data import PlanningData


def unit_costs_by_year(data: PlanningData, years: list[int]) -> pd.DataFrame:
    """Place funding and top-up by (setting_type, year): top-ups grown from the base year at the type's growth in
    unit_costs.csv (else unit_cost_growth), place funding at place_funding_growth (else unit_cost_growth)."""
    uc = data.unit_costs.set_index("setting_type")
    g = uc["growth"].astype(float).fillna(float(data.parameters["unit_cost_growth"]))
    g_places = float(data.parameters.get("place_funding_growth", data.parameters["unit_cost_growth"]))
    base = data.base_year
    by_year = {
        t: pd.DataFrame(
            {"place_funding": uc["place_funding"].astype(float) * (1 + g_places) ** (t - base),
             "top_up": uc["top_up"].astype(float) * (1 + g) ** (t - base)}
        )
        for t in years
    }  # fmt: skip
    return pd.concat(by_year, names=["year", "setting_type"]).swaplevel().sort_index()


def income_by_year(data: PlanningData, years: list[int]) -> pd.DataFrame:
    inc = data.income[["year", "line", "amount"]]
    return inc[inc["year"].isin(years)].reset_index(drop=True)


def capital_by_year(data: PlanningData, years: list[int]) -> pd.Series:
    """Capital available by year, all lines (sources) together."""
    return data.capital_budget.groupby("year")["amount"].sum().astype(float).reindex(years).fillna(0.0)


def deficit_contributions_by_year(data: PlanningData, years: list[int]) -> pd.Series:
    """DfE contributions to the cumulative deficit by year (never in the in-year balance)."""
    dc = data.deficit_contributions
    if dc.empty:
        return pd.Series(0.0, index=years)
    return dc.groupby("year")["amount"].sum().astype(float).reindex(years).fillna(0.0)


def discount_factors(data: PlanningData, years: list[int]) -> pd.Series:
    r = float(data.parameters["discount_rate"])
    return pd.Series({t: 1.0 / (1 + r) ** (t - data.base_year) for t in years})


def plans_by_year(data: PlanningData) -> pd.Series:
    return data.plans.groupby("year")["plans"].sum()


def _growth(data: PlanningData, kind: str, years: list[int]) -> pd.Series:
    rate = {"unit_cost": "unit_cost_growth", "inflation": "inflation"}.get(kind)
    g = float(data.parameters[rate]) if rate else 0.0
    return pd.Series({t: (1 + g) ** (t - data.base_year) for t in years})


def _drivers(non_specialist: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Year x driver: children with plans by placement type the model does not place, and their totals."""
    d = non_specialist.pivot_table(index="year", columns="placement_type", values="pupils", aggfunc="sum")
    d = d.reindex(years).fillna(0.0)
    out = d.rename(columns={"specialist_not_placed_by_model": "specialist_not_placed"})
    out["not_placed"] = d.sum(axis=1)
    out["fixed"] = 1.0
    return out


def other_spending(data: PlanningData, non_specialist: pd.DataFrame, transfer_cut: pd.Series,
                   years: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Year x line: the high-needs spending the model does not place. With spending_lines.csv, each line is its
    base-year amount x its driver's change since the base year x its growth, less its share of any cut in the
    schools-block transfer; without it, one line: other_high_needs_per_plan x the plans the model does not place,
    grown at unit_cost_growth. Returns the lines and their price indices (growth since the base year)."""
    drivers = _drivers(non_specialist, years)
    base = data.base_year
    lines = data.spending_lines
    if lines.empty:
        rate = float(data.parameters["other_high_needs_per_plan"])
        price = _growth(data, "unit_cost", years)
        return pd.DataFrame({"other_high_needs": rate * price * drivers["not_placed"]}), pd.DataFrame(
            {"other_high_needs": price}
        )
    cut = transfer_cut.reindex(years).fillna(0.0)
    out, prices = {}, {}
    for r in lines.itertuples():
        d = drivers[r.driver] if r.driver in drivers else pd.Series(0.0, index=years)
        change = d / d[base] if d[base] > 0 else d * 0.0
        prices[r.line] = _growth(data, r.growth, years)
        out[r.line] = r.base_amount * change * prices[r.line] - r.transfer_counterpart * cut
    return pd.DataFrame(out, index=years), pd.DataFrame(prices, index=years)


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
    by_la = s_ex["place_funding_by_la"].astype(bool).to_numpy()
    pf0 = (s_ex["places"].fillna(0) * uc["place_funding"].reindex(s_ex["setting_type"]).to_numpy() * by_la).sum()
    tu0 = (s_ex["base_pupils"] * uc["top_up"].reindex(s_ex["setting_type"]).to_numpy()).sum()
    inc0 = float(income[income["year"] == base]["amount"].sum())
    other0 = float(other.loc[base].sum())
    spend0 = float(pf0 + tu0 + other0)
    return {
        "income": inc0,
        "place_funding": float(pf0),
        "top_ups_and_fees": float(tu0),
        "other_high_needs": other0,
        "spending": spend0,
        "in_year_balance": inc0 - spend0,
        "transport": transport,
        "transport_pupils": pupils,
    }


def non_specialist_pupils(data: PlanningData, shares: pd.Series, years: list[int]) -> pd.DataFrame:
    """Children with plans outside the specialist placements the model makes, by year and placement type: the
    projection x each need group and phase's base-year share of the type, rescaled by the year's non-specialist
    share (1 - s_t) / (1 - s_b) where the specialist share s follows its trend (`shares` by year, need group,
    phase); and specialist pupils of the phases the model does not place."""
    bp = data.base_placements
    bp_all = bp.groupby(["placement_type", "need_group", "phase"])["pupils"].sum()
    tot_gp = bp.groupby(["need_group", "phase"])["pupils"].sum()
    placed = data.placed_phases
    base_share = shares.xs(data.base_year, level="year")
    rows = []
    for t in years:
        pt = data.plans[data.plans["year"] == t].set_index(["need_group", "phase"])["plans"]
        s_t = shares.xs(t, level="year").reindex(pt.index).fillna(0.0)
        s_b = base_share.reindex(pt.index).fillna(0.0)
        rescale = ((1 - s_t) / (1 - s_b).where(s_b < 1)).fillna(1.0)
        for ptype in data.placement_types.loc[~data.placement_types["specialist"], "placement_type"]:
            sh = (bp_all.xs(ptype, level="placement_type") / tot_gp).reindex(pt.index).fillna(0)
            rows.append((t, ptype, float((pt * sh * rescale).sum())))
        mask = ~pt.index.get_level_values("phase").isin(placed)
        rows.append((t, "specialist_not_placed_by_model", float((pt[mask] * s_t[mask]).sum())))
    return pd.DataFrame(rows, columns=["year", "placement_type", "pupils"])
