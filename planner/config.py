"""Scenarios: named overrides of the data folder's parameters, read from TOML and validated.

A scenario file says only what differs from the data: another demand projection, other unit costs, income or
capital by year, reach, a discount rate, options forced or forbidden, commitments delayed or cancelled.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"

NonNeg = Annotated[float, Field(ge=0)]


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file, the key and the fix."""


class UnitCostOverride(BaseModel):
    model_config = ConfigDict(extra="forbid")
    place_funding: NonNeg | None = Field(None, description="GBP per commissioned place per year")
    top_up: NonNeg | None = Field(None, description="GBP per pupil per year")


class Scenario(BaseModel):
    """Overrides applied to a data folder for one run. Every field is optional."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("baseline", description="short name, used in run folder names")
    description: str = Field("", description="what the scenario asks, in a planner's words")
    target_year: int | None = Field(None, description="year from which the high-needs budget must balance in-year")
    horizon_end: int | None = Field(None, description="last planning year (default: target year + 2)")
    demand_projection: str = Field("central", description="projection in plans.csv (low, central, high, ...)")
    demand_scale: NonNeg = Field(1.0, description="multiplies projected plans after the base year")
    discount_rate: NonNeg | None = Field(None, description="yearly discount rate (default: parameters.csv)")
    capital_charge_rate: NonNeg | None = Field(None, description="annual capital charge as a share of capital")
    parameters: dict[str, float] = Field(default_factory=dict, description="overrides of parameters.csv by name")
    unit_costs: dict[str, UnitCostOverride] = Field(default_factory=dict, description="by setting type")
    income: dict[str, dict[int, float]] = Field(default_factory=dict, description="income line -> {year: GBP}")
    income_scale: dict[str, NonNeg] = Field(default_factory=dict, description="income line -> multiplier")
    capital_budget: dict[int, NonNeg] = Field(default_factory=dict, description="{year: GBP}")
    capital_budget_scale: NonNeg = Field(1.0, description="multiplies every year's capital budget")
    reach_km: dict[str, NonNeg] = Field(default_factory=dict, description="phase -> longest journey, road km")
    state_choices: int = Field(
        0,
        ge=0,
        description="new placements in state settings go to one of the nearest N suitable settings of "
        "each kind (special, SRB, AP) within reach (0 = any within reach)",
    )
    independent_choices: int = Field(
        3,
        ge=0,
        description="new independent placements in the county go to one of the nearest N suitable "
        "independent schools (0 = any)",
    )
    force_options: list[str] = Field(default_factory=list, description="option ids that must be built")
    forbid_options: list[str] = Field(default_factory=list, description="option ids (or site ids) never built")
    commitment_delays: dict[str, int] = Field(default_factory=dict, description="project id -> years late")
    cancel_commitments: list[str] = Field(default_factory=list, description="project ids not delivered")

    source: str = Field("", exclude=True, description="the file the scenario came from")


def load_scenario(name_or_path: str | Path | None) -> Scenario:
    """Read a scenario by file path, or by name from the shipped scenarios/ folder. None gives the baseline."""
    if name_or_path is None:
        path = SCENARIO_DIR / "baseline.toml"
        if not path.exists():
            return Scenario()
    else:
        path = Path(name_or_path)
        if not path.exists() and not path.suffix:
            path = SCENARIO_DIR / f"{name_or_path}.toml"
    if not path.exists():
        shipped = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.toml")))
        raise ScenarioError(f"{name_or_path}: no such scenario file. Fix: give a TOML file path or one of: {shipped}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path.name}: not valid TOML ({exc}). Fix: correct the syntax") from None
    try:
        scen = Scenario.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        fix = "remove it (see docs/scenarios.md for the keys)" if err["type"] == "extra_forbidden" else "correct it"
        raise ScenarioError(f"{path.name}, key '{where}': {err['msg']}. Fix: {fix}") from None
    scen.source = str(path)
    if "name" not in raw:
        scen.name = path.stem
    return scen
