"""The planning model: a multi-year MIP in Pyomo, built from ModelInputs. Knows nothing of files or maps."""

from planner.model.build import build_model
from planner.model.index import ModelIndex, build_index

__all__ = ["ModelIndex", "build_index", "build_model"]
