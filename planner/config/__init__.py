"""Scenarios: named overrides of a data folder, read from TOML (scenario.py) and applied in one place (apply.py)."""

from planner.config.apply import AppliedScenario, apply_scenario, resolve_years
from planner.config.scenario import (
    SCENARIO_DIR,
    Scenario,
    ScenarioError,
    ScenarioWarning,
    load_scenario,
    scenario_path,
)

__all__ = [
    "SCENARIO_DIR",
    "AppliedScenario",
    "Scenario",
    "ScenarioError",
    "ScenarioWarning",
    "apply_scenario",
    "load_scenario",
    "resolve_years",
    "scenario_path",
]
