"""Build the Norfolk default dataset (data/norfolk) from the public source files (data/sources/norfolk).

Run from the repository root:  python tools/build_norfolk_data.py
The shipped data/norfolk folder is exactly what this script writes (a test checks it), so every figure in
it can be traced to a source file, a public document named in a `source` column, or an estimate labelled
`estimate` here and in docs/data.md.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BNG = "EPSG:27700"
WGS84 = "EPSG:4326"
BASE_YEAR = 2025

S, D, E = "sourced", "derived", "estimate"

# ---------------------------------------------------------------------------------------------------------
# Planning classifications
# ---------------------------------------------------------------------------------------------------------
NEED_GROUPS = [
    ("CI", "Communication and interaction", "ASD;SLCN", "C&I"),
    ("CL", "Cognition and learning", "MLD;SLD;PMLD;SpLD", "C&L"),
    ("SEMH", "Social, emotional and mental health", "SEMH", "SEMH"),
    ("SP", "Sensory and physical", "HI;VI;MSI;PD", "Sensory/physical"),
    ("OTHER", "Other or not recorded", "OTH;unknown", "Other/unknown"),
]
NEED_COLUMNS = {
    "CI": ["number_asd", "number_slcn"],
    "CL": ["number_mld", "number_sld", "number_pmld", "number_spld"],
    "SEMH": ["number_semh"],
    "SP": ["number_hi", "number_vi", "number_msi", "number_pd"],
    "OTHER": ["number_oth", "number_need_unknown"],
}
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

COMPLEX = "CL;CI;SP;OTHER"

# ---------------------------------------------------------------------------------------------------------
# Figures from PARAMETERS.md and PROVISION.md (each with its basis and source)
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
SRB_TOTAL_PLACES_BASE = 605  # estimate; see srb_total_note
SRB_TOTAL_NOTE = (
    "estimate: 330 places in 2018 (NCC sufficiency strategy) + 90 named 2020-21 bases + up to 70 in four primary "
    "SEMH bases (2021) + 91 of the 116 agreed in 2022 (Acle's 25 open after the base year) + 24 opened 2024 "
    "(PROVISION.md 2d); overlaps between these announcements are not known"
)
SRB_OCCUPANCY = 0.90  # estimate: share of SRB places filled by pupils with plans in the base year
SRB_PRIMARY_SHARE = 0.60  # estimate: share of unnamed SRB places in primary bases

IND_NORFOLK_FUNDED_SHARE = 0.70  # estimate: share of Norfolk independent special rolls funded by Norfolk
OOC_INDEPENDENT_JOURNEY_KM = 60.0  # estimate
OOC_STATE_JOURNEY_KM = 40.0  # estimate
AP_HEADROOM = 0.15  # estimate

# Commitments (PROVISION.md 2b, 2c, 2d; PARAMETERS.md supply table)
LFI_CAPITAL = 40_000_000  # about GBP 40m DfE funding for both schools (BBC 23 Jan 2026), sourced
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

# Options
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

# Money
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
HN_DSG_GROWTH = 0.03  # estimate
SCHOOLS_BLOCK_TRANSFER = 9_000_000  # 1.5% of schools block, about 9m (2023/24, sourced)
COUNCIL_CONTRIBUTION = 5_500_000  # 2023/24 to 2028/29, sourced
SAFETY_VALVE = {2023: 28e6, 2024: 6e6, 2025: 6e6, 2026: 6e6, 2027: 6e6, 2028: 6e6, 2029: 12e6}
OPENING_DEFICIT = 81_500_000  # cumulative at the end of 2023/24 (EDP), sourced
BASE_YEAR_DEFICIT_END = 115_000_000  # forecast cumulative at March 2025 (EDP), sourced
CAPITAL_BUDGET_PER_YEAR = 12_000_000  # estimate (no published figure)
TRANSPORT_SPEND_2024 = 40_000_000
TRANSPORT_PUPILS_2024 = 4_100
LAST_YEAR = 2032


def _pc(x: float) -> float:
    return float(round(x, 2))


# ---------------------------------------------------------------------------------------------------------
def build_geography(src: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    lad = gpd.read_file(src / "norfolk_lad.geojson")
    msoa = gpd.read_file(src / "norfolk_msoa2011.geojson")
    lsoa = gpd.read_file(src / "norfolk_lsoa2011.geojson")

    districts = gpd.GeoDataFrame(
        {
            "district_id": lad["LAD13CD"],
            "district_name": lad["LAD13NM"],
            "children_0_15": lad["pop_0_15"].astype(int),
            "population": lad["pop_total"].astype(int),
            "basis": S,
            "source": "ONS LAD boundaries (dissolved MSOA 2011 BGC); ONS Census 2021 usual residents",
        },
        geometry=lad.geometry,
        crs=WGS84,
    ).sort_values("district_id")

    # LSOA -> MSOA by name ("Breckland 010A" lies in "Breckland 010")
    lsoa = lsoa.copy()
    lsoa["msoa_name"] = lsoa["LSOA11NM"].str[:-1]
    name_to_msoa = dict(zip(msoa["MSOA11NM"], msoa["MSOA11CD"], strict=True))
    lsoa["msoa_id"] = lsoa["msoa_name"].map(name_to_msoa)
    assert lsoa["msoa_id"].notna().all()
    lsoa_bng = lsoa.to_crs(BNG)
    lsoa["area"] = lsoa_bng.area
    pts = lsoa_bng.representative_point()
    lsoa["x"], lsoa["y"] = pts.x, pts.y

    # Fill the 9 LSOAs without a 2021 population: the MSOA's exact total minus its known LSOAs, split by area
    children = lsoa["pop_0_15"].astype(float)
    population = lsoa["pop_total"].astype(float)
    basis = np.where(children.notna(), S, D)
    msoa_kids = dict(zip(msoa["MSOA11CD"], msoa["pop_0_15"], strict=True))
    msoa_pop = dict(zip(msoa["MSOA11CD"], msoa["pop_total"], strict=True))
    for mid, grp in lsoa.groupby("msoa_id"):
        missing = grp.index[grp["pop_0_15"].isna()]
        if len(missing) == 0:
            continue
        rest_kids = msoa_kids[mid] - grp["pop_0_15"].sum()
        rest_pop = msoa_pop[mid] - grp["pop_total"].sum()
        assert rest_kids >= 0 and rest_pop >= 0, mid
        share = grp.loc[missing, "area"] / grp.loc[missing, "area"].sum()
        children.loc[missing] = rest_kids * share
        population.loc[missing] = rest_pop * share
    lsoa["children_0_15"] = children.round(1)
    lsoa["population"] = population.round(1)

    zones_lsoa = gpd.GeoDataFrame(
        {
            "zone_id": lsoa["LSOA11CD"],
            "zone_name": lsoa["LSOA11NM"],
            "district_id": lsoa["LAD13CD"],
            "msoa_id": lsoa["msoa_id"],
            "children_0_15": lsoa["children_0_15"],
            "population": lsoa["population"],
            "point_lon": 0.0,
            "point_lat": 0.0,
            "basis": basis,
            "source": np.where(
                basis == S,
                "ONS LSOA 2011 BGC; Census 2021 aged 15 and under (" + lsoa["pop_method"].fillna("") + ")",
                "derived: LSOA merged or changed in 2021; its MSOA's Census 2021 total minus the MSOA's other "
                "LSOAs, split between such LSOAs by area",
            ),
        },
        geometry=lsoa.geometry,
        crs=WGS84,
    )
    ll = gpd.GeoSeries(gpd.points_from_xy(lsoa["x"], lsoa["y"]), crs=BNG).to_crs(WGS84)
    zones_lsoa["point_lon"] = ll.x.round(6).values
    zones_lsoa["point_lat"] = ll.y.round(6).values

    # MSOA population-weighted point: children-weighted mean of its LSOAs' representative points
    w = lsoa["children_0_15"].clip(lower=0.1)
    agg = (
        pd.DataFrame({"msoa_id": lsoa["msoa_id"], "wx": lsoa["x"] * w, "wy": lsoa["y"] * w, "w": w})
        .groupby("msoa_id")
        .sum()
    )
    agg["x"], agg["y"] = agg["wx"] / agg["w"], agg["wy"] / agg["w"]
    msoa_bng = msoa.to_crs(BNG).set_index("MSOA11CD")
    pt = gpd.GeoSeries(
        gpd.points_from_xy(agg.loc[msoa_bng.index, "x"], agg.loc[msoa_bng.index, "y"]), index=msoa_bng.index, crs=BNG
    )
    inside = pt.within(msoa_bng.geometry)
    rep = msoa_bng.geometry.representative_point()
    pt = pt.where(inside, rep)
    pt_ll = pt.to_crs(WGS84)
    zones_msoa = gpd.GeoDataFrame(
        {
            "zone_id": msoa["MSOA11CD"].values,
            "zone_name": msoa["MSOA11NM"].values,
            "district_id": msoa["LAD13CD"].values,
            "children_0_15": msoa["pop_0_15"].astype(int).values,
            "population": msoa["pop_total"].astype(int).values,
            "point_lon": pt_ll.loc[msoa["MSOA11CD"]].x.round(6).values,
            "point_lat": pt_ll.loc[msoa["MSOA11CD"]].y.round(6).values,
            "basis": S,
            "source": np.where(
                inside.loc[msoa["MSOA11CD"]].values,
                "ONS MSOA 2011 BGC; Census 2021 aged 15 and under; point = children-weighted mean of LSOA points",
                "ONS MSOA 2011 BGC; Census 2021 aged 15 and under; point = representative point (weighted mean "
                "fell outside the zone)",
            ),
        },
        geometry=msoa.geometry.values,
        crs=WGS84,
    )
    return districts, zones_msoa, zones_lsoa


# ---------------------------------------------------------------------------------------------------------
def age_to_phase(age: int) -> str:
    for pid, _n, lo, hi, *_ in PHASES:
        if lo <= age <= hi:
            return pid
    raise ValueError(age)


def parse_age(label: str) -> int:
    label = label.strip()
    if label == "under 3":
        return 2
    return int(label.replace("age", "").strip())


def ipf3(seed: np.ndarray, m_gp: np.ndarray, m_gt: np.ndarray, m_pt: np.ndarray, iters: int = 500) -> np.ndarray:
    """Fit a need x phase x placement table to its three two-way margins (iterative proportional fitting)."""
    x = seed.astype(float).copy()
    for _ in range(iters):
        for axis, m in ((2, m_gp), (1, m_gt), (0, m_pt)):
            cur = x.sum(axis=axis)
            f = np.divide(m, cur, out=np.zeros_like(m, dtype=float), where=cur > 0)
            x *= np.expand_dims(f, axis)
    return x


def build_plans_and_base(src: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    cohort = src / "cohort"
    proj = pd.read_csv(cohort / "projection_needgroup_by_phase_2025_2032.csv")
    ng_map = {sen2: gid for gid, _n, _c, sen2 in NEED_GROUPS}
    ph_map = {lab: pid for pid, _n, _lo, _hi, _m, lab, _r in PHASES}
    plans = pd.DataFrame(
        {
            "scenario": proj["scenario"],
            "year": proj["january_of"].astype(int),
            "need_group": proj["need_group"].map(ng_map),
            "phase": proj["phase"].map(ph_map),
            "plans": proj["ehcp_need"].astype(float),
            "basis": D,
            "source": "cohort projection from SEN2 2025 (cohort/projection_needgroup_by_phase_2025_2032.csv): "
            "single-age recursion with exit rates and joiners, need shares by age fixed at Jan 2025",
        }
    )
    assert plans.notna().all().all()
    plans = plans.sort_values(["scenario", "year", "phase", "need_group"]).reset_index(drop=True)

    groups = [g[0] for g in NEED_GROUPS]
    phases = [p[0] for p in PHASES]
    types = [t[0] for t in PLACEMENT_TYPES]

    base = plans[(plans.scenario == "central") & (plans.year == BASE_YEAR)]
    m_gp = base.pivot(index="need_group", columns="phase", values="plans").loc[groups, phases].to_numpy()

    needs_all = pd.read_csv(src / "send_stats/ehcp2025_sen_needs_all_plans_norfolk_england.csv")
    needs_all = needs_all[needs_all.la_name == "Norfolk"]
    needs = needs_all[needs_all.breakdown_topic == "Type of placement"].set_index("breakdown")
    m_gt = np.zeros((len(groups), len(types)))
    for j, (_tid, _n, _s, _cols, rows) in enumerate(PLACEMENT_TYPES):
        if rows is None:
            continue
        for i, g in enumerate(groups):
            m_gt[i, j] = needs.loc[rows, NEED_COLUMNS[g]].to_numpy(dtype=float).sum()
    mt = types.index("mainstream")
    for i, g in enumerate(groups):
        m_gt[i, mt] = (
            needs.loc["Mainstream - total", NEED_COLUMNS[g]].to_numpy(dtype=float).sum() - m_gt[i, types.index("srb")]
        )

    cas = pd.read_csv(src / "send_stats/ehcp2025_caseload_norfolk_england.csv")
    cas = cas[
        (cas.la_name == "Norfolk") & (cas.time_period == 202425) & (cas.breakdown_topic == "Child or young persons age")
    ].copy()
    cas["phase"] = cas["breakdown"].map(lambda s: age_to_phase(parse_age(s)))
    for c in cas.columns:
        if c.startswith(("mainstream", "special", "ap_", "fe_", "ed_", "nm_", "placement")):
            cas[c] = pd.to_numeric(cas[c], errors="coerce").fillna(0)
    m_pt = np.zeros((len(phases), len(types)))
    by_phase = cas.groupby("phase").sum(numeric_only=True)
    for j, (_tid, _n, _s, cols, _rows) in enumerate(PLACEMENT_TYPES):
        if cols is None:
            continue
        for k, p in enumerate(phases):
            m_pt[k, j] = by_phase.loc[p, cols].sum()
    srb_cols = PLACEMENT_TYPES[types.index("srb")][3]
    for k, p in enumerate(phases):
        m_pt[k, mt] = by_phase.loc[p, "mainstream_total"] - by_phase.loc[p, srb_cols].sum()

    # the three margins come from different SEN2 tables; scale the two placement margins to the need x phase total
    total = m_gp.sum()
    m_gt *= total / m_gt.sum()
    m_pt *= total / m_pt.sum()
    x = ipf3(np.ones((len(groups), len(phases), len(types))), m_gp, m_gt, m_pt)

    published = {
        "plans_total": float(needs_all.loc[needs_all.breakdown_topic == "All EHC plans", "ehc_plans"].iloc[0]),
    }
    rows = []
    for i, g in enumerate(groups):
        for k, p in enumerate(phases):
            for j, t in enumerate(types):
                rows.append((t, g, p, x[i, k, j]))
    bp = pd.DataFrame(rows, columns=["placement_type", "need_group", "phase", "pupils"])
    bp["basis"] = D
    bp["source"] = (
        "SEN2 Jan 2025: need x placement (ehcp2025_sen_needs_all_plans, 'Type of placement'), age x placement "
        "(ehcp2025_caseload by age) and need x phase (cohort projection base year), joined by iterative "
        "proportional fitting"
    )
    return plans, bp, published


def stay_rates(src: Path) -> dict[str, float]:
    """Share of a phase's specialist pupils still in specialist provision in that phase a year later.

    For a pupil aged a (a+1 still in the phase) the stay probability is min(1 - q(a), S25(a+1) / S24(a)):
    the plan may cease (exit rate q, cohort_parameters), and where the specialist cohort shrinks from one age to
    the next (post-16 pupils moving to further education) the net shrinkage counts as leaving too. Pupils at the
    phase's last age leave the phase. Weighted by Jan 2025 specialist pupils by age.
    """
    q = pd.read_csv(src / "cohort/cohort_parameters_2024_to_2025.csv").set_index("age_jan2024")["exit_rate_q"]
    cas = pd.read_csv(src / "send_stats/ehcp2025_caseload_norfolk_england.csv")
    cas = cas[(cas.la_name == "Norfolk") & (cas.breakdown_topic == "Child or young persons age")].copy()
    cas["age"] = cas["breakdown"].map(parse_age)
    spec_cols = [c for t in PLACEMENT_TYPES if t[2] for c in t[3]]
    cas["specialist"] = cas[spec_cols].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)
    s24 = cas[cas.time_period == 202324].set_index("age")["specialist"]
    s25 = cas[cas.time_period == 202425].set_index("age")["specialist"]
    out = {}
    for pid, _n, lo, hi, *_ in PHASES:
        ages = [a for a in range(lo, hi + 1) if a in s25.index]
        tot = sum(s25[a] for a in ages)
        stay = 0.0
        for a in ages:
            if a + 1 > hi:
                continue
            ratio = s25.get(a + 1, 0.0) / s24[a] if s24.get(a, 0) > 0 else 1.0
            stay += s25[a] * min(1 - q.get(a, 0.0), ratio)
        out[pid] = round(stay / tot, 4) if tot > 0 else 0.0
    return out


# ---------------------------------------------------------------------------------------------------------
def _gias(src: Path) -> pd.DataFrame:
    return pd.read_csv(src / "norfolk_schools_gias_20250524.csv").set_index("urn")


def _loc(g: pd.DataFrame, urn: int) -> tuple[float, float, str]:
    r = g.loc[urn]
    return float(r["longitude"]), float(r["latitude"]), str(r["LAD13CD"])


def build_settings(src: Path, zones_msoa: gpd.GeoDataFrame, base: pd.DataFrame) -> pd.DataFrame:
    g = _gias(src)
    rows = []
    # state special schools
    for urn, (desig, needs, lo, hi, places, year, pbasis, psrc, abasis) in SPECIAL_SCHOOLS.items():
        r = g.loc[urn]
        roll = int(r["number_of_pupils"])
        if places is None:
            p, pb = math.ceil(roll * (1 + UNKNOWN_PLACES_HEADROOM)), E
            note = f"places: roll {roll} + {UNKNOWN_PLACES_HEADROOM:.0%} headroom ({psrc})"
        elif places < roll:
            p, pb = roll, D
            note = (
                f"places: the stated {places} ({year}; {psrc}) is below the May 2025 roll of {roll}; taken as the roll"
            )
        else:
            p, pb = places, pbasis
            note = f"places: {places} ({year}; {psrc})"
        rows.append(
            dict(
                setting_id=f"sp-{urn}",
                name=r["establishment_name"],
                urn=urn,
                setting_type="special",
                designation=desig,
                needs=needs,
                min_age=lo,
                max_age=hi,
                district_id=r["LAD13CD"],
                lon=r["longitude"],
                lat=r["latitude"],
                out_of_county=False,
                journey_km=np.nan,
                places=p,
                base_pupils=roll,
                places_basis=pb,
                base_pupils_basis=E,
                designation_basis=S,
                source=f"GIAS May 2025 (URN, location, roll); PROVISION.md 1b/2b; designation sourced, "
                f"ages {abasis}; {note}; "
                "base pupils = roll (estimate: all pupils on roll are Norfolk-funded)",
            )
        )
    # alternative provision
    ap = g[g.category == "alternative_provision"]
    ap_total = float(base.query("placement_type == 'ap'")["pupils"].sum())
    ap_roll = float(ap["number_of_pupils"].sum())
    for urn, r in ap.iterrows():
        bp = ap_total * r["number_of_pupils"] / ap_roll
        rows.append(
            dict(
                setting_id=f"ap-{urn}",
                name=r["establishment_name"],
                urn=urn,
                setting_type="ap",
                designation="alternative provision (SEMH)",
                needs="SEMH",
                min_age=5,
                max_age=16,
                district_id=r["LAD13CD"],
                lon=r["longitude"],
                lat=r["latitude"],
                out_of_county=False,
                journey_km=np.nan,
                places=math.ceil(bp * (1 + AP_HEADROOM)),
                base_pupils=round(bp, 2),
                places_basis=E,
                base_pupils_basis=D,
                designation_basis=E,
                source=f"GIAS May 2025; pupils with plans = SEN2 AP/PRU total {ap_total:.0f} split by roll "
                f"(derived); places = pupils + {AP_HEADROOM:.0%} (estimate); SEMH, ages 5-16 (estimate)",
            )
        )
    # SRBs at named hosts
    srb_named = 0
    for k, (urn, needs, places, opened, ssrc) in enumerate(SRB_EXISTING):
        r = g.loc[urn]
        phase = r["education_phase"]
        lo, hi = (4, 10) if phase == "Primary" else (11, 15)
        srb_named += places
        rows.append(
            dict(
                setting_id=f"srb-{urn}" + ("" if sum(1 for x in SRB_EXISTING if x[0] == urn) == 1 else f"-{k}"),
                name=f"{r['establishment_name']} SRB",
                urn=urn,
                setting_type="srb",
                designation=f"SRB ({needs.replace(';', ', ')})",
                needs=needs,
                min_age=lo,
                max_age=hi,
                district_id=r["LAD13CD"],
                lon=r["longitude"],
                lat=r["latitude"],
                out_of_county=False,
                journey_km=np.nan,
                places=places,
                base_pupils=round(places * SRB_OCCUPANCY, 2),
                places_basis=S,
                base_pupils_basis=E,
                designation_basis=S,
                source=f"{ssrc}, opened {opened}; host from GIAS; "
                f"base pupils = {SRB_OCCUPANCY:.0%} of places (estimate)",
            )
        )
    # unnamed SRB places, held per district and phase
    pool = SRB_TOTAL_PLACES_BASE - srb_named
    kids = zones_msoa.groupby("district_id")["children_0_15"].sum()
    shares = largest_remainder(kids / kids.sum() * pool)
    zb = zones_msoa.to_crs(BNG)
    for did, n in shares.items():
        z = zb[zb.district_id == did]
        w = z["children_0_15"]
        x = float((z.geometry.representative_point().x * w).sum() / w.sum())
        y = float((z.geometry.representative_point().y * w).sum() / w.sum())
        pt = gpd.GeoSeries(gpd.points_from_xy([x], [y]), crs=BNG).to_crs(WGS84).iloc[0]
        n_pri = int(round(n * SRB_PRIMARY_SHARE))
        for ph, nn, lo, hi in (("primary", n_pri, 4, 10), ("secondary", n - n_pri, 11, 15)):
            rows.append(
                dict(
                    setting_id=f"srb-pool-{did}-{ph}",
                    name=f"Other {ph} SRBs, {district_name(zones_msoa, did)}",
                    urn=np.nan,
                    setting_type="srb",
                    designation="SRBs not named in public sources",
                    needs="CL;CI;SEMH",
                    min_age=lo,
                    max_age=hi,
                    district_id=did,
                    lon=round(pt.x, 6),
                    lat=round(pt.y, 6),
                    out_of_county=False,
                    journey_km=np.nan,
                    places=nn,
                    base_pupils=round(nn * SRB_OCCUPANCY, 2),
                    places_basis=E,
                    base_pupils_basis=E,
                    designation_basis=E,
                    source=f"{SRB_TOTAL_NOTE}; the {pool} places not at a named host are split by district children "
                    f"aged 0-15 and {SRB_PRIMARY_SHARE:.0%} primary (estimate); located at the district's "
                    "children-weighted centre (estimate)",
                )
            )
    # independent special schools in Norfolk
    ind = g[g.category == "independent_special"]
    for urn, r in ind.iterrows():
        if pd.isna(r["number_of_pupils"]):
            continue  # West Raynham: no roll in GIAS (see docs/data.md)
        roll = int(r["number_of_pupils"])
        rows.append(
            dict(
                setting_id=f"ind-{urn}",
                name=r["establishment_name"],
                urn=urn,
                setting_type="independent",
                designation="independent special (needs not published)",
                needs="CI;CL;SEMH;SP;OTHER",
                min_age=5,
                max_age=19,
                district_id=r["LAD13CD"],
                lon=r["longitude"],
                lat=r["latitude"],
                out_of_county=False,
                journey_km=np.nan,
                places=roll,
                base_pupils=round(roll * IND_NORFOLK_FUNDED_SHARE, 2),
                places_basis=E,
                base_pupils_basis=E,
                designation_basis=E,
                source=f"GIAS May 2025 (roll {roll}, all funding authorities); places available to Norfolk = roll "
                f"(estimate); Norfolk-funded pupils = {IND_NORFOLK_FUNDED_SHARE:.0%} of roll (estimate; an "
                "undated NCC report put 63% of independent placements inside Norfolk); all needs, ages 5-19 "
                "(estimate)",
            )
        )
    df = pd.DataFrame(rows)
    # out of county: other councils' special schools, and independent schools outside Norfolk
    special_total = float(base.query("placement_type == 'special'")["pupils"].sum())
    in_county_special = df.loc[df.setting_type == "special", "base_pupils"].sum()
    ooc_state = special_total - in_county_special
    ind_total = float(base.query("placement_type == 'independent'")["pupils"].sum())
    ooc_ind = ind_total - df.loc[df.setting_type == "independent", "base_pupils"].sum()
    extra = [
        dict(
            setting_id="ooc-special",
            name="Other councils' special schools (out of county)",
            urn=np.nan,
            setting_type="special",
            designation="state special schools outside Norfolk",
            needs="CI;CL;SEMH;SP;OTHER",
            min_age=4,
            max_age=19,
            district_id="",
            lon=np.nan,
            lat=np.nan,
            out_of_county=True,
            journey_km=OOC_STATE_JOURNEY_KM,
            places=round(ooc_state, 2),
            base_pupils=round(ooc_state, 2),
            places_basis=D,
            base_pupils_basis=D,
            designation_basis=E,
            source=f"SEN2 Jan 2025 Norfolk-funded state special pupils ({special_total:.0f}) minus the Norfolk "
            f"schools' rolls ({in_county_special:.0f}); places held at that number; journey "
            f"{OOC_STATE_JOURNEY_KM:.0f} km (estimate)",
        ),
        dict(
            setting_id="ooc-independent",
            name="Independent special schools out of county",
            urn=np.nan,
            setting_type="independent",
            designation="independent and non-maintained special schools outside Norfolk",
            needs="CI;CL;SEMH;SP;OTHER",
            min_age=4,
            max_age=19,
            district_id="",
            lon=np.nan,
            lat=np.nan,
            out_of_county=True,
            journey_km=OOC_INDEPENDENT_JOURNEY_KM,
            places=np.nan,
            base_pupils=round(ooc_ind, 2),
            places_basis=E,
            base_pupils_basis=D,
            designation_basis=E,
            source=f"SEN2 Jan 2025 independent + non-maintained special ({ind_total:.0f}) minus the Norfolk "
            "independent schools' Norfolk-funded pupils; unlimited places (the fallback); journey "
            f"{OOC_INDEPENDENT_JOURNEY_KM:.0f} km (estimate: most out-of-county placements are in "
            "neighbouring counties)",
        ),
    ]
    df = pd.concat([df, pd.DataFrame(extra)], ignore_index=True)
    df["urn"] = df["urn"].astype("Int64")
    return df


def district_name(zones: pd.DataFrame, did: str) -> str:
    names = {
        "E07000143": "Breckland",
        "E07000144": "Broadland",
        "E07000145": "Great Yarmouth",
        "E07000146": "King's Lynn and West Norfolk",
        "E07000147": "North Norfolk",
        "E07000148": "Norwich",
        "E07000149": "South Norfolk",
    }
    return names[did]


def largest_remainder(values: pd.Series) -> pd.Series:
    floor = np.floor(values).astype(int)
    short = int(round(values.sum())) - int(floor.sum())
    order = (values - floor).sort_values(ascending=False).index[:short]
    floor.loc[order] += 1
    return floor


def rebalance_srb(base: pd.DataFrame, settings: pd.DataFrame) -> pd.DataFrame:
    """Move pupils SEN2 records as mainstream into SRBs so that SRB pupils equal the SRBs' base pupils."""
    base = base.copy()
    target = settings.loc[settings.setting_type == "srb", "base_pupils"].sum()
    srb = base.placement_type == "srb"
    ms = base.placement_type == "mainstream"
    current = base.loc[srb, "pupils"].sum()
    extra = target - current
    prof = base.loc[srb].set_index(["need_group", "phase"])["pupils"] / current
    add = (prof * extra).rename("add")
    b2 = base.set_index(["placement_type", "need_group", "phase"]).sort_index()
    for (g, p), a in add.items():
        b2.loc[("srb", g, p), "pupils"] += a
        b2.loc[("mainstream", g, p), "pupils"] -= a
        assert b2.loc[("mainstream", g, p), "pupils"] >= 0
    base = b2.reset_index()
    note = (
        f"; SRB rows raised from SEN2's {current:.0f} SEN-unit pupils to {target:.0f} (90% of the estimated SRB "
        "places), the difference taken from mainstream with the SEN-unit need and phase profile (estimate)"
    )
    base.loc[base.placement_type.isin(["srb", "mainstream"]), "basis"] = E
    base.loc[base.placement_type.isin(["srb", "mainstream"]), "source"] += note
    # round to 3 decimals, then let mainstream absorb the rounding so each need x phase still sums to its plans
    totals = base.groupby(["need_group", "phase"])["pupils"].sum().round(3)
    base["pupils"] = base["pupils"].round(3)
    residual = totals - base.groupby(["need_group", "phase"])["pupils"].sum()
    ms = base.placement_type == "mainstream"
    idx = pd.MultiIndex.from_frame(base.loc[ms, ["need_group", "phase"]])
    base.loc[ms, "pupils"] = (base.loc[ms, "pupils"].to_numpy() + residual.reindex(idx).fillna(0.0).to_numpy()).round(3)
    return base


