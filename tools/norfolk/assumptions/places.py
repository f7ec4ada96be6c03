"""Designations and what they may take (suitability, placement shares), and the settings open in the base year
(PROVISION.md 1b, 2d)."""

from __future__ import annotations

from tools.norfolk.assumptions.demand import ALL_NEEDS, D, E, S

# ---------------------------------------------------------------------------------------------------------
# Designations: the need groups each (setting type, designation) may take. Every setting, commitment and option
# names one of these designations and takes exactly its need groups; 'any' is the envelope of a whole type.
# ---------------------------------------------------------------------------------------------------------
COMPLEX = "SLD_PMLD;MLD_SPLD;ASD;SLCN;SENSORY_PHYSICAL;OTHER"
AUTISM = "ASD;SLCN"
SRB_ANY = "ASD;SLCN;MLD_SPLD;SEMH;SENSORY_PHYSICAL"
AP_ANY = "SEMH;ASD;SLCN;MLD_SPLD"
SRC_COMPLEX = (
    "Norfolk's complex needs schools serve cognition and learning needs from moderate to severe/profound with "
    "secondary needs, and autistic learners with significant learning difficulties (PROVISION.md 1a: SENDAT "
    "context page; EDP 2016); SEMH is met in the SEMH schools"
)
# setting type, designation, need groups, basis, source
DESIGNATIONS = [
    ("special", "any", ALL_NEEDS, D, "every need group is taken by some state special school designation below"),
    ("special", "complex needs", COMPLEX, S, SRC_COMPLEX),
    (
        "special",
        "autism (communication and interaction)",
        AUTISM,
        S,
        "The Wherry School (autism with mainstream-level cognition) and Duke of Lancaster School (autism, "
        "complex communication and interaction): PROVISION.md 1b, 2b",
    ),
    (
        "special",
        "communication and interaction",
        AUTISM,
        S,
        "the Local First Inclusion school at Downham Market: communication and interaction, ages 5-19 "
        "(norfolk.gov.uk/newspecialschools)",
    ),
    ("special", "SEMH", "SEMH", S, "Eaton Hall, Fen Rivers and Bure Park: SEMH schools (PROVISION.md 1b, 2b)"),
    (
        "special",
        "cognition and learning, with an autism base",
        "MLD_SPLD;SLD_PMLD;ASD",
        S,
        "The Bridge Easton: cognition and learning, 4-19, with an autism base (NCC article 39002)",
    ),
    (
        "special",
        "state special schools outside Norfolk",
        ALL_NEEDS,
        E,
        "other councils' special schools: designations not known, all groups (estimate)",
    ),
    (
        "srb",
        "any",
        SRB_ANY,
        E,
        "no resource base takes severe or profound learning difficulty (SLD/PMLD) or unrecorded needs: Norfolk's "
        "bases are for learning and cognition, SLCN, SEMH, autism and deaf pupils (NCC SEN sufficiency strategy); "
        "SLD and PMLD are met in complex needs special schools (estimate)",
    ),
    ("srb", "SRB (autism)", "ASD", S, "autism (ASD/ASC) bases named in NCC consultations (PROVISION.md 2d)"),
    ("srb", "SRB (SLCN)", "SLCN", S, "speech, language and communication base, Necton (NCC SRB consultation 2023)"),
    (
        "srb",
        "SRB (learning and cognition)",
        "MLD_SPLD",
        E,
        "learning and cognition (LCN) bases (NCC SEN sufficiency strategy; Hillcrest 2021); taken as moderate and "
        "specific learning difficulty only (estimate)",
    ),
    ("srb", "SRB (SEMH)", "SEMH", S, "SEMH bases named in NCC consultations (PROVISION.md 2d)"),
    (
        "srb",
        "SRB (intervention)",
        "ASD;SLCN;MLD_SPLD;SEMH",
        E,
        "early and additional intervention bases (NCC SRB consultation 2023): the needs they take are not "
        "published; taken as autism, SLCN, MLD/SpLD and SEMH (estimate)",
    ),
    (
        "srb",
        "SRB (complex needs)",
        "ASD;SLCN;MLD_SPLD",
        E,
        "Local First Inclusion secondary complex-needs bases (NCC MI sheet 12/24): needs not published; taken as "
        "Norfolk's complex needs designation without SLD/PMLD, sensory/physical and other (estimate)",
    ),
    (
        "srb",
        "SRBs not named in public sources",
        SRB_ANY,
        E,
        "pools of unnamed bases: the 2018 specialisms LCN, SLCN, SEMH, ASC and deaf (NCC SEN sufficiency "
        "strategy); deaf bases give sensory/physical (estimate)",
    ),
    (
        "ap",
        "any",
        AP_ANY,
        D,
        "SEN2 Jan 2025 Norfolk pupils with plans in AP/PRU by primary need: SEMH 191, ASD 16, SLCN 13, MLD and "
        "SpLD 12 of 232; none SLD/PMLD, sensory/physical or other",
    ),
    ("ap", "alternative provision", AP_ANY, D, "as the 'any' row: the groups SEN2 records in Norfolk's AP"),
    (
        "ap",
        "school-led AP",
        "SEMH",
        E,
        "school-led AP hubs at mainstream secondaries (Local First Inclusion, NCC article 57340): SEMH (estimate)",
    ),
    ("independent", "any", ALL_NEEDS, E, "independent special schools' registered needs are not in GIAS: all groups"),
    ("independent", "independent special (needs not published)", ALL_NEEDS, E, "as the 'any' row (estimate)"),
    (
        "independent",
        "independent and non-maintained special schools outside Norfolk",
        ALL_NEEDS,
        E,
        "as the 'any' row (estimate)",
    ),
]
NEEDS_OF = {(t, d): n for t, d, n, _b, _s in DESIGNATIONS}

