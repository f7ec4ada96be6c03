"""The programme's levers: support teams, mainstream with enhanced support, borrowing and the schools-block
transfer (levers.csv: each figure at a low, central and high value), and the need groups and phases that
mainstream with enhanced support can take (mainstream_support.csv)."""

from __future__ import annotations

from planner.data.schema.columns import BASIS_COLUMN, SOURCE_COLUMN, Column, TableSpec

LEVEL_COLUMNS = ("low", "central", "high")
LEVER_FIGURES = {
    "team_cost": (0.0, 5e6),
    "children_per_team": (1.0, 1e6),
    "extra_teams_per_zone": (0.0, 10.0),
    "team_lead_time": (0.0, 10.0),
    "prevention_new_plans": (0.0, 1.0),
    "prevention_specialist": (0.0, 1.0),
    "effect_at_half_coverage": (0.5, 1.0),
    "plan_ceasing_rate": (0.0, 1.0),
    "mainstream_per_team": (0.0, 1000.0),
    "enhanced_top_up": (0.0, 200000.0),
    "borrowing_limit": (0.0, 1e10),
    "borrowing_charge": (0.0, 0.5),
    "transfer_max_share": (0.0, 0.1),
    "transfer_approval_share": (0.0, 0.1),
    "schools_block": (0.0, 1e11),
}  # name -> the plausible range of each of its values (effect_at_half_coverage >= 0.5: returns diminish)

LEVERS = TableSpec(
    "levers.csv",
    (
        Column("name", "str", choices=tuple(LEVER_FIGURES)),
        *(
            Column(level, "float", min=0.0, fix=f"give the figure's {level} value as a plain number")
            for level in LEVEL_COLUMNS
        ),
        Column("unit", "str", nullable=True),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("name",),
    optional=True,
)

MAINSTREAM_SUPPORT = TableSpec(
    "mainstream_support.csv",
    (
        Column("need_group", "str"),
        Column("phase", "str"),
        Column(
            "max_share",
            "float",
            min=0.0,
            max=1.0,
            unit="share of the cohort's new specialist entrants each year",
            fix="give a share between 0 and 1, e.g. 0.15",
        ),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("need_group", "phase"),
    optional=True,
)