# ---------------------------------------------------------------------------------------------------------
def build_commitments(src: Path) -> pd.DataFrame:
    g = _gias(src)
    rows = []
    dm = _loc(g, 145196)
    gy = _loc(g, 142883)
    for pid, name, needs, desig, lo, hi, places, loc, town in (
        (
            "lfi-downham-market",
            "Local First Inclusion school, Downham Market",
            "CI",
            "communication and interaction",
            5,
            19,
            100,
            dm,
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
            gy,
            "Great Yarmouth Charter Academy",
        ),
    ):
        rows.append(
            dict(
                project_id=pid,
                name=name,
                project_type="new_school",
                setting_id=pid,
                setting_type="special",
                urn=pd.NA,
                designation=desig,
                needs=needs,
                min_age=lo,
                max_age=hi,
                district_id=loc[2],
                lon=loc[0],
                lat=loc[1],
                places=places,
                opening_year=2029,
                capital_cost=round(LFI_CAPITAL * places / 270),
                places_basis=S,
                opening_basis=E,
                capital_basis=D,
                source="norfolk.gov.uk/newspecialschools (places, needs, ages); about GBP 40m DfE funding for both "
                "schools confirmed Jan 2026 (BBC), split by places (derived); opening Sept 2028 = 2028/29 "
                f"(estimate: target was Sept 2026, then paused); site not published, located at {town} "
                "(estimate)",
            )
        )
    lo, la, dist = _loc(g, 121256)
    rows.append(
        dict(
            project_id="fred-nicholson-225",
            name="Fred Nicholson School expansion to 225",
            project_type="expansion",
            setting_id="sp-121256",
            setting_type="special",
            urn=121256,
            designation="complex needs",
            needs=COMPLEX,
            min_age=7,
            max_age=16,
            district_id=dist,
            lon=lo,
            lat=la,
            places=225 - 191,
            opening_year=2026,
            capital_cost=0,
            places_basis=D,
            opening_basis=E,
            capital_basis=E,
            source="NCC article 53365: 173 to 225 places with relocation to Swaffham, approved Jul 2023, 'from April "
            "2025' (not verified); places added = 225 minus the May 2025 roll of 191 (derived); opening 2025/26 "
            "(estimate); capital not published (0 here)",
        )
    )
    for urn, needs, places, year, ssrc in COMMITTED_SRBS:
        r = g.loc[urn]
        ph = r["education_phase"]
        lo, hi = (4, 10) if ph == "Primary" else (11, 15)
        rows.append(
            dict(
                project_id=f"srb-{urn}",
                name=f"{r['establishment_name']} SRB",
                project_type="srb",
                setting_id=f"srb-{urn}",
                setting_type="srb",
                urn=urn,
                designation=f"SRB ({needs.replace(';', ', ')})",
                needs=needs,
                min_age=lo,
                max_age=hi,
                district_id=r["LAD13CD"],
                lon=r["longitude"],
                lat=r["latitude"],
                places=places,
                opening_year=year,
                capital_cost=places * CAPEX_PER_PLACE["srb"][0],
                places_basis=S,
                opening_basis=S,
                capital_basis=E,
                source=f"{ssrc}; capital {CAPEX_PER_PLACE['srb'][0]:,} per place (estimate)",
            )
        )
    # LFI secondary SRBs: hosts not published; held at each district's largest secondary school
    sec = g[(g.category == "state_mainstream") & (g.education_phase == "Secondary")]
    kids = sec.groupby("LAD13CD")["number_of_pupils"].sum()
    alloc = largest_remainder(kids / kids.sum() * 10)
    k = 0
    for did, n in alloc.items():
        hosts = sec[did == sec.LAD13CD].sort_values("number_of_pupils", ascending=False)
        for i in range(int(n)):
            r = hosts.iloc[i]
            k += 1
            rows.append(
                dict(
                    project_id=f"lfi-srb-{k:02d}",
                    name=f"LFI secondary SRB {k} ({district_name(None, did)})",
                    project_type="srb",
                    setting_id=f"lfi-srb-{k:02d}",
                    setting_type="srb",
                    urn=pd.NA,
                    designation="SRB (complex needs)",
                    needs="CL;CI;SEMH",
                    min_age=11,
                    max_age=15,
                    district_id=did,
                    lon=r["longitude"],
                    lat=r["latitude"],
                    places=18,
                    opening_year=2026,
                    capital_cost=18 * CAPEX_PER_PLACE["srb"][0],
                    places_basis=S,
                    opening_basis=E,
                    capital_basis=E,
                    source=f"{LFI_SECONDARY_SRB_NOTE}; split by district secondary rolls (estimate) and located at "
                    f"{r['establishment_name']} as a proxy (estimate); opening 2025/26 (estimate)",
                )
            )
    r = sec[sec.LAD13CD == "E07000148"].sort_values("number_of_pupils", ascending=False).iloc[1]
    rows.append(
        dict(
            project_id="lfi-srb-autism",
            name="LFI secondary autism SRB (Norwich)",
            project_type="srb",
            setting_id="lfi-srb-autism",
            setting_type="srb",
            urn=pd.NA,
            designation="SRB (autism)",
            needs="CI",
            min_age=11,
            max_age=15,
            district_id="E07000148",
            lon=r["longitude"],
            lat=r["latitude"],
            places=25,
            opening_year=2026,
            capital_cost=25 * CAPEX_PER_PLACE["srb"][0],
            places_basis=S,
            opening_basis=E,
            capital_basis=E,
            source=f"{LFI_SECONDARY_SRB_NOTE}; located at {r['establishment_name']} as a proxy "
            "(estimate); opening 2025/26 (estimate)",
        )
    )
    df = pd.DataFrame(rows)
    df["urn"] = df["urn"].astype("Int64")
    return df


