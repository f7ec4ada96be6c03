"""Every figure and choice the Norfolk build rests on, each with its basis and source.

Basis labels: S = sourced (stated in the public document named), D = derived arithmetically from sourced
figures, E = estimate (no direct source; docs/data.md lists these as assumptions a council would replace).
PARAMETERS.md and PROVISION.md are in data/sources/norfolk.
"""

from __future__ import annotations

S, D, E = "sourced", "derived", "estimate"

BASE_YEAR = 2025  # January 2025 census = 2024/25; a year is named by the January it contains
# the year from which the high-needs budget must balance in-year (scenarios and --year override it)
TARGET_YEAR = (
    2029,
    "year",
    "derived",
    "the year from which the high-needs budget must balance in-year: 2028/29, the last year of Norfolk's DfE "
    "agreement (payments 2022/23-2028/29, BUDGET.md 2.3b; the council's original target was 2027/28, MI sheet "
    "34/23, reforecast later, EDP Feb 2024)",
)
LAST_YEAR = 2032  # last year of the cohort projection

# ---------------------------------------------------------------------------------------------------------
# Planning classifications
# ---------------------------------------------------------------------------------------------------------
# need group, name, SEN2 primary needs, cohort-file label
NEED_GROUPS = [
    ("CI", "Communication and interaction", "ASD;SLCN", "C&I"),
    ("CL", "Cognition and learning", "MLD;SLD;PMLD;SpLD", "C&L"),
    ("SEMH", "Social, emotional and mental health", "SEMH", "SEMH"),
    ("SP", "Sensory and physical", "HI;VI;MSI;PD", "Sensory/physical"),
    ("OTHER", "Other or not recorded", "OTH;unknown", "Other/unknown"),
]
# SEN2 'Type of placement' columns of each need group
NEED_COLUMNS = {
    "CI": ["number_asd", "number_slcn"],
    "CL": ["number_mld", "number_sld", "number_pmld", "number_spld"],
    "SEMH": ["number_semh"],
    "SP": ["number_hi", "number_vi", "number_msi", "number_pd"],
    "OTHER": ["number_oth", "number_need_unknown"],
}
ALL_NEEDS = "CI;CL;SEMH;SP;OTHER"
COMPLEX = "CL;CI;SP;OTHER"  # the needs a complex-needs special school takes
SRB_MIXED_NEEDS = "CL;CI;SEMH"  # resource bases whose specialism is not published

# phase, name, min age, max age, placed by the model, cohort-file label, max journey (road km, one way)
PHASES = [
    ("early_years", "Early years (under 4)", 2, 3, False, "early_years_0_3", None),
    ("primary", "Primary (Reception to Year 6)", 4, 10, True, "primary_4_10", 30.0),
    ("secondary", "Secondary (Years 7 to 11)", 11, 15, True, "secondary_11_15", 45.0),
    ("post16", "Post-16 (ages 16 to 19)", 16, 19, True, "post16_16_19", 45.0),
    ("post19", "Post-19 (ages 20 to 25)", 20, 25, False, "post19_20_25", None),
]
REACH_SOURCE = (
    "estimate: DfE home-to-school travel guidance treats 45 minutes (primary) and 75 minutes (secondary) "
    "as the longest reasonable journeys; at rural Norfolk speeds about 30 and 45 road km"
)

