"""The data layer: read a data folder into typed, validated tables. Knows nothing of the model."""

from planner.data.errors import DataError, DataWarning
from planner.data.load import PlanningData, load_data

__all__ = ["DataError", "DataWarning", "PlanningData", "load_data"]
