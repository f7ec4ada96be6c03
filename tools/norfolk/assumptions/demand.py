"""Years, need groups, phases and placement types: the planning classifications of the Norfolk build."""

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
LAST_YEAR = 2032  # last year of the demand projection (planner.demand)

# ---------------------------------------------------------------------------------------------------------
# Need groups: seven groups of the SEN2 primary-need categories, fine enough for suitability (which settings
# may take a child) to be right. The demand model (planner.demand) projects them directly, from the SEN2 needs
# listed here (need_groups.csv); base-year placements are joined by the five broad areas and then split into need
# groups (tools/norfolk/needs.py).
# ---------------------------------------------------------------------------------------------------------
# need group, name, SEN2 primary needs, broad area
NEED_GROUPS = [
    ("ASD", "Autistic spectrum disorder", "ASD", "CI"),
    ("SLCN", "Speech, language and communication needs", "SLCN", "CI"),
    ("MLD_SPLD", "Moderate or specific learning difficulty", "MLD;SpLD", "CL"),
    ("SLD_PMLD", "Severe or profound and multiple learning difficulty", "SLD;PMLD", "CL"),
    ("SEMH", "Social, emotional and mental health", "SEMH", "SEMH"),
    ("SENSORY_PHYSICAL", "Sensory or physical (hearing, vision, multi-sensory, physical)", "HI;VI;MSI;PD", "SP"),
    ("OTHER", "Other or not recorded", "OTH;unknown", "OTHER"),
]
ALL_NEEDS = ";".join(g[0] for g in NEED_GROUPS)
# SEN2 'Type of placement' columns (ehcp2025_sen_needs_all_plans) of each need group
NEED_COLUMNS = {
    "ASD": ["number_asd"],
    "SLCN": ["number_slcn"],
    "MLD_SPLD": ["number_mld", "number_spld"],
    "SLD_PMLD": ["number_sld", "number_pmld"],
    "SEMH": ["number_semh"],
    "SENSORY_PHYSICAL": ["number_hi", "number_vi", "number_msi", "number_pd"],
    "OTHER": ["number_oth", "number_need_unknown"],
}
# the five broad areas of the SEND Code of Practice (plus other): the groups base-year placements are joined by
BROAD_GROUPS = [
    ("CI", "C&I"),
    ("CL", "C&L"),
    ("SEMH", "SEMH"),
    ("SP", "Sensory/physical"),
    ("OTHER", "Other/unknown"),
]
BROAD_OF = {g: b for g, _n, _c, b in NEED_GROUPS}

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
INFANT_AGES, JUNIOR_AGES = (4, 6), (7, 10)  # Reception-Year 2 and Years 3-6, as SEN2 ages (at 31 August)

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
