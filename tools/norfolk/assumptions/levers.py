"""The programme's levers (levers.csv) and the share of each need group's specialist entrants a support team could keep
in mainstream (mainstream_support.csv): figures from BUDGET.md sections 4, 6, 7 and 9 and the council papers named in
each source, each at a low, central and high level, kept as written in the shipped files."""

from __future__ import annotations

LEVER_COLUMNS = ["name", "low", "central", "high", "unit", "basis", "source"]
LEVERS = [
    (
        "team_cost",
        "250000",
        "330000",
        "450000",
        "GBP per team per year (base-year prices; grows with inflation)",
        "estimate",
        (
            "no Norfolk figure found for its School and Community Teams (BUDGET.md 7); about 6.7 full-time "
            "staff a team (100 staff for 15 teams, MI sheet 34/23) at 40k-65k loaded cost; an educational "
            "psychologist costs 71,385 with on-costs (Wokingham FOI 2023/24); BUDGET.md 9b"
        ),
    ),
    (
        "children_per_team",
        "11500",
        "11500",
        "11500",
        "children aged 0-15 per team area",
        "sourced",
        (
            "Norfolk's 15 School and Community Team zones average 11,500 children and young people, 26 "
            "schools and 40 early-years settings (NCC article 57440); the existing 15 teams (one a zone) are "
            "in the base year's figures"
        ),
    ),
    (
        "extra_teams_per_zone",
        "1",
        "1",
        "1",
        "extra teams per 11500 children at most",
        "estimate",
        ("estimate: up to one more team per zone, doubling today's staffing; the effect curve is flat beyond it"),
    ),
    (
        "team_lead_time",
        "1",
        "1",
        "1",
        "years from the decision to a working team",
        "derived",
        (
            "recruitment began in February 2023 and the first team aimed for September 2023 (MI sheet 34/23; "
            "norfolk.gov.uk/38998): about a year"
        ),
    ),
    (
        "prevention_new_plans",
        "0",
        "0.065",
        "0.2",
        "share of new EHC plans prevented at full coverage",
        "estimate",
        (
            "no rigorous evaluation found (BUDGET.md 9a: NAO 2024 'limited evidence'; Torbay 2025 and "
            "Norfolk 2023/24 saw no reduction); low 0; central 5-8% (BUDGET.md 9b, the midpoint); high 20%, "
            "the DfE-Newton 'expected impact' on projected growth (not a target)"
        ),
    ),
    (
        "prevention_specialist",
        "0",
        "0.045",
        "0.18",
        "further share of new specialist entrants prevented at full coverage",
        "derived",
        (
            "from BUDGET.md 9b: the specialist share of plans falling 0, 0.5 or 1.0 percentage points a "
            "year; 0.5 pp of Norfolk's 12,147 plans (Jan 2025) is 61 children a year, 9% of the about 670 "
            "new plans a year that need a specialist place (2,031 new plans in 2024 x 33% specialist, SEN2); "
            "central: half of it credited to prevention (the rest to new capacity) = 4.5%; high: 1.0 pp, all "
            "prevention = 18%; low 0"
        ),
    ),
    (
        "effect_at_half_coverage",
        "0.75",
        "0.75",
        "0.75",
        "share of the full effect with half the extra teams",
        "estimate",
        (
            "estimate: diminishing returns (the first teams reach the schools with most need); the effect "
            "rises linearly to 75% at half the extra teams and to 100% at full"
        ),
    ),
    (
        "plan_ceasing_rate",
        "0.062",
        "0.062",
        "0.062",
        "share of plans ceasing each year",
        "derived",
        (
            "665 plans ceased in 2024 of 10,736 at the start of the year (SEN2 flows, "
            "data/sources/norfolk/cohort/flows_by_year_2019_2024.csv); a prevented plan would have lasted as "
            "long"
        ),
    ),
    (
        "mainstream_per_team",
        "0",
        "20",
        "40",
        "children supported in mainstream per extra team",
        "estimate",
        (
            "no figure found; estimate: low none (no saving banked without evidence), a team of about 6.7 "
            "staff holding 20 (central) or 40 (high) enhanced mainstream packages besides its advice and "
            "early help; DBV in SEND phase one (54 councils) judged 65% of reviewed children could have been "
            "met in a different provision (a counterfactual judgement, BUDGET.md 9a)"
        ),
    ),
    (
        "enhanced_top_up",
        "12000",
        "12000",
        "12000",
        "GBP per child per year (base-year prices; grows at unit_cost_growth)",
        "estimate",
        (
            "estimate: between the Element 3 budget per plan in mainstream (35m / 4,190 = 8,353, derived "
            "from BUDGET.md 4.4 and base_placements.csv; an upper bound since Element 3 is also paid at SEN "
            "support) and a resource-base place (6,000 place funding + 10,000 top-up, unit_costs.csv); paid "
            "from the high-needs block's Element 3 line"
        ),
    ),
    (
        "borrowing_limit",
        "0",
        "30000000",
        "120000000",
        "GBP borrowed over the planning years at most",
        "estimate",
        (
            "the council's choice; low: none; central: the size of its own 30m Local First Inclusion capital "
            "(NCC press release 61624); high: its 120m SEND capital programme of 2018-2022 (BUDGET.md 6.4), "
            "funded by the council"
        ),
    ),
    (
        "borrowing_charge",
        "0.065",
        "0.08",
        "0.095",
        "yearly charge on the general fund per GBP borrowed",
        "estimate",
        (
            "interest plus minimum revenue provision: the PWLB certainty rate is the gilt yield plus 0.8% "
            "(DMO concessionary rates: standard rate gilt + 1%, certainty 0.2% less); long gilt yields of "
            "about 4.5-5.5% (estimate, not verified here) give 5.3-6.3% interest; MRP over a 40-year asset "
            "life 2.5%; low 6.5%, central 8%, high 9.5%"
        ),
    ),
    (
        "transfer_max_share",
        "0.015",
        "0.015",
        "0.015",
        "share of the schools block at most",
        "sourced",
        ("Norfolk transferred 1.5% in 2024/25 with the Secretary of State's approval (MI sheet 46/24; BUDGET.md 4)"),
    ),
    (
        "transfer_approval_share",
        "0.005",
        "0.005",
        "0.005",
        "share of the schools block above which the Secretary of State must approve",
        "sourced",
        (
            "a transfer above 0.5% of the schools block needs the Secretary of State's approval (DfE schools "
            "operational guide; BUDGET.md 4)"
        ),
    ),
    (
        "schools_block",
        "667000000",
        "667000000",
        "667000000",
        "GBP a year",
        "derived",
        ("1.5% of the schools block was 10.0m in 2025/26 (income.csv): about 667m; notional SEN 60.8m = 9.11%"),
    ),
]

