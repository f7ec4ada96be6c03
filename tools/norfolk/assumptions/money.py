"""Money: unit costs, income, DfE contributions to the deficit, spending lines, capital, transport and the model
parameters (BUDGET.md, PARAMETERS.md and the budget research notes summarised in docs/data.md)."""

from __future__ import annotations

from tools.norfolk.assumptions.demand import D, E, S

# ---------------------------------------------------------------------------------------------------------
# Unit costs (2024/25 GBP)
# ---------------------------------------------------------------------------------------------------------
SPECIAL_TOP_UP_2023 = 13_900  # 2022/23: IFS 2024 state special cost 23.9k minus 10k place funding (derived)
SPECIAL_UPLIFT_2024 = 0.03  # estimate: 2023/24 band uplift not found (Devon's bands rose 2.0-3.1%, FOI)
SPECIAL_UPLIFT_2025 = 0.034  # sourced: Norfolk's special-school top-up bands +3.4% in 2024/25 (MI sheet 46/24)
INDEPENDENT_GROWTH = (
    0.043,
    "yearly growth 4.3%: England average cost per pupil 54k (2020/21) to 64k (2024/25), PQ 100030 (derived). The "
    "last two years give only +1.6% a year (62k to 64k), but the figures are rounded to 1k, so that rate could be "
    "anywhere from 0.8% to 2.4%; the four-year rate is the steadier measure",
)
UNIT_COSTS = [
    # setting type, place funding, top-up per pupil, basis, source, growth (None: unit_cost_growth)
    (
        "special",
        10_000,
        int(round(SPECIAL_TOP_UP_2023 * (1 + SPECIAL_UPLIFT_2024) * (1 + SPECIAL_UPLIFT_2025), -1)),
        E,
        "place funding 10k (high needs operational guide); top-up: IFS 2024 state special cost 23.9k (2022/23) "
        "minus place funding = 13.9k, uplifted 3% for 2023/24 (estimate: Norfolk's uplift not found) and 3.4% for "
        "2024/25 (Norfolk's top-up bands, MI sheet 46/24)",
        None,
    ),
    (
        "srb",
        6_000,
        10_000,
        E,
        "place funding 6k (high needs operational guide); top-up estimate giving 16k, "
        "inside the 15k-25k range (PARAMETERS.md)",
        None,
    ),
    (
        "ap",
        10_000,
        13_500,
        E,
        "PRU base 10k; top-up estimate giving 23.5k, between 21k (KS3) and 26k (KS4) "
        "AP free school fees (PARAMETERS.md)",
        None,
    ),
    (
        "independent",
        0,
        64_000,
        S,
        "independent / non-maintained special school, England average 2024/25 (Parliamentary answer 100030, Jan "
        f"2026); {INDEPENDENT_GROWTH[1]}",
        INDEPENDENT_GROWTH[0],
    ),
]

# ---------------------------------------------------------------------------------------------------------
# Income. The core block is net of the DfE's academy place deductions (BUDGET.md 1.6a): settings whose place
# funding the DfE deducts and pays have place_funding_by_la = false, so that money is on neither side.
# ---------------------------------------------------------------------------------------------------------
HN_DSG_2024 = 135_000_000  # 2023/24: "around 135m" (NCC news release 44240, 23 Jan 2023; Room151), sourced
HN_DSG_GROWTH = {
    # year: (growth over the year before, basis, reason)
    2025: (
        0.044,
        E,
        "national high-needs funding +4.4% in 2024/25 (10.06bn to 10.5bn, DfE Dec 2023: derived) applied to Norfolk",
    ),
    2026: (
        0.08,
        E,
        "2025/26: every council at least +7% per head of 2-18 population, some up to +10% (WMS 28 Nov 2024); "
        "Staffordshire +8.7% and Shropshire +8.1% per head (PQ 26349, 26351); +8% assumed for Norfolk",
    ),
    2027: (
        0.0,
        E,
        "2026/27: allocations rolled over from 2025/26, national total flat at about 12bn (WMS 17 Dec 2025; "
        "NASUWT); the pay and pension grants rolled in pay for costs already met, so flat cash is assumed",
    ),
}
INCOME_LAST_PUBLISHED_YEAR = (
    2027,
    "year",
    S,
    "the last year whose core block rests on a published figure or announcement: 2026/27, 2025/26 allocations "
    "rolled over (WMS 17 Dec 2025); later years grow at the scenario's income growth",
)
INCOME_GROWTH = {
    "income_growth_low": (0.0, E, "the 2026/27 cash freeze repeated (WMS 17 Dec 2025)"),
    "income_growth_central": (
        0.03,
        E,
        "about the GDP deflator (2.23% used for the 2026/27 pupil premium) plus pupil and need drift; 2024/25 "
        "national growth was 4.4%",
    ),
    "income_growth_high": (
        0.06,
        E,
        "about half the 2022/23-2025/26 national average (about 9% a year: 9.1bn to 11.9bn); the white paper's "
        "+3.5bn for high needs in 2028/29 (Feb 2026) would be more, but may fund national programmes",
    ),
}
TRANSFER = {
    # year: (amount, basis, source)
    2024: (9_000_000, S, "1.5% of the schools block, about 9m in 2023/24 (NCC news release 44240)"),
    2025: (
        9_500_000,
        E,
        "1.5% in 2024/25 (MI sheet 46/24); amount not stated: between 9m (2023/24) and about 10.0m (2025/26)",
    ),
    2026: (10_000_000, D, "1.5% in 2025/26 of a schools block of about 667m (notional SEN 60.8m = 9.11%): 10.0m"),
}
TRANSFER_LATER = (
    "assumed to continue at about 10.0m (estimate): the council's 2025 DSG consultation proposes ending it in "
    "2026/27 and cutting the high-needs Element 3 budget to match (articles 72946, 73387); the decision was not "
    "found (scenario no-transfer-from-2027)"
)
COUNCIL_CONTRIBUTION = 5_500_000  # 2023/24 to 2028/29, sourced (norfolk.gov.uk/article/44298)
COUNCIL_CONTRIBUTION_LAST_YEAR = 2029

