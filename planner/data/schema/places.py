"""Tables of places: settings, commitments, options and their sizes, what each kind of setting may take
(suitability, placement shares), and a council's own journeys."""

from __future__ import annotations

from planner.data.schema.columns import BASIS, BASIS_COLUMN, GBP, SOURCE_COLUMN, Column, TableSpec
from planner.data.schema.labels import PROJECT_TYPES, SETTING_TYPES, SIZINGS

SETTINGS = TableSpec(
    "settings.csv",
    (
        Column("setting_id", "str"),
        Column("name", "str"),
        Column("urn", "int", nullable=True, min=100000, max=999999),
        Column("setting_type", "str", choices=SETTING_TYPES),
        Column("designation", "str", nullable=True),
        Column("needs", "list", fix="list need groups separated by ';', e.g. CL;CI"),
        Column("min_age", "int", min=0, max=25),
        Column("max_age", "int", min=0, max=25),
        Column("district_id", "str", nullable=True),
        Column("lon", "float", nullable=True, min=-180, max=180, unit="degrees (WGS84)"),
        Column("lat", "float", nullable=True, min=-90, max=90, unit="degrees (WGS84)"),
        Column("out_of_county", "bool"),
        Column("journey_km", "float", nullable=True, min=0.0, unit="road km"),
        Column(
            "places",
            "float",
            nullable=True,
            min=0.0,
            unit="places",
            fix="give the number of places, 0 or more (leave empty only for the out-of-county fallback)",
        ),
        Column("base_pupils", "float", min=0.0, unit="pupils"),
        Column("places_basis", "str", choices=BASIS),
        Column("base_pupils_basis", "str", choices=BASIS),
        Column("designation_basis", "str", choices=BASIS),
        SOURCE_COLUMN,
        Column(
            "place_funding_by_la",
            "bool",
            default=True,
            fix="write true if the council pays the setting's place funding, false if the DfE deducts it from the "
            "high-needs block and pays the academy",
        ),
    ),
    key=("setting_id",),
)

# what a commitment or an option says of the setting it creates or expands
_NEW_SETTING = (
    Column("urn", "int", nullable=True, min=100000, max=999999),
    Column("designation", "str", nullable=True),
    Column("needs", "list"),
    Column("min_age", "int", min=0, max=25),
    Column("max_age", "int", min=0, max=25),
    Column("district_id", "str"),
    Column("lon", "float", min=-180, max=180),
    Column("lat", "float", min=-90, max=90),
)

COMMITMENTS = TableSpec(
    "commitments.csv",
    (
        Column("project_id", "str"),
        Column("name", "str"),
        Column("project_type", "str", choices=PROJECT_TYPES),
        Column("setting_id", "str"),
        Column("setting_type", "str", choices=SETTING_TYPES),
        *_NEW_SETTING,
        Column("places", "float", min=0.0, unit="places added"),
        Column("opening_year", "int", min=2000, max=2100, unit="year the places are first available"),
        Column("capital_cost", "float", **GBP),
        Column("places_basis", "str", choices=BASIS),
        Column("opening_basis", "str", choices=BASIS),
        Column("capital_basis", "str", choices=BASIS),
        SOURCE_COLUMN,
    ),
    key=("project_id",),
    may_be_empty=True,
)

OPTIONS = TableSpec(
    "options.csv",
    (
        Column("option_id", "str"),
        Column("site_id", "str"),
        Column("name", "str"),
        Column("option_type", "str", choices=PROJECT_TYPES),
        Column("setting_type", "str", choices=SETTING_TYPES),
        Column("setting_id", "str", nullable=True),
        *_NEW_SETTING,
        SOURCE_COLUMN,
        Column(
            "lead_time_years",
            "int",
            min=0,
            max=20,
            unit="years from start to opening",
            fix="give the whole number of years from the start of works to opening, 0 or more",
        ),
        Column("earliest_start", "int", min=2000, max=2100),
        Column("lead_time_basis", "str", choices=BASIS),
        Column(
            "sizing",
            "str",
            choices=SIZINGS,
            fix="write menu (only the listed sizes) or range (any size from the smallest to the largest listed)",
        ),
    ),
    key=("option_id",),
    may_be_empty=True,
)

OPTION_SIZES = TableSpec(
    "option_sizes.csv",
    (
        Column("option_id", "str"),
        Column("places", "float", min=1.0, unit="places added"),
        Column("capital_cost", "float", **GBP, fix="give the capital cost in pounds as a plain number"),
        BASIS_COLUMN,
    ),
    key=("option_id", "places"),
    may_be_empty=True,
)


SUITABILITY = TableSpec(
    "suitability.csv",
    (
        Column("setting_type", "str", choices=SETTING_TYPES),
        Column("designation", "str", fix="write the designation as in settings.csv, or 'any' for every designation"),
        Column("need_groups", "list", fix="list the need groups it may take, separated by ';'"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("setting_type", "designation"),
    optional=True,
)

PLACEMENT_SHARES = TableSpec(
    "placement_shares.csv",
    (
        Column("setting_type", "str", choices=SETTING_TYPES),
        Column("need_group", "str"),
        Column("max_share", "float", min=0.0, max=1.0, unit="share of a cohort's new entrants each year"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("setting_type", "need_group"),
    optional=True,
)

JOURNEYS = TableSpec(
    "journeys.csv",
    (
        Column("zone_id", "str"),
        Column("setting_id", "str"),
        Column("road_km", "float", nullable=True, min=0.0, unit="road km, one way"),
        Column("minutes", "float", nullable=True, min=0.0, unit="minutes, one way"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("zone_id", "setting_id"),
    optional=True,
)
