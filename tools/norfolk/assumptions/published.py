"""The council's published budget figures (published_forecasts.csv) and the published totals the built data is
checked against (reconciliation.csv)."""

from __future__ import annotations

from tools.norfolk.assumptions.demand import D, S

SRC_EDP_2024 = "EDP 24538383 (Aug 2024), reporting the Sept 2024 Cabinet paper"
SRC_NCC_61624 = "NCC press release 61624 (23 Aug 2024)"
SRC_183M = "EDP (2025) and Diss Mercury (4 Aug 2025): 'will reach 183m by next year', taken as March 2026"
# year, measure, value (GBP), kind, published (year-month), basis, source
PUBLISHED_FORECASTS = [
    (2018, "in_year_deficit", 10_600_000, "outturn", "2018-07", S, "high-needs overspend 2017/18 (EDP 3 Jul 2018)"),
    (
        2019,
        "in_year_deficit",
        3_100_000,
        "forecast",
        "2018-07",
        S,
        "high-needs overspend forecast 2018/19 (EDP 3 Jul 2018)",
    ),
    (
        2021,
        "in_year_deficit",
        19_000_000,
        "forecast",
        "2020-09",
        S,
        "high-needs overspend forecast 2020/21, up from 9.7m (edmaxfield.org.uk, Sept 2020)",
    ),
    (
        2023,
        "cumulative_deficit",
        73_600_000,
        "forecast",
        "2023-01",
        S,
        "high-needs cumulative deficit 73.6m (NCC news release 44240, 23 Jan 2023), published before the March "
        "2023 agreement and its first 28m payment",
    ),
    (
        2023,
        "cumulative_deficit",
        38_400_000,
        "derived",
        "2024-08",
        D,
        f"81.5m at March 2024 minus the 2023/24 in-year deficit 43.1m ({SRC_EDP_2024})",
    ),
    (
        2024,
        "high_needs_income",
        150_000_000,
        "budget",
        "2023-01",
        S,
        "'an overall sum of 150m for 2023/24': about 135m DSG + 9m transfer + 5.5m council (NCC news release 44240)",
    ),
    (
        2024,
        "in_year_deficit",
        27_700_000,
        "budget",
        "2023-02",
        S,
        f"budgeted deficit for 2023/24 ({SRC_EDP_2024}); date of the budget an estimate",
    ),
    (2024, "in_year_deficit", 43_100_000, "outturn", "2024-08", S, f"2023/24 outturn ({SRC_EDP_2024})"),
    (2024, "cumulative_deficit", 81_500_000, "outturn", "2024-08", S, f"cumulative at March 2024 ({SRC_EDP_2024})"),
    (
        2024,
        "high_needs_spending",
        192_600_000,
        "derived",
        "2024-08",
        D,
        "2023/24 income 149.5m (135m + 9m + 5.5m, NCC 44240) + the in-year deficit 43.1m",
    ),
    (2025, "cumulative_deficit", 115_000_000, "forecast", "2024-08", S, f"cumulative at March 2025 ({SRC_NCC_61624})"),
    (2025, "in_year_deficit", 33_500_000, "derived", "2024-08", D, "115m forecast minus 81.5m at March 2024"),
    (2026, "cumulative_deficit", 183_000_000, "forecast", "2025-08", S, SRC_183M),
    (
        2026,
        "in_year_deficit",
        68_000_000,
        "derived",
        "2025-08",
        D,
        "183m forecast minus the 115m forecast for March 2025",
    ),
    (
        2028,
        "in_year_deficit",
        0,
        "forecast",
        "2023-02",
        S,
        "high-needs block balanced in-year by 2027/28, the safety valve plan's target (NCC MI sheet 34/23)",
    ),
    (
        2029,
        "in_year_deficit",
        11_800_000,
        "forecast",
        "2024-02",
        S,
        "reforecast months after the agreement: an 11.8m in-year deficit in 2028/29, balance a year later than "
        "agreed (Evening News 24093473, Feb 2024)",
    ),
]
# the base-year outturn the spending is calibrated to: income (income.csv) + the in-year deficit implied by the
# council's forecast (81.5m at March 2024 to 115m at March 2025)
BASE_YEAR_DEFICIT_END = 115_000_000  # forecast cumulative at March 2025, sourced
# the held-out year: 2023/24 income (NCC 44240: about 135m DSG + 9m transfer + 5.5m council) and its outturn
HELD_OUT_INCOME = 149_500_000
HELD_OUT_DEFICIT = 43_100_000  # sourced (EDP 24538383)
HELD_OUT_SRB_PLACES_OPENED = 24  # SRB places opened after January 2024 and by January 2025 (PROVISION.md 2d)

# ---------------------------------------------------------------------------------------------------------
# Published figures the built data is checked against (reconciliation.csv): value, tolerance %, source
# ---------------------------------------------------------------------------------------------------------
CHILDREN_0_15_CENSUS = (149_032, 0.1, "ONS Census 2021, Norfolk residents aged 15 and under (LSOA 2021 total)")
STATE_SPECIAL_PUPILS_SEN2 = (
    2_346,
    15.0,
    "SEN2 Jan 2025: Norfolk-funded pupils in state special schools (LA maintained 1,429 + academy/free 917), "
    "wherever located",
)
PLANS_TOLERANCE_PCT = 0.5  # SEN2 plan total against plans.csv (rounding in the projection)
SPENDING_TOLERANCE_PCT = 1.0  # base-year high-needs spending against the outturn