# ---------------------------------------------------------------------------------------------------------
# DfE contributions to the cumulative deficit (not income of the in-year test)
# ---------------------------------------------------------------------------------------------------------
SAFETY_VALVE_PROFILE = {2025: 6e6, 2026: 6e6, 2027: 6e6, 2028: 6e6, 2029: 12e6}  # derived (BUDGET.md 2.3b)
SAFETY_VALVE_NOTE = (
    "DfE safety valve agreement (March 2023): 70m, 28m in 2022/23 then 6m a year 2023/24-2027/28 and 12m in "
    "2028/29 (profile derived, BUDGET.md 2.3b), so {agreed} agreed for this year. Payments were suspended in spring "
    "2024 with Norfolk's agreement 'subject to review', to be 'made up if a revised agreement is reached' (Schools "
    "Week); no revised agreement was found, so 0 is assumed (estimate). The council's later forecasts (115m at "
    "March 2025, 183m at March 2026) were made after the suspension"
)
STABILITY_GRANT_YEAR = 2027  # paid in autumn 2026 = 2026/27 (sourced)
STABILITY_GRANT_SHARE = 0.9  # sourced: 90% of the deficit accrued to the end of 2025/26
DEFICIT_MARCH_2026 = 183_000_000  # forecast (EDP; Diss Mercury 4 Aug 2025), sourced; date March 2026 estimate
STABILITY_GRANT_NOTE = (
    "High Needs Stability Grant (announced Feb 2026; Schools Week; final local government finance settlement "
    "2026/27): 90% of the high-needs deficit accrued to the end of 2025/26, paid in autumn 2026, conditional on an "
    "approved local SEND reform plan. 90% of the council's forecast 183m at March 2026 = 164.7m (estimate: the "
    "grant follows the audited balance, and the plan must be approved)"
)

# ---------------------------------------------------------------------------------------------------------
# Spending the model does not place, by line (2024/25 GBP)
# ---------------------------------------------------------------------------------------------------------
ELEMENT3_2025 = (
    35_000_000,
    S,
    "Element 3 (mainstream top-up) budget 2024/25: 30m raised to 35m in-year (schools.norfolk.gov.uk article "
    "62292; EDP 24593422). Drivers: plans in mainstream; since 2023/24 Element 3 is also paid at SEN support. From "
    "Sept 2025 the formulaic Element 3 equals the block transfer (article 68705), and the 2025 consultation cuts "
    "the Element 3 budget by the transfer when it ends (articles 72946, 73387): transfer_counterpart 1",
)
FE_TOP_UP_PER_PLAN = (
    5_000,
    E,
    "FE and post-19 top-ups: no Norfolk or national figure per student found (searched s251 statements and DfE "
    "expenditure releases); 5k per plan in further education (estimate: FE top-ups sit above the 6k element 2 "
    "that the DfE pays colleges, and 2,024 of Norfolk's 2,279 FE plans are in general FE colleges, SEN2 Jan 2025)",
)
EARLY_YEARS_TOP_UP_PER_PLAN = (
    4_000,
    E,
    "early years top-ups for plans in non-maintained early years settings: no figure found; 4k per plan "
    "(estimate, below the mainstream top-ups)",
)
SEND_SERVICES_2025 = (
    12_000_000,
    E,
    "SEN support services, hospital education, outreach and inclusion teams: no Norfolk figure found (s251 "
    "lines not reachable). Nationally these and other non-top-up lines were 6% to 20% of councils' 7.9bn "
    "high-needs spending in 2022/23 (top-ups 6.3bn: DfE LA and school expenditure 2022-23; PQ 26241), depending "
    "on whether the 7.9bn includes place funding; 12m is about 6% of Norfolk's base-year spending, and covers "
    "the School and Community Teams (about 4.5-5.5m a year, BUDGET.md 7, estimate). Cash-limited: fixed, grows "
    "with inflation",
)
INFLATION = (
    0.02,
    "per year",
    E,
    "growth of cash-limited spending lines: the Bank of England's 2% CPI target (the GDP deflator used for the "
    "2026/27 pupil premium was 2.23%)",
)
OCCUPANCY_MARGIN = (
    0.95,
    "share of places",
    E,
    "places are filled to at most this share, leaving room for in-year arrivals: no DfE figure for SEND was found "
    "(the DfE says an efficient system needs 'a degree of' surplus places, PQ 20 Jul 2017, without a number); "
    "95% central, 90-98% plausible",
)

