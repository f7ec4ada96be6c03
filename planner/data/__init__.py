"""The data layer: read a data folder into typed, validated tables. Knows nothing of the model."""

from planner.data.errors import DataError, DataWarning
from planner.data.geography import ZONE_LEVELS, Geography, read_geography
from planner.data.load import default_data_folder, load_data
from planner.data.tables import PlanningData

__all__ = [
    "ZONE_LEVELS",
    "DataError",
    "DataWarning",
    "Geography",
    "PlanningData",
    "default_data_folder",
    "load_data",
    "read_geography",
]