MAINSTREAM_SUPPORT_COLUMNS = ["need_group", "phase", "max_share", "basis", "source"]
MAINSTREAM_SUPPORT = [
    (
        "ASD",
        "primary",
        "0.15",
        "estimate",
        (
            "estimate: autism with mainstream-level cognition, younger children; DBV in SEND phase one "
            "judged 65% of reviewed children could have been met in a different provision, nationally 35,000 "
            "more in mainstream (a counterfactual judgement, BUDGET.md 9a)"
        ),
    ),
    (
        "ASD",
        "secondary",
        "0.1",
        "estimate",
        "estimate: as primary, fewer at secondary where placements break down more often",
    ),
    (
        "SLCN",
        "primary",
        "0.2",
        "estimate",
        "estimate: most SLCN plans are already in mainstream (1,415 of 2,629, SEN2 Jan 2025)",
    ),
    (
        "SLCN",
        "secondary",
        "0.15",
        "estimate",
        "estimate: as primary",
    ),
    (
        "MLD_SPLD",
        "primary",
        "0.2",
        "estimate",
        "estimate: moderate and specific learning difficulty is most often met in mainstream",
    ),
    (
        "MLD_SPLD",
        "secondary",
        "0.15",
        "estimate",
        "estimate: as primary",
    ),
    (
        "SEMH",
        "primary",
        "0.1",
        "estimate",
        (
            "estimate: SEMH needs at primary met with outreach; the specialist SEMH cohort is mostly complex "
            "(378 of 696 in special schools, SEN2 Jan 2025)"
        ),
    ),
    (
        "SEMH",
        "secondary",
        "0.05",
        "estimate",
        "estimate: as primary",
    ),
]
