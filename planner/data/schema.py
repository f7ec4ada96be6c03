"""What each file of a data folder must hold: columns, types, ranges and allowed values.

The schema is data, read by the loader; docs/data.md describes the same files for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["str", "int", "float", "bool", "list"]

BASIS = ("sourced", "derived", "estimate")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    unit: str = ""
    fix: str = ""  # how to put a bad value right, in a planner's words


@dataclass(frozen=True)
class TableSpec:
    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns that identify a row (unique)
    may_be_empty: bool = False  # a header with no rows is allowed (no commitments, say)


SETTING_TYPES = ("special", "srb", "ap", "independent")
STATE_TYPES = ("special", "srb", "ap")  # state settings: a maximum journey (reach) applies; "placed locally"
PROJECT_TYPES = ("new_school", "expansion", "srb", "ap")
SETTING_LABELS = {
    "special": "State special school",
    "srb": "Specialist resource base (SRB)",
    "ap": "Alternative provision (AP)",
    "independent": "Independent special school",
}
PROJECT_TYPE_LABELS = {
    "new_school": "New special school",
    "expansion": "Special school expansion",
    "srb": "Resource base (SRB)",
    "ap": "Alternative provision (AP)",
}
ZONE_LEVEL_NAMES = {"msoa": "MSOA", "lsoa": "LSOA", "district": "district"}
SIZINGS = ("menu", "range")

_basis = Column("basis", "str", choices=BASIS, fix="write sourced, derived or estimate")
_source = Column("source", "str", nullable=True)
_year = Column("year", "int", min=2000, max=2100, unit="year (2025 = 2024/25)")
_gbp = {"min": 0.0, "unit": "GBP"}

NEED_GROUPS = TableSpec(
    "need_groups.csv",
    (Column("need_group", "str"), Column("name", "str"), Column("sen2_primary_needs", "list"), _basis, _source),
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
        _basis,
        _source,
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
        _year,
        Column("need_group", "str"),
        Column("phase", "str"),
        Column(
            "plans",
            "float",
            min=0.0,
            unit="children with plans (January census)",
            fix="give a number of children, 0 or more",
        ),
        _basis,
        _source,
    ),
    key=("scenario", "year", "need_group", "phase"),
)

BASE_PLACEMENTS = TableSpec(
    "base_placements.csv",
    (
        Column("placement_type", "str"),
        Column("need_group", "str"),
        Column("phase", "str"),
        Column("pupils", "float", min=0.0, unit="pupils", fix="give a number of pupils, 0 or more"),
        _basis,
        _source,
    ),
    key=("placement_type", "need_group", "phase"),
)

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
        _source,
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
        Column("capital_cost", "float", **_gbp),
        Column("places_basis", "str", choices=BASIS),
        Column("opening_basis", "str", choices=BASIS),
        Column("capital_basis", "str", choices=BASIS),
        _source,
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
        _source,
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
        Column("capital_cost", "float", **_gbp, fix="give the capital cost in pounds as a plain number"),
        _basis,
    ),
    key=("option_id", "places"),
    may_be_empty=True,
)

UNIT_COSTS = TableSpec(
    "unit_costs.csv",
    (
        Column("setting_type", "str", choices=SETTING_TYPES),
        Column(
            "place_funding",
            "float",
            min=0.0,
            unit="GBP per commissioned place per year",
            fix="give pounds per place per year as a plain number, e.g. 10000",
        ),
        Column(
            "top_up",
            "float",
            min=0.0,
            unit="GBP per pupil per year",
            fix="give pounds per pupil per year as a plain number, e.g. 13900",
        ),
        _basis,
        _source,
    ),
    key=("setting_type",),
)

INCOME = TableSpec(
    "income.csv",
    (
        _year,
        Column("line", "str"),
        Column("amount", "float", min=0.0, unit="GBP", fix="give the income in pounds, 0 or more"),
        _basis,
        _source,
    ),
    key=("year", "line"),
)

CAPITAL_BUDGET = TableSpec(
    "capital_budget.csv",
    (_year, Column("amount", "float", **_gbp), _basis, _source),
    key=("year",),
)

PARAMETERS = TableSpec(
    "parameters.csv",
    (Column("name", "str"), Column("value", "float"), Column("unit", "str", nullable=True), _basis, _source),
    key=("name",),
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

TABLES: dict[str, TableSpec] = {
    "need_groups": NEED_GROUPS,
    "phases": PHASES,
    "placement_types": PLACEMENT_TYPES,
    "plans": PLANS,
    "base_placements": BASE_PLACEMENTS,
    "settings": SETTINGS,
    "commitments": COMMITMENTS,
    "options": OPTIONS,
    "option_sizes": OPTION_SIZES,
    "unit_costs": UNIT_COSTS,
    "income": INCOME,
    "capital_budget": CAPITAL_BUDGET,
    "parameters": PARAMETERS,
    "reconciliation": RECONCILIATION,
}

OPTIONAL_PARAMETERS = {
    "target_year": "the year from which the high-needs budget must balance in-year (scenario and --year override it)",
}
REQUIRED_PARAMETERS = {
    "base_year": "the year of the base census (2025 = 2024/25)",
    "opening_deficit": "the cumulative high-needs deficit at the start of the base year, GBP",
    "other_high_needs_per_plan": "high-needs spending per plan the model does not place, GBP per year",
    "unit_cost_growth": "yearly growth of unit costs (0.03 = 3%)",
    "transport_cost_per_pupil": "average yearly transport cost of a pupil in a specialist placement, GBP",
    "transport_cost_growth": "yearly growth of transport costs",
    "road_circuity": "road km per straight-line km",
    "base_allocation_decay_km": "distance decay (km) for apportioning base-year pupils to home zones",
    "discount_rate": "yearly discount rate",
    "capital_charge_rate": "annual capital charge as a share of capital (0 = none)",
}

ZONE_COLUMNS = {
    "zone_id": "str",
    "zone_name": "str",
    "district_id": "str",
    "children_0_15": "float",
    "point_lon": "float",
    "point_lat": "float",
}
DISTRICT_COLUMNS = {"district_id": "str", "district_name": "str"}
ZONE_FILES = {"msoa": "zones_msoa", "lsoa": "zones_lsoa"}
GEO_SUFFIXES = (".geojson", ".gpkg", ".shp")

# plausible ranges of parameters (docs/data.md): a value outside is refused as a likely typing error
PARAMETER_RANGES: dict[str, tuple[float, float]] = {
    "base_year": (2000, 2100),
    "target_year": (2000, 2100),
    "opening_deficit": (-1e10, 1e10),
    "other_high_needs_per_plan": (0.0, 200_000.0),
    "unit_cost_growth": (-0.05, 0.20),
    "transport_cost_per_pupil": (0.0, 100_000.0),
    "transport_cost_growth": (-0.05, 0.20),
    "road_circuity": (1.0, 3.0),
    "base_allocation_decay_km": (0.1, 500.0),
    "discount_rate": (0.0, 0.15),
    "capital_charge_rate": (0.0, 0.20),
}
MAX_PLACES = 1000.0  # places of one setting or project: more is refused as a likely typing error
