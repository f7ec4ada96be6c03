"""Money tables: unit costs, high-needs income, the capital budget and the model parameters."""

from __future__ import annotations

import pandas as pd

from tools.norfolk.assumptions import (
    BASE_ALLOCATION_DECAY_KM,
    BASE_YEAR,
    BASE_YEAR_DEFICIT_END,
    CAPITAL_BUDGET_PER_YEAR,
    CAPITAL_CHARGE_RATE,
    COUNCIL_CONTRIBUTION,
    COUNCIL_CONTRIBUTION_LAST_YEAR,
    DISCOUNT_RATE,
    HN_DSG_2024,
    HN_DSG_GROWTH,
    HN_DSG_YEAR,
    LAST_YEAR,
    OPENING_DEFICIT,
    ROAD_CIRCUITY,
    SAFETY_VALVE,
    SCHOOLS_BLOCK_SOURCED_YEAR,
    SCHOOLS_BLOCK_TRANSFER,
    TARGET_YEAR,
    TRANSPORT_COST_GROWTH,
    TRANSPORT_PUPILS_2024,
    TRANSPORT_SPEND_2024,
    UNIT_COST_GROWTH,
    UNIT_COSTS,
    D,
    E,
    S,
)
from tools.norfolk.cohort import SPECIALIST_TYPES

INCOME_COLUMNS = ["year", "line", "amount", "basis", "source"]


def build_unit_costs() -> pd.DataFrame:
    """unit_costs.csv: place funding and top-up per pupil of each specialist setting type."""
    return pd.DataFrame(UNIT_COSTS, columns=["setting_type", "place_funding", "top_up", "basis", "source"])


def _income_rows(year: int) -> list[tuple]:
    """The four high-needs income lines of one year."""
    dsg = HN_DSG_2024 * (1 + HN_DSG_GROWTH) ** (year - HN_DSG_YEAR)
    transfer_sourced = year == SCHOOLS_BLOCK_SOURCED_YEAR
    transfer_note = (
        ""
        if transfer_sourced
        else "; assumed to continue (estimate: the council proposes ending it in 2026/27, see scenario "
        "no-transfer-from-2027)"
    )
    return [
        (
            year,
            "core_high_needs_dsg",
            round(dsg),
            E,
            f"135m in 2023/24 (NCC news release 23 Jan 2023), grown {HN_DSG_GROWTH:.0%} a year (estimate)",
        ),
        (
            year,
            "schools_block_transfer",
            SCHOOLS_BLOCK_TRANSFER,
            S if transfer_sourced else E,
            "1.5% of the schools block, about 9m (NCC news release 23 Jan 2023; MI sheet 46/24 for 2024/25)"
            + transfer_note,
        ),
        (
            year,
            "council_contribution",
            COUNCIL_CONTRIBUTION if year <= COUNCIL_CONTRIBUTION_LAST_YEAR else 0,
            S,
            "5.5m a year for six years, 2023/24 to 2028/29 (norfolk.gov.uk/article/44298)",
        ),
        (
            year,
            "safety_valve",
            SAFETY_VALVE.get(year, 0.0),
            D,
            "DfE agreement 70m: 28m (2022/23), 6m a year 2023/24-2027/28, 12m in 2028/29 (profile derived, "
            "PARAMETERS.md)",
        ),
    ]


def build_income() -> pd.DataFrame:
    """income.csv: high-needs income by year and line, base year to the last year."""
    rows = [row for year in range(BASE_YEAR, LAST_YEAR + 1) for row in _income_rows(year)]
    return pd.DataFrame(rows, columns=INCOME_COLUMNS)


def build_capital_budget() -> pd.DataFrame:
    """capital_budget.csv: capital available each year after the base year."""
    return pd.DataFrame(
        [
            (
                y,
                CAPITAL_BUDGET_PER_YEAR,
                E,
                "estimate: no published figure for Norfolk's high-needs capital; unspent capital carries forward",
            )
            for y in range(BASE_YEAR + 1, LAST_YEAR + 1)
        ],
        columns=["year", "amount", "basis", "source"],
    )


def base_year_spending(income: pd.DataFrame) -> tuple[float, float]:
    """Base-year high-needs spending (income plus the in-year deficit) and the base-year income."""
    inc = income[income.year == BASE_YEAR]["amount"].sum()
    return inc + (BASE_YEAR_DEFICIT_END - OPENING_DEFICIT), inc


def build_parameters(
    settings: pd.DataFrame,
    base: pd.DataFrame,
    phases: pd.DataFrame,
    unit_costs: pd.DataFrame,
    income: pd.DataFrame,
) -> pd.DataFrame:
    """parameters.csv, with the rate for plans the model does not place calibrated to the base-year outturn."""
    cost = unit_costs.set_index("setting_type")
    spec = settings[settings.places.notna()]
    placed = (spec.places * spec.setting_type.map(cost.place_funding)).sum() + (
        settings.base_pupils * settings.setting_type.map(cost.top_up)
    ).sum()
    spend25, inc25 = base_year_spending(income)
    placed_by_model = set(phases.loc[phases.placed_by_model, "phase"])
    modelled = base.placement_type.isin(SPECIALIST_TYPES) & base.phase.isin(placed_by_model)
    rate = (spend25 - placed) / base.loc[~modelled, "pupils"].sum()
    n_spec = base.loc[modelled, "pupils"].sum()
    in_year = (BASE_YEAR_DEFICIT_END - OPENING_DEFICIT) / 1e6
    rows = [
        ("base_year", BASE_YEAR, "year", S, "January 2025 census = 2024/25"),
        ("target_year", *TARGET_YEAR),
        (
            "opening_deficit",
            OPENING_DEFICIT,
            "GBP",
            S,
            "cumulative high-needs deficit at the end of 2023/24: 81.5m (Eastern Daily Press)",
        ),
        (
            "other_high_needs_per_plan",
            round(rate, 2),
            "GBP per plan per year",
            D,
            f"calibrated so base-year high-needs spending ({spend25 / 1e6:.2f}m = income {inc25 / 1e6:.2f}m + the "
            f"in-year deficit {in_year:.1f}m implied by 81.5m -> 115m forecast, EDP) equals placed spending plus "
            "this rate x plans the model does not place (mainstream, FE, elsewhere, early years, post-19)",
        ),
        ("unit_cost_growth", *UNIT_COST_GROWTH),
        (
            "transport_cost_per_pupil",
            round(TRANSPORT_SPEND_2024 / TRANSPORT_PUPILS_2024, 2),
            "GBP per pupil per year",
            D,
            "about 40m for about 4,100 SEND pupils in 2023/24 (norfolk.gov.uk/article/44453; EDP); the per-km "
            "rate is calibrated at run time so that base-year placements cost this on average",
        ),
        ("transport_cost_growth", *TRANSPORT_COST_GROWTH),
        ("road_circuity", *ROAD_CIRCUITY),
        ("base_allocation_decay_km", *BASE_ALLOCATION_DECAY_KM),
        ("discount_rate", *DISCOUNT_RATE),
        ("capital_charge_rate", *CAPITAL_CHARGE_RATE),
        (
            "specialist_pupils_base",
            round(n_spec, 1),
            "pupils",
            D,
            "specialist pupils in phases the model places, base year (sum of base_placements.csv)",
        ),
    ]
    return pd.DataFrame(rows, columns=["name", "value", "unit", "basis", "source"])