# placement type, name, specialist (a setting the model places children in), SEN2 columns (caseload by age),
# SEN2 'Type of placement' rows (needs by placement)
PLACEMENT_TYPES = [
    (
        "special",
        "State special school (maintained, academy or free)",
        True,
        ["special_la_maintained", "special_academy_free"],
        ["Special - LA maintained", "Special - Academy/free schools"],
    ),
    (
        "independent",
        "Independent or non-maintained special school",
        True,
        ["special_independent", "special_non_maintained"],
        ["Special - independent", "Special - non-maintained"],
    ),
    (
        "srb",
        "Specialist resource base (SEN unit in a mainstream school)",
        True,
        ["mainstream_la_maintained_senunit", "mainstream_academy_senunit", "mainstream_free_school_senunit"],
        ["Mainstream - LA maintained (SEN unit)", "Mainstream - academy (SEN unit)"],
    ),
    ("ap", "Alternative provision or pupil referral unit", True, ["ap_pru_total"], ["AP/PRU - total"]),
    ("mainstream", "Mainstream school (not in a resource base)", False, None, None),
    ("further_education", "Further education", False, ["fe_total"], ["FE - total"]),
    (
        "educated_elsewhere",
        "Educated elsewhere (home, NEET, other arrangements)",
        False,
        ["ed_elsewhere"],
        ["Educated elsewhere - total"],
    ),
    ("early_years_setting", "Non-maintained early years", False, ["nm_early_years"], ["Non-maintained early years"]),
    ("not_recorded", "Placement not recorded", False, ["placement_unknown"], ["Placement not recorded"]),
]

# ---------------------------------------------------------------------------------------------------------
# Existing settings (PROVISION.md 1b, 2d)
# ---------------------------------------------------------------------------------------------------------
SRC_PN2018 = "EDP public notice 28 Aug 2018 (PROVISION.md 1b)"
# urn: (designation, needs, min_age, max_age, stated places, year of figure, basis of places, source, ages basis)
SPECIAL_SCHOOLS = {
    121254: ("complex needs", COMPLEX, 5, 19, 179, 2018, S, SRC_PN2018, E),
    121258: (
        "complex needs",
        COMPLEX,
        3,
        19,
        131,
        2021,
        D,
        "EDP public notice 2018: 111; +20 places 2020/21 (North Norfolk News Oct 2020)",
        E,
    ),
    121260: ("complex needs", COMPLEX, 3, 19, 110, 2019, S, "EDP 14 Jun 2019: target 110", S),
    121257: ("complex needs", COMPLEX, 3, 19, 82, 2018, S, SRC_PN2018, E),
    121264: ("complex needs", COMPLEX, 3, 19, 85, 2018, S, SRC_PN2018, E),
    121261: ("complex needs", COMPLEX, 3, 19, 100, 2018, S, SRC_PN2018, E),
    121256: ("complex needs", COMPLEX, 7, 16, 173, 2023, S, "NCC news 27 Feb 2023 (article 44271)", E),
    121265: ("complex needs", COMPLEX, 4, 19, None, None, E, "no figure found (PROVISION.md 1b)", S),
    121262: (
        "complex needs",
        COMPLEX,
        7,
        18,
        None,
        None,
        E,
        "no figure found; ages 7-18 from Sept 2024 (norfolk.citizenspace.com/childrens-services/parkside)",
        S,
    ),
    145529: (
        "complex needs",
        COMPLEX,
        2,
        19,
        225,
        2022,
        D,
        "Lynn News: registered number 205; +20 sixth-form places at Fairstead (approved about Jan 2022)",
        S,
    ),
    139099: (
        "SEMH",
        "SEMH",
        11,
        16,
        54,
        2020,
        D,
        "SENDAT context page: SEMH 150 places minus Fen Rivers 96 (PROVISION.md 1b)",
        E,
    ),
    144769: ("autism (communication and interaction)", "CI", 4, 19, 100, 2017, S, "EDP 19 Sep 2017", S),
    150265: ("SEMH", "SEMH", 5, 16, 96, 2021, S, "EDP 2017; Lynn News 3 Nov 2022", S),
    148572: ("SEMH", "SEMH", 6, 16, 88, 2021, S, "Great Yarmouth Mercury 27 Sep 2021", S),
    148859: ("autism (communication and interaction)", "CI", 5, 16, 100, 2022, S, "Fakenham Times 2022", S),
    148618: ("cognition and learning, with an autism base", "CL;CI", 4, 19, 170, 2023, S, "NCC article 39002", S),
}
UNKNOWN_PLACES_HEADROOM = 0.05  # estimate: places = roll x (1 + 5%) where no figure exists

