"""Money tables: unit costs, high-needs income, the capital budget by source and the model parameters."""

from __future__ import annotations

import pandas as pd

from tools.norfolk.assumptions import (
    BASE_ALLOCATION_DECAY_KM,
    BASE_YEAR,
    CAPITAL_CHARGE_RATE,
    COUNCIL_CAPITAL,
    COUNCIL_CAPITAL_YEARS,
    COUNCIL_CONTRIBUTION,
    COUNCIL_CONTRIBUTION_LAST_YEAR,
    DFE_CAPITAL_2026,
    DFE_CAPITAL_LATER,
    DISCOUNT_RATE,
    HN_DSG_2024,
    HN_DSG_GROWTH,
    INCOME_GROWTH,
    INCOME_LAST_PUBLISHED_YEAR,
    INFLATION,
    LAST_YEAR,
    OCCUPANCY_MARGIN,
    OPENING_DEFICIT,
    PLACE_FUNDING_GROWTH,
    ROAD_CIRCUITY,
    TARGET_YEAR,
    TRANSFER,
    TRANSFER_LATER,
    TRANSPORT_2023,
    TRANSPORT_2024,
    TRANSPORT_2025_SPEND,
    TRANSPORT_PUPIL_GROWTH,
    UNIT_COST_GROWTH,
    UNIT_COSTS,
    D,
    E,
    S,
)

INCOME_COLUMNS = ["year", "line", "amount", "basis", "source", "growth"]
SRC_135M = (
    "about 135m in 2023/24 (sourced: NCC news release 44240, 23 Jan 2023; Room151), taken as net of the DfE's "
    "academy place deductions (estimate, BUDGET.md 1.6a)"
)


def build_unit_costs() -> pd.DataFrame:
    """unit_costs.csv: place funding and top-up per pupil of each specialist setting type, and any own growth."""
    return pd.DataFrame(UNIT_COSTS, columns=["setting_type", "place_funding", "top_up", "basis", "source", "growth"])


def core_block() -> dict[int, tuple[float, str, str]]:
    """The core high-needs block by year: amount, basis and source (published growth, then the central rate)."""
    central = INCOME_GROWTH["income_growth_central"][0]
    last = INCOME_LAST_PUBLISHED_YEAR[0]
    amount, steps, out = float(HN_DSG_2024), [SRC_135M], {}
    for year in range(BASE_YEAR, LAST_YEAR + 1):
        g = HN_DSG_GROWTH[year][0] if year in HN_DSG_GROWTH else central
        if year in HN_DSG_GROWTH:
            steps.append(f"{year - 1}/{year % 100:02d} {g:+.1%}: {HN_DSG_GROWTH[year][2]}")
        later = (
            f"; then {central:+.0%} a year after {last - 1}/{last % 100:02d} (income_growth_central; the model "
            "applies the scenario's income growth)"
            if year > last
            else ""
        )
        amount *= 1 + g
        out[year] = (round(amount), E, "; ".join(steps) + later + " (estimate: Norfolk's allocation not found)")
    return out


def _transfer(year: int) -> tuple[float, str, str]:
    return TRANSFER[year] if year in TRANSFER else (TRANSFER[max(TRANSFER)][0], E, TRANSFER_LATER)


def build_income() -> pd.DataFrame:
    """income.csv: high-needs income by year and line, base year to the last year (DfE contributions to the deficit
    are in deficit_contributions.csv, not here)."""
    core = core_block()
    rows = []
    for year in range(BASE_YEAR, LAST_YEAR + 1):
        rows.append((year, "core_high_needs_dsg", *core[year], "dsg"))
        rows.append((year, "schools_block_transfer", *_transfer(year), "fixed"))
        rows.append(
            (
                year,
                "council_contribution",
                COUNCIL_CONTRIBUTION if year <= COUNCIL_CONTRIBUTION_LAST_YEAR else 0,
                S,
                "5.5m a year for six years, 2023/24 to 2028/29 (norfolk.gov.uk/article/44298)",
                "fixed",
            )
        )
    return pd.DataFrame(rows, columns=INCOME_COLUMNS)


