"""The planning vocabulary every layer shares: setting and project types, their labels, zone levels, and the
plausible ranges of parameters."""

from __future__ import annotations

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