def build_options(src: Path, settings: pd.DataFrame, commitments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    g = _gias(src)
    opts, sizes = [], []

    def add(opt: dict, size_list: list[int], kind: str) -> None:
        lead, lbasis, lsrc = LEAD_TIME[kind]
        cpp, cbasis, csrc = CAPEX_PER_PLACE[kind]
        sizing = "menu" if kind == "new_school" else "range"
        opt.update(lead_time_years=lead, earliest_start=EARLIEST_START, lead_time_basis=lbasis, sizing=sizing)
        opt["source"] = opt["source"] + f"; lead time {lead} years ({lsrc}); capital {cpp:,}/place ({csrc})"
        opts.append(opt)
        for s in size_list:
            sizes.append(dict(option_id=opt["option_id"], places=s, capital_cost=s * cpp, basis=cbasis))

    for site, town, urn in NEW_SCHOOL_SITES:
        lo_, la_, did = _loc(g, urn)
        for code, desig, needs, lo, hi in NEW_SCHOOL_DESIGNATIONS:
            add(
                dict(
                    option_id=f"new-{site}-{code}",
                    site_id=f"new-{site}",
                    name=f"New {desig} school, {town}",
                    option_type="new_school",
                    setting_type="special",
                    setting_id="",
                    urn=pd.NA,
                    designation=desig,
                    needs=needs,
                    min_age=lo,
                    max_age=hi,
                    district_id=did,
                    lon=lo_,
                    lat=la_,
                    source=f"candidate site (estimate): {town}, located at {g.loc[urn, 'establishment_name']} "
                    "as a proxy; sizes within the 88-170 places of the new special schools of 2018-26 "
                    "(PROVISION.md 2b; estimate)",
                ),
                NEW_SCHOOL_SIZES,
                "new_school",
            )
    for urn, (desig, needs, lo, hi, *_rest) in SPECIAL_SCHOOLS.items():
        r = g.loc[urn]
        add(
            dict(
                option_id=f"exp-{urn}",
                site_id=f"sp-{urn}",
                name=f"Expand {r['establishment_name']}",
                option_type="expansion",
                setting_type="special",
                setting_id=f"sp-{urn}",
                urn=urn,
                designation=desig,
                needs=needs,
                min_age=lo,
                max_age=hi,
                district_id=r["LAD13CD"],
                lon=r["longitude"],
                lat=r["latitude"],
                source="expansion of an existing special school (sizes: estimate)",
            ),
            EXPANSION_SIZES,
            "expansion",
        )
    taken = set(settings["urn"].dropna().astype(int)) | set(commitments["urn"].dropna().astype(int))
    taken |= {u for *_x, u in NEW_SCHOOL_SITES}
    taken |= {145196, 142883}  # proxy locations of the two LFI schools
    for c in commitments.itertuples():
        if c.project_id.startswith("lfi-srb"):
            near = g[(g.longitude == c.lon) & (g.latitude == c.lat)]
            taken |= set(near.index)
    main = g[(g.category == "state_mainstream") & g.number_of_pupils.notna()]
    specialisms = [("ci", "autism (CI)", "CI"), ("semh", "SEMH", "SEMH"), ("cl", "learning and cognition", "CL")]
    for did in sorted(main.LAD13CD.unique()):
        for ph, lo, hi in (("Primary", 4, 10), ("Secondary", 11, 15)):
            hosts = main[(did == main.LAD13CD) & (main.education_phase == ph) & ~main.index.isin(taken)]
            hosts = hosts.sort_values("number_of_pupils", ascending=False).head(3)
            for (_code, desig, needs), (urn, r) in zip(specialisms, hosts.iterrows(), strict=False):
                add(
                    dict(
                        option_id=f"srb-opt-{urn}",
                        site_id=f"host-{urn}",
                        name=f"{desig} SRB at {r['establishment_name']}",
                        option_type="srb",
                        setting_type="srb",
                        setting_id="",
                        urn=urn,
                        designation=f"SRB ({desig})",
                        needs=needs,
                        min_age=lo,
                        max_age=hi,
                        district_id=did,
                        lon=r["longitude"],
                        lat=r["latitude"],
                        source=f"host: one of the district's three largest {ph.lower()} schools (GIAS roll "
                        f"{int(r['number_of_pupils'])}); specialism assigned in turn (estimate)",
                    ),
                    SRB_SIZES,
                    "srb",
                )
    for did in sorted(main.LAD13CD.unique()):
        hosts = main[(did == main.LAD13CD) & (main.education_phase == "Secondary") & ~main.index.isin(taken)]
        r = hosts.sort_values("number_of_pupils", ascending=False).iloc[0]
        urn = r.name
        add(
            dict(
                option_id=f"ap-opt-{urn}",
                site_id=f"ap-host-{urn}",
                name=f"School-led AP at {r['establishment_name']}",
                option_type="ap",
                setting_type="ap",
                setting_id="",
                urn=urn,
                designation="school-led AP (SEMH)",
                needs="SEMH",
                min_age=11,
                max_age=15,
                district_id=did,
                lon=r["longitude"],
                lat=r["latitude"],
                source="school-led AP (LFI programme) at the district's largest secondary school that is not "
                "already a setting, commitment or new-school proxy site (estimate)",
            ),
            AP_SIZES,
            "ap",
        )
    o = pd.DataFrame(opts)
    o["urn"] = o["urn"].astype("Int64")
    return o, pd.DataFrame(sizes)


# ---------------------------------------------------------------------------------------------------------
def build_money(
    settings: pd.DataFrame, base: pd.DataFrame, plans: pd.DataFrame, phases: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    uc = pd.DataFrame(UNIT_COSTS, columns=["setting_type", "place_funding", "top_up", "basis", "source"])

    inc = []
    for year in range(BASE_YEAR, LAST_YEAR + 1):
        dsg = HN_DSG_2024 * (1 + HN_DSG_GROWTH) ** (year - 2024)
        inc.append(
            (
                year,
                "core_high_needs_dsg",
                round(dsg),
                E,
                f"135m in 2023/24 (NCC news release 23 Jan 2023), grown {HN_DSG_GROWTH:.0%} a year (estimate)",
            )
        )
        inc.append(
            (
                year,
                "schools_block_transfer",
                SCHOOLS_BLOCK_TRANSFER,
                S if year == 2025 else E,
                "1.5% of the schools block, about 9m (NCC news release 23 Jan 2023; MI sheet 46/24 for 2024/25)"
                + (
                    ""
                    if year == 2025
                    else "; assumed to continue (estimate: the council proposes ending it "
                    "in 2026/27, see scenario no-transfer-from-2027)"
                ),
            )
        )
        inc.append(
            (
                year,
                "council_contribution",
                COUNCIL_CONTRIBUTION if year <= 2029 else 0,
                S,
                "5.5m a year for six years, 2023/24 to 2028/29 (norfolk.gov.uk/article/44298)",
            )
        )
        inc.append(
            (
                year,
                "safety_valve",
                SAFETY_VALVE.get(year, 0.0),
                D,
                "DfE agreement 70m: 28m (2022/23), 6m a year 2023/24-2027/28, 12m in 2028/29 (profile derived, "
                "PARAMETERS.md)",
            )
        )
    income = pd.DataFrame(inc, columns=["year", "line", "amount", "basis", "source"])

    capital = pd.DataFrame(
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

    # base-year spending the model places, and the rest ("other high-needs spending") calibrated to the outturn
    cost = uc.set_index("setting_type")
    spec = settings[settings.places.notna()]
    placed = (spec.places * spec.setting_type.map(cost.place_funding)).sum() + (
        settings.base_pupils * settings.setting_type.map(cost.top_up)
    ).sum()
    inc25 = income[income.year == BASE_YEAR]["amount"].sum()
    spend25 = inc25 + (BASE_YEAR_DEFICIT_END - OPENING_DEFICIT)
    specialist_types = [t[0] for t in PLACEMENT_TYPES if t[2]]
    placed_by_model = set(phases.loc[phases.placed_by_model, "phase"])
    modelled = base.placement_type.isin(specialist_types) & base.phase.isin(placed_by_model)
    other_plans = base.loc[~modelled, "pupils"].sum()
    rate = (spend25 - placed) / other_plans
    n_spec = base.loc[modelled, "pupils"].sum()

    params = pd.DataFrame(
        [
            ("base_year", BASE_YEAR, "year", S, "January 2025 census = 2024/25"),
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
                f"in-year deficit {(BASE_YEAR_DEFICIT_END - OPENING_DEFICIT) / 1e6:.1f}m implied by 81.5m -> 115m "
                "forecast, EDP) equals placed spending plus this rate x plans the model does not place (mainstream, "
                "FE, elsewhere, early years, post-19)",
            ),
            (
                "unit_cost_growth",
                0.03,
                "per year",
                E,
                "estimate: independent fees rose 54k -> 64k over 2020/21-2024/25 (4.3% a year, PQ 100030); 3% assumed "
                "for all unit costs",
            ),
            (
                "transport_cost_per_pupil",
                round(TRANSPORT_SPEND_2024 / TRANSPORT_PUPILS_2024, 2),
                "GBP per pupil per year",
                D,
                "about 40m for about 4,100 SEND pupils in 2023/24 (norfolk.gov.uk/article/44453; EDP); the per-km "
                "rate is calibrated at run time so that base-year placements cost this on average",
            ),
            ("transport_cost_growth", 0.03, "per year", E, "estimate: as unit costs"),
            (
                "road_circuity",
                1.3,
                "road km per straight-line km",
                E,
                "estimate: typical detour factor for rural English roads",
            ),
            (
                "base_allocation_decay_km",
                15.0,
                "km",
                E,
                "estimate: distance decay of the gravity model that apportions base-year pupils of each setting to "
                "home zones",
            ),
            ("discount_rate", 0.035, "per year", S, "HM Treasury Green Book social time preference rate"),
            (
                "capital_charge_rate",
                0.0,
                "per year of capital",
                E,
                "optional annualised capital charge in the objective; 0 = capital held only within its budget",
            ),
            (
                "specialist_pupils_base",
                round(n_spec, 1),
                "pupils",
                D,
                "specialist pupils in phases the model places, base year (sum of base_placements.csv)",
            ),
        ],
        columns=["name", "value", "unit", "basis", "source"],
    )
    return uc, income, capital, params


def build_reconciliation(published: dict[str, float], spend25: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (
                "plans_base_year",
                published["plans_total"],
                0.5,
                "SEN2 Jan 2025 headline: all EHC plans (ehcp2025_sen_needs_all_plans, 'All EHC plans' row)",
                "total of plans.csv in the base year (central), built from single-age rows",
            ),
            (
                "children_0_15",
                149_032,
                0.1,
                "ONS Census 2021, Norfolk residents aged 15 and under (LSOA 2021 total)",
                "sum of zones_msoa.geojson children_0_15",
            ),
            (
                "state_special_pupils_in_norfolk",
                2_346,
                15.0,
                "SEN2 Jan 2025: Norfolk-funded pupils in state special schools "
                "(LA maintained 1,429 + academy/free 917), "
                "wherever located",
                "sum of base pupils at Norfolk state special schools (GIAS rolls)",
            ),
            (
                "base_year_high_needs_spending",
                round(spend25),
                1.0,
                "2024/25 income (income.csv) + in-year deficit 33.5m (cumulative 81.5m -> 115m forecast, EDP)",
                "base-year spending recomputed from settings, unit_costs and other_high_needs_per_plan",
            ),
        ],
        columns=["measure", "published_value", "tolerance_pct", "source", "data_value_is"],
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--source", type=Path, default=ROOT / "data/sources/norfolk")
    ap.add_argument("--out", type=Path, default=ROOT / "data/norfolk")
    args = ap.parse_args()
    src, out = args.source, args.out
    out.mkdir(parents=True, exist_ok=True)

    districts, zones_msoa, zones_lsoa = build_geography(src)
    plans, base, published = build_plans_and_base(src)
    stays = stay_rates(src)
    phases = pd.DataFrame(
        [
            dict(
                phase=pid,
                name=name,
                min_age=lo,
                max_age=hi,
                placed_by_model=placed,
                stay_rate=stays[pid],
                max_journey_km=reach if reach is not None else np.nan,
                basis=D,
                source="ages: cohort/README (SEN2 age at 31 August); stay_rate: share of the phase's "
                "specialist pupils (SEN2 Jan 2025, by age) still in specialist provision in the phase a year later: "
                "min(1 - exit rate q, specialist pupils Jan 2025 at a+1 / Jan 2024 at a), 0 at the phase's last "
                "age (derived); max_journey_km: " + (REACH_SOURCE if reach is not None else "not placed by the model"),
            )
            for pid, name, lo, hi, placed, _lab, reach in PHASES
        ]
    )
    need_groups = pd.DataFrame(
        [
            dict(
                need_group=g,
                name=n,
                sen2_primary_needs=c,
                basis=S,
                source="DfE SEN2 primary-need categories grouped into the SEND Code of Practice broad areas",
            )
            for g, n, c, _s in NEED_GROUPS
        ]
    )
    ptypes = pd.DataFrame([dict(placement_type=t, name=n, specialist=s) for t, n, s, _c, _r in PLACEMENT_TYPES])
    settings = build_settings(src, zones_msoa, base)
    base = rebalance_srb(base, settings)
    commitments = build_commitments(src)
    options, option_sizes = build_options(src, settings, commitments)
    unit_costs, income, capital, params = build_money(settings, base, plans, phases)
    spend25 = income[income.year == BASE_YEAR]["amount"].sum() + BASE_YEAR_DEFICIT_END - OPENING_DEFICIT
    recon = build_reconciliation(published, spend25)

    def write_geo(gdf: gpd.GeoDataFrame, name: str) -> None:
        path = out / name
        if path.exists():
            path.unlink()
        gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=6)

    write_geo(districts, "districts.geojson")
    write_geo(zones_msoa, "zones_msoa.geojson")
    write_geo(zones_lsoa, "zones_lsoa.geojson")
    tables = {
        "need_groups.csv": need_groups,
        "phases.csv": phases,
        "placement_types.csv": ptypes,
        "plans.csv": plans,
        "base_placements.csv": base,
        "settings.csv": settings,
        "commitments.csv": commitments,
        "options.csv": options,
        "option_sizes.csv": option_sizes,
        "unit_costs.csv": unit_costs,
        "income.csv": income,
        "capital_budget.csv": capital,
        "parameters.csv": params,
        "reconciliation.csv": recon,
    }
    for name, df in tables.items():
        df.to_csv(out / name, index=False, lineterminator="\n")
    meta = {
        "built_from": "data/sources/norfolk",
        "base_year": BASE_YEAR,
        "files": sorted([*tables, "districts.geojson", "zones_msoa.geojson", "zones_lsoa.geojson"]),
    }
    (out / "manifest.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {len(meta['files'])} files to {out}")


if __name__ == "__main__":
    main()
