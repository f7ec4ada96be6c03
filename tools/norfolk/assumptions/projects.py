"""Committed schemes (PROVISION.md 2b-2d; PARAMETERS.md supply table) and the options the model may choose."""

from __future__ import annotations

from tools.norfolk.assumptions.demand import D, E, S
from tools.norfolk.assumptions.places import AUTISM_SCHOOL

# ---------------------------------------------------------------------------------------------------------
# Commitments
# ---------------------------------------------------------------------------------------------------------
LFI_CAPITAL = 40_000_000  # about GBP 40m DfE funding for both schools (BBC 23 Jan 2026), sourced
LFI_OPENING_YEAR = 2029  # estimate: Sept 2028 = 2028/29 (the target was Sept 2026, then paused)
LFI_SCHOOLS = [
    # project id, name, designation, min age, max age, places (sourced), proxy urn (estimate), proxy name
    (
        "lfi-downham-market",
        "Local First Inclusion school, Downham Market",
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
SRC_SRB_2023 = "norfolk.citizenspace.com/childrens-services/srb-2023"
COMMITTED_SRBS = [
    # host urn, designation, places, opening year, source
    (138758, "SRB (autism)", 25, 2026, "norfolk.citizenspace.com/childrens-services/aclesrb (ASD, from 1 Apr 2025)"),
    (136536, "SRB (intervention)", 16, 2026, f"{SRC_SRB_2023} (early and additional intervention, 8 + 8, Sept 2025)"),
    (134043, "SRB (SLCN)", 10, 2026, f"{SRC_SRB_2023} (SLCN, Sept 2025)"),
    (120852, "SRB (intervention)", 16, 2026, f"{SRC_SRB_2023} (additional intervention, Sept 2025)"),
    (120859, "SRB (SEMH)", 16, 2026, f"{SRC_SRB_2023} (SEMH, Sept 2025)"),
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
    # code, designation, min age, max age
    ("complex", "complex needs", 4, 19),
    ("ci", AUTISM_SCHOOL, 5, 19),
    ("semh", "SEMH", 6, 16),
]
# SRB options at each district's three largest primary and three largest secondary schools, specialism in turn:
# primary as Norfolk's primary bases (autism, SEMH, learning and cognition); secondary as the Local First Inclusion
# secondary bases (autism, complex needs) and SEMH
SRB_OPTION_SPECIALISMS = {
    "Primary": ["SRB (autism)", "SRB (SEMH)", "SRB (learning and cognition)"],
    "Secondary": ["SRB (autism)", "SRB (SEMH)", "SRB (complex needs)"],
}
# school-led AP hubs at mainstream secondaries are part of Local First Inclusion (NCC article 57340, BUDGET.md 7):
# one candidate per district, at the district's largest free secondary school (the host is an estimate)
AP_OPTION_DESIGNATION = "school-led AP"
NEW_SCHOOL_SIZES = [90, 130, 170]
EXPANSION_SIZES = [16, 32]
# resource-base sizes by phase: Norfolk's primary bases have 8, 10 or 16 places (NCC SRB consultation 2023; the
# 2020 wave averaged about 14); the secondary complex-needs bases 18 funded places and the autism base up to 25
# (NCC MI sheet 12/24); the smallest secondary size is an estimate
SRB_SIZES = {"Primary": [8, 16], "Secondary": [8, 18, 25]}
SRB_SIZES_SOURCE = {
    "Primary": "sizes 8-16 places: Norfolk's primary bases have 8, 10 or 16 (NCC SRB consultation 2023)",
    "Secondary": "sizes 8-25 places: secondary complex-needs bases 18, the autism base up to 25 (NCC MI sheet "
    "12/24); 8 as the smallest (estimate)",
}
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