def build_capital_budget() -> pd.DataFrame:
    """capital_budget.csv: capital for new places by year and source, after the base year (the committed schemes'
    own funding is left out: it pays for the commitments)."""
    rows = []
    for y in range(BASE_YEAR + 1, LAST_YEAR + 1):
        dfe = DFE_CAPITAL_2026 if y == BASE_YEAR + 1 else DFE_CAPITAL_LATER
        rows.append((y, "dfe_high_needs_capital", *dfe))
        council = COUNCIL_CAPITAL if y in COUNCIL_CAPITAL_YEARS else (0, E, COUNCIL_CAPITAL[2])
        rows.append((y, "council_send_capital", *council))
    df = pd.DataFrame(rows, columns=["year", "line", "amount", "basis", "source"])
    df["source"] += "; unspent capital carries forward"
    return df[["year", "amount", "basis", "source", "line"]]


def transport_per_pupil() -> tuple[float, float, str]:
    """Base-year transport cost per pupil, its growth, and how both were found."""
    pp23 = TRANSPORT_2023[0] / TRANSPORT_2023[1]
    pupils25 = TRANSPORT_2024[1] * (1 + TRANSPORT_PUPIL_GROWTH)
    pp25 = TRANSPORT_2025_SPEND / pupils25
    growth = (pp25 / pp23) ** 0.5 - 1
    note = (
        f"SEND home-to-school transport 33.3m for 3,933 pupils in 2022/23 ({pp23:,.0f} each, EDP 23942976); about "
        f"40m for about 4,100 in 2023/24 (9,730 each, NCC 44453); 42m in 2024/25 (Diss Mercury Aug 2025; year "
        f"estimate) for {pupils25:,.0f} pupils (4,100 grown {TRANSPORT_PUPIL_GROWTH:.1%} as in 2023/24, estimate): "
        f"{pp25:,.0f} each"
    )
    return pp25, growth, note


def build_parameters(fallback_rate: float, spend25: float, inc25: float, n_spec: float) -> pd.DataFrame:
    """parameters.csv. `fallback_rate` is other_high_needs_per_plan, used only when spending_lines.csv is absent."""
    in_year = spend25 - inc25
    pp25, tgrowth, tnote = transport_per_pupil()
    rows = [
        ("base_year", BASE_YEAR, "year", S, "January 2025 census = 2024/25"),
        ("target_year", *TARGET_YEAR),
        (
            "opening_deficit",
            OPENING_DEFICIT,
            "GBP",
            S,
            "cumulative high-needs deficit at the start of the base year (31 March 2024): 81.5m (EDP 24538383)",
        ),
        (
            "other_high_needs_per_plan",
            round(fallback_rate, 2),
            "GBP per plan per year",
            D,
            "fallback, used only without spending_lines.csv: calibrated so base-year high-needs spending "
            f"({spend25 / 1e6:.2f}m = income {inc25 / 1e6:.2f}m + in-year deficit {in_year / 1e6:.1f}m, 81.5m -> "
            "115m forecast) equals every setting's place funding and top-ups plus this rate x plans the model does "
            "not place",
        ),
        ("unit_cost_growth", *UNIT_COST_GROWTH),
        ("place_funding_growth", *PLACE_FUNDING_GROWTH),
        ("inflation", *INFLATION),
        ("occupancy_margin", *OCCUPANCY_MARGIN),
        ("income_last_published_year", *INCOME_LAST_PUBLISHED_YEAR),
        *[(name, g, "per year", b, why) for name, (g, b, why) in INCOME_GROWTH.items()],
        (
            "transport_cost_per_pupil",
            round(pp25, 2),
            "GBP per pupil per year",
            E,
            f"{tnote}; transport_costs.csv is scaled at run time so that base-year placements cost this on average",
        ),
        (
            "transport_cost_growth",
            round(tgrowth, 4),
            "per year",
            E,
            f"cost per pupil {TRANSPORT_2023[0] / TRANSPORT_2023[1]:,.0f} (2022/23) to {pp25:,.0f} (2024/25): "
            f"{tgrowth:.1%} a year (the 2024/25 figure is an estimate; spend rose about 20% in 2023/24, then slowed)",
        ),
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
