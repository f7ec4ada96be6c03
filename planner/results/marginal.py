"""Why the plan is as it is: the value of one more place and what binds each year, from the duals of the LP with the
plan's decisions fixed (planner.marginal; docs/model.md section 7.4). Money in GBP of the year named."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.inputs import ModelInputs
from planner.marginal import Duals
from planner.model.index import MONEY, ModelIndex
from planner.runfolder.tables import PLACE_NEED_COLUMNS, PLACE_VALUE_COLUMNS, WHAT_BINDS_COLUMNS

BINDING_GBP = 1_000.0  # capital: slack below this binds
DUAL_ZERO = 1e-9  # GBP m: a smaller dual is none


def marginal_tables(inp: ModelInputs, ix: ModelIndex, budget: pd.DataFrame, duals: Duals) -> dict[str, pd.DataFrame]:
    """place_values (every limited setting and year, and the best place by district and need) and what_binds."""
    places = _place_values(inp, ix, duals)
    return {
        "place_values": places,
        "place_values_by_need": _by_need(inp, places),
        "what_binds": _what_binds(inp, ix, budget, duals, places),
    }


def _undiscount(inp: ModelInputs, t: int) -> float:
    return 1.0 / float(inp.discount.get(t, 1.0))


def _place_values(inp: ModelInputs, ix: ModelIndex, duals: Duals) -> pd.DataFrame:
    """value_of_a_place: what one more place at the setting in that year saves over the plan's years, = -dual x mu,
    in GBP of the year (the dual is of discounted cost)."""
    cap = duals.of("Capacity")
    s = inp.settings
    rows = []
    for k in ix.limited_settings if duals.status == "optimal" else ():
        sid = s.index[k]
        for i, t in enumerate(ix.years):
            d = cap.get((k, i), 0.0)
            value = max(0.0, -d) * ix.margin * MONEY * _undiscount(inp, t)
            rows.append({"year": t, "setting_id": sid, "setting_name": s.at[sid, "name"],
                         "setting_type": s.at[sid, "setting_type"], "district_id": s.at[sid, "district_id"],
                         "full": abs(d) > DUAL_ZERO, "value_of_a_place": value})  # fmt: skip
    return pd.DataFrame(rows, columns=list(PLACE_VALUE_COLUMNS))


def _by_need(inp: ModelInputs, places: pd.DataFrame) -> pd.DataFrame:
    """By year, district and need group: the most one more place would save at a setting of the district that
    takes that need (a designation the model may use), and where."""
    cols = list(PLACE_NEED_COLUMNS)
    if places.empty:
        return pd.DataFrame(columns=cols)
    serves = inp.arcs[["cohort", "setting_id"]].assign(need_group=lambda a: a["cohort"].map(inp.cohorts["need_group"]))
    serves = serves[["setting_id", "need_group"]].drop_duplicates()
    v = places.merge(serves, on="setting_id")
    best = v.sort_values("value_of_a_place", ascending=False).drop_duplicates(["year", "district_id", "need_group"])
    return best[cols].sort_values(["year", "district_id", "need_group"]).reset_index(drop=True)


def _what_binds(inp: ModelInputs, ix: ModelIndex, budget: pd.DataFrame, duals: Duals,
                places: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Each year: capital (its slack to date), the high-needs balance (its dual), capacity (settings full and
    the most a place is worth), reach (a rule on arcs: no dual) and the shortfall cap."""
    b = budget.set_index("year")
    rows = []
    avail = (b["capital_budget"] + b.get("capital_borrowed", 0.0)).cumsum()
    slack = avail - b["capital_spent_options"].cumsum()
    hnb, cap_dual = duals.of("High_Needs_Balance"), duals.of("Shortfall_Cap")
    for t in ix.years:
        s = float(slack.get(t, np.nan))
        rows.append(
            {
                "year": t,
                "constraint": "capital",
                "binding": bool(s < BINDING_GBP and ix.open_index),  # with no project, nothing to build
                "value": s,
                "unit": "GBP of capital unspent to date",
                "meaning": "capital left to date; 0: the capital budget (and any borrowing) is used up",
            }
        )
        d = hnb.get(t)
        if d is not None:
            rows.append({"year": t, "constraint": "high-needs balance", "binding": abs(d) > DUAL_ZERO,
                         "value": -d, "unit": "GBP of plan cost a GBP of high-needs money saves",
                         "meaning": "how much cheaper the plan would be with a pound more high-needs money that "
                                    "year (0: the balance does not bind)"})  # fmt: skip
        full = places[(places["year"] == t) & places["full"]] if len(places) else places
        rows.append(
            {
                "year": t,
                "constraint": "capacity",
                "binding": bool(len(full)),
                "value": float(full["value_of_a_place"].max()) if len(full) else 0.0,
                "unit": "GBP a year the most valuable extra place saves",
                "meaning": f"{len(full)} setting(s) full (place_values.csv has each)",
            }
        )
        rows.append({"year": t, "constraint": "reach", "binding": False, "value": np.nan, "unit": "",
                     "meaning": "a rule on which placements exist (arcs beyond reach are left out), so it has no "
                                "dual; needs no state setting in reach serves are in the report"})  # fmt: skip
    if cap_dual:
        d = next(iter(cap_dual.values()))
        rows.append({"year": inp.target_year, "constraint": "shortfall cap", "binding": abs(d) > DUAL_ZERO,
                     "value": -d, "unit": "GBP of plan cost a GBP more shortfall would save",
                     "meaning": "the first aim held: what the cheapest plan would gain per pound of extra shortfall "
                                "over the target years"})  # fmt: skip
    return pd.DataFrame(rows, columns=list(WHAT_BINDS_COLUMNS))