# Specialist resource bases open in the base year at named host schools (PROVISION.md 2d)
SRB_EXISTING = [
    # host urn, specialism needs, places, opened, source
    (120795, "SEMH", 16, "Sept 2020", "norfolk.citizenspace.com/childrens-services/srbprovision (Caister Junior)"),
    (120995, "CI", 16, "Sept 2020", "norfolk.citizenspace.com/childrens-services/srbprovision (ASD)"),
    (121013, "CL", 16, "Sept 2021", "norfolk.citizenspace.com/childrens-services/srbprovision (LCN)"),
    (121000, "SEMH", 16, "Sept 2020", "norfolk.citizenspace.com/childrens-services/srbprovision (Mundesley)"),
    (120905, "CI", 16, "Mar 2021", "EDP 9 Mar 2021 (ASD)"),
    (
        120905,
        "CL;CI;SEMH",
        16,
        "Feb 2024",
        "norfolk.citizenspace.com/childrens-services/srb-2023 (early and additional intervention, 8 + 8)",
    ),
    (136204, "CI", 10, "Mar 2021", "EDP 9 Mar 2021 (ASD)"),
    (145089, "CI", 25, "2022/23", "NCC article 44134 (ASD, proposed Sept 2022)"),
    (143956, "SEMH", 16, "2022/23", "NCC article 44134 (Watton Westfield Infant and Watton Junior)"),
    (
        120913,
        "CL;CI;SEMH",
        8,
        "Sept 2024",
        "norfolk.citizenspace.com/childrens-services/srb-2023 (additional intervention)",
    ),
]
SRB_TOTAL_PLACES_BASE = 605  # estimate; see SRB_TOTAL_NOTE
SRB_TOTAL_NOTE = (
    "estimate: 330 places in 2018 (NCC sufficiency strategy) + 90 named 2020-21 bases + up to 70 in four primary "
    "SEMH bases (2021) + 91 of the 116 agreed in 2022 (Acle's 25 open after the base year) + 24 opened 2024 "
    "(PROVISION.md 2d); overlaps between these announcements are not known"
)
SRB_OCCUPANCY = 0.90  # estimate: share of SRB places filled by pupils with plans in the base year
SRB_PRIMARY_SHARE = 0.60  # estimate: share of unnamed SRB places in primary bases

AP_NEEDS, AP_AGES = "SEMH", (5, 16)  # estimate: what the AP and PRU settings take
AP_HEADROOM = 0.15  # estimate: AP places = pupils with plans x (1 + 15%)

IND_NORFOLK_FUNDED_SHARE = 0.70  # estimate: share of Norfolk independent special rolls funded by Norfolk
IND_AGES = (5, 19)  # estimate: ages of the independent special schools in Norfolk (not published)
OOC_AGES = (4, 19)  # estimate: ages of the out-of-county settings
OOC_INDEPENDENT_JOURNEY_KM = 60.0  # estimate
OOC_STATE_JOURNEY_KM = 40.0  # estimate

