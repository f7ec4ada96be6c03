"""Tables of demand: need groups, phases, placement types, plans (and futures), specialist shares by year,
base-year placements, zone weights by need, and the base-year reconciliation."""

from __future__ import annotations

from planner.data.schema.columns import BASIS_COLUMN, SOURCE_COLUMN, YEAR_COLUMN, Column, TableSpec

NEED_GROUPS = TableSpec(
    "need_groups.csv",
    (
        Column("need_group", "str"),
        Column("name", "str"),
        Column("sen2_primary_needs", "list"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("need_group",),
)

PHASES = TableSpec(
    "phases.csv",
    (
        Column("phase", "str"),
        Column("name", "str"),
        Column("min_age", "int", min=0, max=25),
        Column("max_age", "int", min=0, max=25),
        Column("placed_by_model", "bool"),
        Column("stay_rate", "float", min=0.0, max=1.0, fix="give the share of pupils staying a year, 0 to 1"),
        Column("max_journey_km", "float", nullable=True, min=0.0, unit="road km"),
        Column("max_journey_minutes", "float", nullable=True, min=0.0, unit="minutes", default=None),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("phase",),
)

PLACEMENT_TYPES = TableSpec(
    "placement_types.csv",
    (Column("placement_type", "str"), Column("name", "str"), Column("specialist", "bool")),
    key=("placement_type",),
)

PLANS = TableSpec(
    "plans.csv",
    (
        Column("scenario", "str"),
        YEAR_COLUMN,
        Column("need_group", "str"),
        Column("phase", "str"),
        Column(
            "plans",
            "float",
            min=0.0,
            unit="children with plans (January census)",
            fix="give a number of children, 0 or more",
        ),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("scenario", "year", "need_group", "phase"),
)

# the same columns as plans.csv, one scenario per future (future-001, ...); read on request (planner.data.demand)
FUTURES = TableSpec("futures.csv", PLANS.columns, key=PLANS.key, optional=True)

SPECIALIST_SHARES = TableSpec(
    "specialist_shares.csv",
    (
        YEAR_COLUMN,
        Column("need_group", "str"),
        Column("phase", "str"),
        Column("share", "float", min=0.0, max=1.0, unit="share of plans", fix="give a share from 0 to 1"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("year", "need_group", "phase"),
    optional=True,
)

BASE_PLACEMENTS = TableSpec(
    "base_placements.csv",
    (
        Column("placement_type", "str"),
        Column("need_group", "str"),
        Column("phase", "str"),
        Column("pupils", "float", min=0.0, unit="pupils", fix="give a number of pupils, 0 or more"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("placement_type", "need_group", "phase"),
)

RECONCILIATION = TableSpec(
    "reconciliation.csv",
    (
        Column("measure", "str"),
        Column("published_value", "float"),
        Column("tolerance_pct", "float", min=0.0),
        Column("source", "str"),
        Column("data_value_is", "str", nullable=True),
    ),
    key=("measure",),
)


ZONE_NEED_WEIGHTS = TableSpec(
    "zone_need_weights.csv",
    (
        Column("zone_id", "str"),
        Column("need_group", "str"),
        Column("weight", "float", min=0.0, unit="children (any unit: shares are taken within each need group)"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("zone_id", "need_group"),
    optional=True,
)