# Placement shares: the largest share of a need group's new specialist entrants each year that resource bases (or
# AP) can take; the rest need a special school place or more. All estimates (no published figure).
SRC_DBV = (
    "DBV in SEND phase one (54 councils): practitioners judged 65% of reviewed children could have been met in a "
    "different provision, nationally over 15,000 more in resourced provision (a counterfactual judgement)"
)
PLACEMENT_SHARES = [
    # setting type, need group, max share, reasoning
    (
        "srb",
        "ASD",
        0.40,
        "autism with average cognition can be met in a base (Norfolk's autism special schools take autism with "
        "mainstream-level cognition); autism with learning difficulty, and the independent cohort's complex "
        f"autism, cannot; {SRC_DBV}",
    ),
    ("srb", "SLCN", 0.50, f"most SLCN plans are already in mainstream (SEN2 Jan 2025: 1,415 of 2,629); {SRC_DBV}"),
    (
        "srb",
        "MLD_SPLD",
        0.60,
        f"moderate and specific learning difficulty is what learning and cognition bases are for; {SRC_DBV}",
    ),
    ("srb", "SLD_PMLD", 0.0, "severe and profound learning difficulty needs a special school (as suitability)"),
    (
        "srb",
        "SEMH",
        0.30,
        "SEMH bases exist at primary; most of the specialist SEMH cohort is in independent schools (378 of 696 in "
        f"special schools, SEN2 Jan 2025) with complex needs; {SRC_DBV}",
    ),
    ("srb", "SENSORY_PHYSICAL", 0.20, "deaf bases only; physical and multi-sensory needs mostly need special schools"),
    ("srb", "OTHER", 0.0, "no base takes other or unrecorded needs (as suitability)"),
    ("ap", "SEMH", 0.25, "AP is a placement for SEMH pupils out of school; a little above its observed share"),
    ("ap", "ASD", 0.03, "AP takes few autistic pupils with plans; a little above its observed share"),
    ("ap", "SLCN", 0.03, "as ASD"),
    ("ap", "MLD_SPLD", 0.03, "as ASD"),
]

# ---------------------------------------------------------------------------------------------------------
# Existing settings (PROVISION.md 1b, 2d)
# ---------------------------------------------------------------------------------------------------------
SRC_PN2018 = "EDP public notice 28 Aug 2018 (PROVISION.md 1b)"
AUTISM_SCHOOL = "autism (communication and interaction)"
# urn: (designation, min_age, max_age, stated places, year of figure, basis of places, source, ages basis)
SPECIAL_SCHOOLS = {
    121254: ("complex needs", 5, 19, 179, 2018, S, SRC_PN2018, E),
    121258: (
        "complex needs",
        3,
        19,
        131,
        2021,
        D,
        "EDP public notice 2018: 111; +20 places 2020/21 (North Norfolk News Oct 2020)",
        E,
    ),
    121260: ("complex needs", 3, 19, 110, 2019, S, "EDP 14 Jun 2019: target 110", S),
    121257: ("complex needs", 3, 19, 82, 2018, S, SRC_PN2018, E),
    121264: ("complex needs", 3, 19, 85, 2018, S, SRC_PN2018, E),
    121261: ("complex needs", 3, 19, 100, 2018, S, SRC_PN2018, E),
    121256: ("complex needs", 7, 16, 173, 2023, S, "NCC news 27 Feb 2023 (article 44271)", E),
    121265: ("complex needs", 4, 19, None, None, E, "no figure found (PROVISION.md 1b)", S),
    121262: (
        "complex needs",
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
        11,
        16,
        54,
        2020,
        D,
        "SENDAT context page: SEMH 150 places minus Fen Rivers 96 (PROVISION.md 1b)",
        E,
    ),
    144769: (AUTISM_SCHOOL, 4, 19, 100, 2017, S, "EDP 19 Sep 2017", S),
    150265: ("SEMH", 5, 16, 96, 2021, S, "EDP 2017; Lynn News 3 Nov 2022", S),
    148572: ("SEMH", 6, 16, 88, 2021, S, "Great Yarmouth Mercury 27 Sep 2021", S),
    148859: (AUTISM_SCHOOL, 5, 16, 100, 2022, S, "Fakenham Times 2022", S),
    148618: ("cognition and learning, with an autism base", 4, 19, 170, 2023, S, "NCC article 39002", S),
}
UNKNOWN_PLACES_HEADROOM = 0.05  # estimate: places = roll x (1 + 5%) where no figure exists
# GIAS establishment types whose place funding the DfE deducts from the high-needs block and pays directly
ACADEMY_TYPES = ("Academy", "Free schools")  # prefixes of GIAS establishment_type
SRC_PLACE_FUNDING = (
    "place funding: academies and free schools (GIAS establishment type) are funded by the DfE, which deducts the "
    "places from the high-needs block (high needs operational guide; BUDGET.md 1.7)"
)