# ---------------------------------------------------------------------------------------------------------
# Commitments (PROVISION.md 2b, 2c, 2d; PARAMETERS.md supply table)
# ---------------------------------------------------------------------------------------------------------
LFI_CAPITAL = 40_000_000  # about GBP 40m DfE funding for both schools (BBC 23 Jan 2026), sourced
LFI_OPENING_YEAR = 2029  # estimate: Sept 2028 = 2028/29 (the target was Sept 2026, then paused)
LFI_SCHOOLS = [
    # project id, name, needs, designation, min age, max age, places (sourced), proxy urn (estimate), proxy name
    (
        "lfi-downham-market",
        "Local First Inclusion school, Downham Market",
        "CI",
        "communication and interaction",
        5,
        19,
        100,
        145196,
        "Downham Market Academy",
    ),
    (
        "lfi-great-yarmouth",
        "Local First Inclusion school, Great Yarmouth",
        COMPLEX,
        "complex needs",
        3,
        19,
        170,
        142883,
        "Great Yarmouth Charter Academy",
    ),
]
# NCC article 53365: 173 to 225 places with relocation to Swaffham; places added = 225 minus the May 2025 roll
FRED_NICHOLSON_URN = 121256
FRED_NICHOLSON_PLACES = 225  # sourced
FRED_NICHOLSON_OPENING_YEAR = 2026  # estimate: 2025/26 ('from April 2025', not verified)
COMMITTED_SRBS = [
    # host urn, needs, places, opening year, source
    (138758, "CI", 25, 2026, "norfolk.citizenspace.com/childrens-services/aclesrb (ASD, from 1 Apr 2025)"),
    (136536, "CL;CI;SEMH", 16, 2026, "norfolk.citizenspace.com/childrens-services/srb-2023 (8 + 8, Sept 2025)"),
    (134043, "CI", 10, 2026, "norfolk.citizenspace.com/childrens-services/srb-2023 (SLCN, Sept 2025)"),
    (
        120852,
        "CL;CI;SEMH",
        16,
        2026,
        "norfolk.citizenspace.com/childrens-services/srb-2023 (additional intervention, Sept 2025)",
    ),
    (120859, "SEMH", 16, 2026, "norfolk.citizenspace.com/childrens-services/srb-2023 (SEMH, Sept 2025)"),
]
LFI_SECONDARY_SRB_NOTE = (
    "NCC MI sheet 12/24 (via PARAMETERS.md): 10 complex-needs secondary bases of 18 places and 1 autism base of "
    "up to 25, from 2024; host schools not published"
)
LFI_SECONDARY_SRBS, LFI_SECONDARY_SRB_PLACES = 10, 18  # sourced (LFI_SECONDARY_SRB_NOTE)
LFI_AUTISM_SRB_PLACES = 25  # sourced (LFI_SECONDARY_SRB_NOTE)
LFI_AUTISM_SRB_DISTRICT = "E07000148"  # estimate: Norwich, at its second-largest secondary school
LFI_SRB_OPENING_YEAR = 2026  # estimate: 2025/26

# ---------------------------------------------------------------------------------------------------------
# Options (all estimates: candidate sites, designations and sizes)
# ---------------------------------------------------------------------------------------------------------
NEW_SCHOOL_SITES = [
    # site id, town, proxy urn (a secondary school in the town)
    ("thetford", "Thetford", 136204),
    ("swaffham", "Swaffham", 138918),
    ("wymondham", "Wymondham", 137461),
    ("diss", "Diss", 137092),
    ("north-walsham", "North Walsham", 147505),
    ("aylsham", "Aylsham", 121164),
]
NEW_SCHOOL_DESIGNATIONS = [
    ("complex", "complex needs", COMPLEX, 4, 19),
    ("ci", "communication and interaction (autism)", "CI", 5, 19),
    ("semh", "SEMH", "SEMH", 6, 16),
]
# SRB options at each district's three largest primary and three largest secondary schools, specialism in turn
SRB_OPTION_SPECIALISMS = [("ci", "autism (CI)", "CI"), ("semh", "SEMH", "SEMH"), ("cl", "learning and cognition", "CL")]
AP_OPTION_NEEDS = "SEMH"  # school-led AP (LFI programme) at each district's largest free secondary school
NEW_SCHOOL_SIZES = [90, 130, 170]
EXPANSION_SIZES = [16, 32]
SRB_SIZES = [8, 16, 25]
AP_SIZES = [12, 24]
CAPEX_PER_PLACE = {
    "new_school": (
        110_000,
        E,
        "estimate between The Bridge Easton (GBP 17m / 170 places = 100k, 2019) and the LFI "
        "schools (GBP 40m / 270 = 148k, 2026); national benchmarks 52k-87k (PARAMETERS.md)",
    ),
    "expansion": (70_000, D, "Sheringham Woodfields: 20 places for GBP 1.4m (2020)"),
    "srb": (50_000, E, "estimate: midpoint of 30k-70k per place (PARAMETERS.md: no direct figure)"),
    "ap": (40_000, E, "estimate: no published figure; between SRB and special-school costs"),
}
LEAD_TIME = {
    "new_school": (3, S, "3-4 years (NCC; The Bridge Easton funded 2019, opened Jan 2023)"),
    "expansion": (2, E, "estimate: between an SRB and a new school"),
    "srb": (1, S, "0.5-2 years (NCC SRB consultation)"),
    "ap": (1, E, "estimate: as an SRB"),
}
EARLIEST_START = 2026

