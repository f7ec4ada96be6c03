"""The model's budget path beside the council's published figures, with the difference attributed.

For a published in-year deficit D_p(t) (spending less income) and the model's D_m(t), with b the base year:

    D_m(t) - D_p(t) = [D_m(b) - D_p(b)]                       base-year difference (calibration)
                    + demand(t) + unit_costs(t) - income(t)   the model's change since b, line by line
                    - [D_p(t) - D_p(b)]                       the change the council's figure implies

where, over the spending lines l of the budget (place funding, top-ups and fees by setting type, the lines the model
does not place) with price index p_l(t) (their unit-cost, inflation or growth rate since b):
demand(t) = sum_l S_l(t)/p_l(t) - S_l(b) (more pupils or plans at base-year prices), unit_costs(t) =
sum_l S_l(t) - S_l(t)/p_l(t), and income(t) = I(t) - I(b). The council's implied change holds what its programme is
to save and every assumption its published figures do not itemise. A cumulative deficit adds the in-year terms over
the years to t, the DfE contributions the model applies, and the difference in the opening deficit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.inputs import ModelInputs
from planner.runfolder import FEES_PREFIX, LINE_PREFIX
from planner.runfolder.tables import RECONCILIATION_COLUMNS


def _price_index(inp: ModelInputs, column: str, t: int) -> float:
    """p_l(t) of a budget line: its unit cost (or growth) in year t over the base year's."""
    b = inp.base_year
    if column.startswith(FEES_PREFIX):
        st = column[len(FEES_PREFIX) :]
        return float(inp.unit_costs.loc[(st, t), "top_up"] / inp.unit_costs.loc[(st, b), "top_up"] or 1.0)
    if column == "place_funding":
        pf = inp.unit_costs.xs("place_funding", axis=1)
        ratios = (pf.xs(t, level="year") / pf.xs(b, level="year")).replace([np.inf], np.nan).dropna()
        return float(ratios.mean()) if len(ratios) else 1.0
    if column.startswith(LINE_PREFIX):
        return float(inp.other_prices.loc[t, column[len(LINE_PREFIX) :]])
    return 1.0


def in_year_terms(inp: ModelInputs, budget: pd.DataFrame) -> pd.DataFrame:
    """By year: the model's in-year deficit and its change since the base year split into demand, unit costs and
    income."""
    b = budget.set_index("year")
    spending = ["place_funding", *[c for c in b.columns if c.startswith((FEES_PREFIX, LINE_PREFIX))]]
    if not any(c.startswith(LINE_PREFIX) for c in b.columns):
        spending.append("other_high_needs")
    base = inp.base_year
    rows = []
    for t in b.index:
        demand = unit = 0.0
        for c in spending:
            p = _price_index(inp, c, t) if c != "other_high_needs" else 1.0
            at_base_prices = float(b.loc[t, c]) / p if p else float(b.loc[t, c])
            demand += at_base_prices - float(b.loc[base, c])
            unit += float(b.loc[t, c]) - at_base_prices
        income = float(b.loc[t, "income_total"] - b.loc[base, "income_total"])
        rows.append((t, -float(b.loc[t, "in_year_balance"]), demand, unit, income))
    return pd.DataFrame(rows, columns=["year", "deficit", "demand", "unit_costs", "income"]).set_index("year")


def budget_reconciliation(inp: ModelInputs, budget: pd.DataFrame) -> pd.DataFrame:
    """One row per published figure: the model's value beside it and the difference attributed."""
    pub = inp.published_forecasts
    if pub.empty:
        return pd.DataFrame(columns=list(RECONCILIATION_COLUMNS))
    terms = in_year_terms(inp, budget)
    b = budget.set_index("year")
    base = inp.base_year
    published_base = _published_in_year(pub, base)
    d_base = float(terms.loc[base, "deficit"])
    rows = []
    for r in pub.sort_values(["year", "measure", "published"]).itertuples():
        row = dict(year=r.year, measure=r.measure, kind=r.kind, published=r.published, published_value=r.value,
                   source=r.source)  # fmt: skip
        if r.year in terms.index:
            row.update(_attribute(r, terms, b, base, d_base, published_base, inp))
        elif r.measure == "cumulative_deficit" and r.year == base - 1:  # the opening deficit, as the data give it
            row.update(model_value=inp.opening_deficit, difference=inp.opening_deficit - r.value)
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=list(RECONCILIATION_COLUMNS))


def _published_in_year(pub: pd.DataFrame, year: int) -> float | None:
    """The council's latest in-year deficit for a year (its forecasts and outturns), if it published one."""
    rows = pub[(pub["year"] == year) & (pub["measure"] == "in_year_deficit")].sort_values("published")
    return float(rows["value"].iloc[-1]) if len(rows) else None


def _attribute(r, terms: pd.DataFrame, b: pd.DataFrame, base: int, d_base: float, p_base: float | None,
               inp: ModelInputs) -> dict:  # fmt: skip
    """The model's value of a published figure and, for deficits, the difference split as the module says."""
    t = r.year
    p_base = d_base if p_base is None else p_base
    if r.measure in ("in_year_deficit", "cumulative_deficit"):
        years = [y for y in terms.index if y == t] if r.measure == "in_year_deficit" else [
            y for y in terms.index if base <= y <= t]  # fmt: skip
        model = float(terms.loc[t, "deficit"] if r.measure == "in_year_deficit" else b.loc[t, "cumulative_deficit"])
        contributions = (
            0.0 if r.measure == "in_year_deficit" else float(b.loc[years, "dfe_deficit_contributions"].sum())
        )
        parts = dict(
            base_year_difference=len(years) * (d_base - p_base),
            demand=float(terms.loc[years, "demand"].sum()),
            unit_costs=float(terms.loc[years, "unit_costs"].sum()),
            income=-float(terms.loc[years, "income"].sum()),
            dfe_contributions=-contributions,
        )
    else:
        model = float(b.loc[t, "spending_total" if r.measure == "high_needs_spending" else "income_total"])
        parts = {}
    out = dict(model_value=model, difference=model - r.value, **parts)
    if parts:
        out["council_implied_change"] = model - r.value - sum(parts.values())
    return out