# ---------------------------------------------------------------------------------------------------------
# Capital by source (GBP in the year; unspent capital carries forward). Committed schemes' funding is left out.
# ---------------------------------------------------------------------------------------------------------
DFE_CAPITAL_2026 = (13_000_000, S, "High Needs Provision Capital 2025/26: 'just over 13 million' (PQ 43375)")
DFE_CAPITAL_LATER = (
    13_200_000,
    E,
    "Norfolk's allocations for 2026/27 on were not found: its 2025/26 share of the national 740m (1.76%, derived) "
    "of the 'at least 3 billion' for 2026/27-2029/30 (WMS 17 Dec 2025), spread evenly: 13.2m a year (estimate); "
    "held at that level after 2029/30 (estimate)",
)
DFE_CAPITAL_LAST_ANNOUNCED_YEAR = 2030  # 2029/30
COUNCIL_CAPITAL = (
    5_000_000,
    E,
    "the council's own 30m for Local First Inclusion (NCC press release 61624), 2023/24-2028/29, spread evenly: "
    "5m a year (estimate); 2023/24 and 2024/25 taken as spent on the committed resource bases; none after "
    "2028/29 (no later programme found)",
)
COUNCIL_CAPITAL_YEARS = range(2026, 2030)

# ---------------------------------------------------------------------------------------------------------
# Transport (general fund, not the high-needs block)
# ---------------------------------------------------------------------------------------------------------
TRANSPORT_2023 = (33_300_000, 3_933)  # 2022/23 spend and SEND pupils (EDP 23942976), sourced
TRANSPORT_2024 = (40_000_000, 4_100)  # 2023/24 (NCC press release 44453: average 9,730), sourced
TRANSPORT_2025_SPEND = 42_000_000  # "42m" (Diss Mercury 4 Aug 2025), taken as 2024/25 (estimate)
TRANSPORT_PUPIL_GROWTH = 4_100 / 3_933 - 1  # +4.2% (2022/23 to 2023/24), assumed again for 2024/25 (estimate)
# yearly cost per pupil by one-way road distance: only the shape matters, the model scales the table so that the
# base year's placements cost transport_cost_per_pupil on average (mode costs: Calderdale 2022, Halifax Courier)
TRANSPORT_BANDS = [
    # from km, to km (None: no upper end), cost per pupil, source
    (0.0, 5.0, 3_000, "short journeys: bus passes (about 318 a year), parental mileage and shared minibuses"),
    (5.0, 15.0, 6_500, "a shared minibus seat, about 6,500 a year"),
    (15.0, 30.0, 8_700, "taxi with a passenger assistant, about 8,700 a year"),
    (30.0, 60.0, 14_000, "between a local taxi with assistant (8,700) and an out-of-area journey (over 24,000)"),
    (60.0, None, 24_000, "an out-of-area journey, over 24,000 a year"),
]

# ---------------------------------------------------------------------------------------------------------
# Other model parameters: value, unit, basis, source
# ---------------------------------------------------------------------------------------------------------
OPENING_DEFICIT = 81_500_000  # cumulative at the end of 2023/24 (EDP 24538383), sourced
PLACE_FUNDING_GROWTH = (
    0.0,
    "per year",
    "sourced",
    "place funding is GBP 10,000 a place in special schools and AP and 6,000 in resource bases, unchanged in cash "
    "since 2013/14 (DfE high needs funding operational guide)",
)
UNIT_COST_GROWTH = (
    0.03,
    "per year",
    E,
    "estimate: growth of unit costs without their own rate in unit_costs.csv (independent fees: 4.3%); the budget "
    "research suggests 1.5% low, 3% central, 4.5% high",
)
ROAD_CIRCUITY = (1.3, "road km per straight-line km", E, "estimate: typical detour factor for rural English roads")
BASE_ALLOCATION_DECAY_KM = (
    15.0,
    "km",
    E,
    "estimate: distance decay of the gravity model that apportions base-year pupils of each setting to home zones",
)
DISCOUNT_RATE = (0.035, "per year", S, "HM Treasury Green Book social time preference rate")
CAPITAL_CHARGE_RATE = (
    0.0,
    "per year of capital",
    E,
    "optional annualised capital charge in the objective; 0 = capital held only within its budget",
)
