"""What each file of a data folder must hold: columns, types, ranges and allowed values (columns.py), the planning
vocabulary (labels.py), and the tables of demand, places and money. The loader reads these; docs/data.md
describes the same files for people."""

from planner.data.schema.columns import BASIS, Column, TableSpec
from planner.data.schema.demand import (
    BASE_PLACEMENTS,
    FUTURES,
    NEED_GROUPS,
    PHASES,
    PLACEMENT_TYPES,
    PLANS,
    RECONCILIATION,
    SPECIALIST_SHARES,
    ZONE_NEED_WEIGHTS,
)
from planner.data.schema.labels import *  # noqa: F403 - the vocabulary, re-exported
from planner.data.schema.levers import LEVER_FIGURES, LEVERS, MAINSTREAM_SUPPORT
from planner.data.schema.money import (
    CAPITAL_BUDGET,
    DEFICIT_CONTRIBUTIONS,
    INCOME,
    PARAMETERS,
    PUBLISHED_FORECASTS,
    SPENDING_LINES,
    TRANSPORT_COSTS,
    UNIT_COSTS,
)
from planner.data.schema.places import (
    COMMITMENTS,
    JOURNEYS,
    OPTION_SIZES,
    OPTIONS,
    PLACEMENT_SHARES,
    SETTINGS,
    SUITABILITY,
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
    "suitability": SUITABILITY,
    "placement_shares": PLACEMENT_SHARES,
    "journeys": JOURNEYS,
    "zone_need_weights": ZONE_NEED_WEIGHTS,
    "specialist_shares": SPECIALIST_SHARES,
    "spending_lines": SPENDING_LINES,
    "deficit_contributions": DEFICIT_CONTRIBUTIONS,
    "published_forecasts": PUBLISHED_FORECASTS,
    "transport_costs": TRANSPORT_COSTS,
    "levers": LEVERS,
    "mainstream_support": MAINSTREAM_SUPPORT,
}

__all__ = ["BASIS", "FUTURES", "LEVER_FIGURES", "TABLES", "Column", "TableSpec"]
