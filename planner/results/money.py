"""Result tables of money: the high-needs budget path by line, and the discounted totals the objective weighs."""

from __future__ import annotations

import pandas as pd

from planner.inputs import ModelInputs
from planner.runfolder import FEES_PREFIX, INCOME_PREFIX, LINE_PREFIX


def _place_funding(inp: ModelInputs, sby: pd.DataFrame, t: int) -> float:
    """Place funding the council pays in year t: every place but the existing places of settings whose place
    funding the DfE deducts and pays directly (academies), which are outside both sides of the budget."""
    s = sby[sby["year"] == t]
    recouped = inp.settings["places"].where(~inp.settings["place_funding_by_la"].astype(bool), 0.0).fillna(0.0)
    charged = s["places"].fillna(0) - s["setting_id"].map(recouped).fillna(0.0).to_numpy()
    pf = inp.unit_costs.xs(t, level="year")["place_funding"]
    return float((charged * s["setting_type"].map(pf).to_numpy()).sum())


def budget_table(
    inp: ModelInputs,
    sby: pd.DataFrame,
    placements: pd.DataFrame,
    proj_years: pd.DataFrame,
    levers: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """The high-needs budget path, with transport and capital on their own lines outside the balance; DfE
    contributions to the deficit lower the cumulative deficit, not the in-year balance. With levers: the
    transfer above the data's is income; enhanced top-ups are spending and prevented plans' spending is saved;
    support teams and borrowing charges are the general fund's, and borrowing adds to the capital available."""
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
        lever = _lever_lines(levers, t, inp.levers.weight if inp.levers is not None else 0.0)
        spending = pf + sum(fees.values()) + float(lines.sum()) + lever["spending"]
        income = float(inc.loc[t].sum()) + lever["income"]
        balance = income - spending
        contribution = float(inp.deficit_contributions.get(t, 0.0))
        deficit = deficit - balance - contribution
        p = placements[placements["year"] == t]
        transport = float((p["pupils"] * inp.transport.in_year(p["journey_km"], p["setting_type"], t)).sum())
        row = {
            "year": t,
            **{f"{INCOME_PREFIX}{k}": float(v) for k, v in inc.loc[t].items()},
            **lever["income_lines"],
            "income_total": income,
            "place_funding": pf,
            **fees,
            **{f"{LINE_PREFIX}{k}": float(v) for k, v in lines.items()},
            "other_high_needs": float(lines.sum()),
            **lever["spending_lines"],
            "spending_total": spending,
            "in_year_balance": balance,
            "dfe_deficit_contributions": contribution,
            "cumulative_deficit": deficit,
            "shortfall": max(0.0, -balance + lever["weighted_outside"])
            if t in inp.target_years and inp.balance_test
            else 0.0,
            "transport_general_fund": transport,
            "capital_spent_options": float(proj_years.loc[proj_years["year"] == t, "capital_spent"].sum()),
            "capital_budget": float(inp.capital_budget.get(t, 0.0)) if t > inp.base_year else 0.0,
            **lever["outside"],
        }
        rows.append(row)
    return pd.DataFrame(rows)


def _lever_lines(levers: dict[str, pd.DataFrame] | None, t: int, weight: float) -> dict:
    """Year t's lever lines of the budget (none without levers; zeros in the base year)."""
    if not levers:
        return {"income": 0.0, "spending": 0.0, "income_lines": {}, "spending_lines": {}, "outside": {},
                "weighted_outside": 0.0}  # fmt: skip
    a = levers["levers_by_area"]
    a = a[a["year"] == t]
    mo = levers["lever_money"].set_index("year")
    extra = float(mo.at[t, "transfer_extra"]) if t in mo.index else 0.0
    top_ups, saved = float(a["enhanced_top_ups"].sum()), float(a["prevention_saving"].sum())
    outside = float(mo.at[t, "outside_money"]) if t in mo.index else 0.0
    return {
        "weighted_outside": weight * outside,
        "income": extra,
        "spending": top_ups - saved,
        "income_lines": {f"{INCOME_PREFIX}transfer_above_data": extra},
        "spending_lines": {"mainstream_enhanced_top_ups": top_ups, "prevention_saving": -saved},
        "outside": {
            "support_teams_general_fund": float(a["team_cost"].sum()),
            "borrowing_charges_general_fund": float(mo.at[t, "borrowing_charge"]) if t in mo.index else 0.0,
            "capital_borrowed": float(mo.at[t, "borrowed"]) if t in mo.index else 0.0,
        },
    }


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
    lever_cols = ("mainstream_enhanced_top_ups", "prevention_saving", "support_teams_general_fund",
                  "borrowing_charges_general_fund", f"{INCOME_PREFIX}transfer_above_data")  # fmt: skip
    out.update({c: float((b[c] * d).sum()) for c in lever_cols if c in b.columns})
    out["total"] = sum(out.values())
    return out
