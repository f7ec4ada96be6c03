"""reconciliation.csv: published totals the built data should reproduce, each with its tolerance."""

from __future__ import annotations

import pandas as pd

from tools.norfolk.assumptions import (
    CHILDREN_0_15_CENSUS,
    PLANS_TOLERANCE_PCT,
    SPENDING_TOLERANCE_PCT,
    STATE_SPECIAL_PUPILS_SEN2,
)


def build_reconciliation(published: dict[str, float], spend25: float, inc25: float) -> pd.DataFrame:
    """One row per check: the published value, tolerance (%), its source and what the data value is."""
    return pd.DataFrame(
        [
            (
                "plans_base_year",
                published["plans_total"],
                PLANS_TOLERANCE_PCT,
                "SEN2 Jan 2025 headline: all EHC plans (ehcp2025_sen_needs_all_plans, 'All EHC plans' row)",
                "total of plans.csv in the base year (central), built from single-age rows",
            ),
            ("children_0_15", *CHILDREN_0_15_CENSUS, "sum of zones_msoa.geojson children_0_15"),
            (
                "state_special_pupils_in_norfolk",
                *STATE_SPECIAL_PUPILS_SEN2,
                "sum of base pupils at Norfolk state special schools (GIAS rolls)",
            ),
            (
                "base_year_high_needs_spending",
                round(spend25),
                SPENDING_TOLERANCE_PCT,
                f"2024/25 income (income.csv, {inc25 / 1e6:.2f}m) + in-year deficit 33.5m (cumulative 81.5m at March "
                "2024 -> 115m forecast for March 2025: EDP 24538383, NCC 61624)",
                "base-year spending recomputed from settings (every setting's place funding), unit_costs and "
                "other_high_needs_per_plan; with spending_lines.csv: place funding where place_funding_by_la, "
                "top-ups and the lines' base amounts give the same figure",
            ),
        ],
        columns=["measure", "published_value", "tolerance_pct", "source", "data_value_is"],
    )