# Specialist resource bases open in the base year at named host schools (PROVISION.md 2d). Ages follow the host
# (its phase; infant or junior schools by name) unless the base is shared by an infant and a junior school.
SHARED_PRIMARY = "base shared by the infant and junior schools (ages 4-10)"
SRB_EXISTING = [
    # host urn, designation, places, opened, source, ages override (or None)
    (120795, "SRB (SEMH)", 16, "Sept 2020", "srbprovision consultation (Caister Infant and Junior)", SHARED_PRIMARY),
    (120995, "SRB (autism)", 16, "Sept 2020", "norfolk.citizenspace.com/childrens-services/srbprovision (ASD)", None),
    (121013, "SRB (learning and cognition)", 16, "Sept 2021", "srbprovision consultation (Hillcrest, LCN)", None),
    (121000, "SRB (SEMH)", 16, "Sept 2020", "srbprovision consultation (Mundesley Infant and Junior)", SHARED_PRIMARY),
    (120905, "SRB (autism)", 16, "Mar 2021", "EDP 9 Mar 2021 (ASD)", None),
    (
        120905,
        "SRB (intervention)",
        16,
        "Feb 2024",
        "norfolk.citizenspace.com/childrens-services/srb-2023 (early and additional intervention, 8 + 8)",
        None,
    ),
    (136204, "SRB (autism)", 10, "Mar 2021", "EDP 9 Mar 2021 (ASD)", None),
    (145089, "SRB (autism)", 25, "2022/23", "NCC article 44134 (ASD, proposed Sept 2022)", None),
    (
        143956,
        "SRB (SEMH)",
        16,
        "2022/23",
        "NCC article 44134 (Watton Westfield Infant and Watton Junior)",
        SHARED_PRIMARY,
    ),
    (
        120913,
        "SRB (intervention)",
        8,
        "Sept 2024",
        "norfolk.citizenspace.com/childrens-services/srb-2023 (additional intervention)",
        None,
    ),
]
SRB_TOTAL_PLACES_BASE = 605  # estimate; see SRB_TOTAL_NOTE
SRB_TOTAL_NOTE = (
    "estimate: 330 places in 2018 (NCC sufficiency strategy) + 90 named 2020-21 bases + up to 70 in four primary "
    "SEMH bases (2021) + 91 of the 116 agreed in 2022 (Acle's 25 open after the base year) + 24 opened 2024 "
    "(PROVISION.md 2d); overlaps between these announcements are not known"
)
SRB_POOL_DESIGNATION = "SRBs not named in public sources"
SRB_OCCUPANCY = 0.90  # estimate: share of SRB places filled by pupils with plans in the base year
SRB_PRIMARY_SHARE = 0.60  # estimate: share of unnamed SRB places in primary bases

AP_DESIGNATION, AP_AGES = "alternative provision", (5, 16)  # ages: estimate
AP_HEADROOM = 0.15  # estimate: AP places = pupils with plans x (1 + 15%)

IND_DESIGNATION = "independent special (needs not published)"
IND_NORFOLK_FUNDED_SHARE = 0.70  # estimate: share of Norfolk independent special rolls funded by Norfolk
IND_AGES = (5, 19)  # estimate: ages of the independent special schools in Norfolk (not published)
OOC_AGES = (4, 19)  # estimate: ages of the out-of-county settings
OOC_INDEPENDENT_JOURNEY_KM = 60.0  # estimate
OOC_STATE_JOURNEY_KM = 40.0  # estimate
OOC_STATE_PLACE_FUNDING = (
    "place funding paid by the council where the school is (or the DfE for academies), not by Norfolk: Norfolk "
    "pays top-ups (high needs operational guide: the provider authority funds places)"
)