# ---------------------------------------------------------------------------------------------------------
# Money (PARAMETERS.md money and unit-cost tables)
# ---------------------------------------------------------------------------------------------------------
UNIT_COSTS = [
    # setting type, place funding, top-up per pupil, basis, source
    (
        "special",
        10_000,
        13_900,
        D,
        "place funding 10k (high needs operational guide); top-up = IFS 2024 state "
        "special cost 23.9k (2022/23) minus place funding",
    ),
    (
        "srb",
        6_000,
        10_000,
        E,
        "place funding 6k (high needs operational guide); top-up estimate giving 16k, "
        "inside the 15k-25k range (PARAMETERS.md)",
    ),
    (
        "ap",
        10_000,
        13_500,
        E,
        "PRU base 10k; top-up estimate giving 23.5k, between 21k (KS3) and 26k (KS4) "
        "AP free school fees (PARAMETERS.md)",
    ),
    (
        "independent",
        0,
        64_000,
        S,
        "independent / non-maintained special school, England average 2024/25 (Parliamentary answer 100030, Jan 2026)",
    ),
]
HN_DSG_2024 = 135_000_000  # 2023/24, sourced
HN_DSG_YEAR = 2024  # the year of that figure (2023/24)
HN_DSG_GROWTH = 0.03  # estimate
SCHOOLS_BLOCK_TRANSFER = 9_000_000  # 1.5% of schools block, about 9m (2023/24, sourced)
SCHOOLS_BLOCK_SOURCED_YEAR = 2025  # 2024/25 (MI sheet 46/24); later years assume it continues (estimate)
COUNCIL_CONTRIBUTION = 5_500_000  # 2023/24 to 2028/29, sourced
COUNCIL_CONTRIBUTION_LAST_YEAR = 2029  # 2028/29, sourced
SAFETY_VALVE = {2023: 28e6, 2024: 6e6, 2025: 6e6, 2026: 6e6, 2027: 6e6, 2028: 6e6, 2029: 12e6}  # profile derived
OPENING_DEFICIT = 81_500_000  # cumulative at the end of 2023/24 (EDP), sourced
BASE_YEAR_DEFICIT_END = 115_000_000  # forecast cumulative at March 2025 (EDP), sourced
CAPITAL_BUDGET_PER_YEAR = 12_000_000  # estimate (no published figure)
TRANSPORT_SPEND_2024 = 40_000_000  # 2023/24, sourced (norfolk.gov.uk/article/44453; EDP)
TRANSPORT_PUPILS_2024 = 4_100  # 2023/24, sourced (as above)

# model parameters: value, unit, basis, source
UNIT_COST_GROWTH = (
    0.03,
    "per year",
    E,
    "estimate: independent fees rose 54k -> 64k over 2020/21-2024/25 (4.3% a year, PQ 100030); 3% assumed "
    "for all unit costs",
)
TRANSPORT_COST_GROWTH = (0.03, "per year", E, "estimate: as unit costs")
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
