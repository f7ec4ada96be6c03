"""Projects: each option at one size (menu: a new special school) or over its size range (range: a resource base,
an AP base, an expansion), with the years it could open within the horizon."""

from __future__ import annotations

import pandas as pd

from planner.config import Scenario
from planner.data import PlanningData

PROJECT_COLUMNS = [
    "option_id",
    "site_id",
    "setting_id",
    "option_type",
    "setting_type",
    "sizing",
    "lead_time",
    "first_opening",
    "min_places",
    "places",
    "capital_fixed",
    "capital_per_place",
]


def _sizes(o: pd.Series, sizes: pd.DataFrame) -> list[tuple[float, float, float, float]]:
    """(smallest, largest places, fixed capital, capital per place) for each project an option makes. A range
    option's capital is affine through its smallest and largest listed sizes."""
    if o["sizing"] == "range" and len(sizes) > 1:
        lo, hi = sizes.iloc[0], sizes.iloc[-1]
        per_place = (hi["capital_cost"] - lo["capital_cost"]) / (hi["places"] - lo["places"])
        fixed = lo["capital_cost"] - per_place * lo["places"]
        return [(float(lo["places"]), float(hi["places"]), float(fixed), float(per_place))]
    return [(float(sz.places), float(sz.places), float(sz.capital_cost), 0.0) for sz in sizes.itertuples()]


def projects_table(data: PlanningData, scen: Scenario, years: list[int], horizon: int) -> pd.DataFrame:
    """Every project of every option that can open by the horizon (`data` has the scenario applied)."""
    rows = []
    for oid, o in data.options.set_index("option_id").iterrows():
        lead = int(o["lead_time_years"])
        first_open = max(int(o["earliest_start"]), years[0]) + lead
        if first_open > horizon:
            continue
        setting_id = o["setting_id"] if o["option_type"] == "expansion" else oid
        sizes = data.option_sizes[data.option_sizes["option_id"] == oid].sort_values("places")
        base = (oid, o["site_id"], setting_id, o["option_type"], o["setting_type"], o["sizing"], lead, first_open)
        rows += [(*base, *size) for size in _sizes(o, sizes)]
    projects = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    projects.index.name = "project"
    for oid in scen.force_options:
        if not (projects["option_id"].eq(oid) | projects["site_id"].eq(oid)).any():
            raise scen.error(
                "force_options",
                f"option '{oid}' cannot open within the horizon (lead time too long, or forbidden)",
                "extend horizon_end or drop the option",
            )
    return projects
