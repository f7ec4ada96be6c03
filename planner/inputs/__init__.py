"""Model inputs: data + scenario -> the cohorts, placement arcs, projects and money the model is built from."""

from planner.inputs.arcs import RELAXABLE
from planner.inputs.build import ModelInputs, build_inputs

__all__ = ["RELAXABLE", "ModelInputs", "build_inputs"]
