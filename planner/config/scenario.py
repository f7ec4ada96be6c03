"""Scenarios: named overrides of a data folder, read from TOML, validated, and applied in one place.

A scenario file says only what differs from the data: another demand projection, other unit costs, income or
capital by year, reach, a discount rate, options forced or forbidden, commitments delayed or cancelled. A
scenario may build on others (`extends = ["baseline"]`): its values replace theirs, its tables merge into
theirs key by key, its lists join theirs. docs/scenarios.md lists every key.
"""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO_DOC = "docs/scenarios.md"

# numbers are strict: true or "2" is refused rather than read as 1 or 2
Num = Annotated[float, Field(strict=True)]
NonNeg = Annotated[float, Field(strict=True, ge=0)]
Rate = Annotated[float, Field(strict=True, ge=0, le=0.15)]  # a yearly rate: 0.035 for 3.5%
Whole = Annotated[int, Field(strict=True)]
Margin = Annotated[float, Field(strict=True, gt=0.5, le=1.0)]
Level = Literal["low", "central", "high"]

# how a scenario's keys combine with those of the scenarios it extends
MERGED_TABLES = (
    "parameters",
    "unit_costs",
    "income",
    "income_scale",
    "capital_budget",
    "reach_km",
    "commitment_delays",
)
JOINED_LISTS = ("force_options", "forbid_options", "cancel_commitments")


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
    extends: list[str] = Field(default_factory=list, description="scenarios this one builds on (names or files)")
    target_year: Whole | None = Field(
        None, description="year from which the high-needs budget must balance in-year (default: parameters.csv)"
    )
    horizon_end: Whole | None = Field(None, description="last planning year (default: target year + 2)")
    demand_projection: str = Field("central", description="projection in plans.csv (low, central, high, ...)")
    demand_scale: NonNeg = Field(1.0, description="multiplies projected plans after the base year")
    discount_rate: Rate | None = Field(None, description="yearly discount rate (default: parameters.csv)")
    capital_charge_rate: Rate | None = Field(None, description="annual capital charge as a share of capital")
    parameters: dict[str, Num] = Field(default_factory=dict, description="overrides of parameters.csv by name")
    unit_costs: dict[str, UnitCostOverride] = Field(default_factory=dict, description="by setting type")
    income: dict[str, dict[int, NonNeg]] = Field(default_factory=dict, description="income line -> {year: GBP}")
    income_scale: dict[str, NonNeg] = Field(default_factory=dict, description="income line -> multiplier")
    capital_budget: dict[int, NonNeg] = Field(default_factory=dict, description="{year: GBP}")
    capital_budget_scale: NonNeg = Field(1.0, description="multiplies every year's capital budget")
    reach_km: dict[str, NonNeg] = Field(default_factory=dict, description="phase -> longest journey, road km")
    state_choices: Whole = Field(
        0,
        ge=0,
        description="new placements in state settings go to one of the nearest N suitable settings of "
        "each kind (special, SRB, AP) within reach (0 = any within reach)",
    )
    independent_choices: Whole = Field(
        3,
        ge=0,
        description="new independent placements in the county go to one of the nearest N suitable "
        "independent schools (0 = any)",
    )
    force_options: list[str] = Field(default_factory=list, description="option ids that must be built")
    forbid_options: list[str] = Field(default_factory=list, description="option ids (or site ids) never built")
    commitment_delays: dict[str, Whole] = Field(default_factory=dict, description="project id -> years late")
    cancel_commitments: list[str] = Field(default_factory=list, description="project ids not delivered")
    income_growth: Literal["low", "central", "high"] = Field(
        "central", description="growth of the core high-needs block after its last published year (parameters.csv)"
    )
    deficit_contributions: dict[str, dict[int, NonNeg]] = Field(
        default_factory=dict, description="DfE contributions to the cumulative deficit replaced: line -> {year: GBP}"
    )
    occupancy_margin: Margin | None = Field(
        None, description="places filled to at most this share (default: parameters.csv occupancy_margin, else 1)"
    )
    balance_test: StrictBool = Field(
        True, description="false: plan for sufficiency only, without the in-year balance of the high-needs budget"
    )
    levers: StrictBool = Field(
        True, description="false: places only (no support teams, mainstream support, borrowing or extra transfer)"
    )
    prevention: Level = Field("low", description="the support teams' effect on new plans (levers.csv)")
    team_cost: Level = Field("central", description="a support team's yearly cost (levers.csv)")
    mainstream_support: Level = Field("low", description="children supported in mainstream per extra team")
    borrowing: Level = Field(
        "low", description="the borrowing limit and its yearly charge (levers.csv); low: no borrowing"
    )
    outside_money_weight: NonNeg = Field(
        1.0, description="what a pound of money outside the high-needs budget weighs against a pound of its shortfall"
    )
    extra_income: NonNeg = Field(0.0, description="GBP a year added to high-needs income from the target year")
    # the robust plan across demand futures (python -m planner.solve --futures N; docs/model.md section 13)
    first_stage_years: Whole = Field(
        2,
        ge=1,
        description="robust plan: decisions that start in this many first planning years are common to "
        "every future (projects whose works start then, support teams, borrowing, transfer)",
    )
    shortfall_price: NonNeg = Field(
        10.0, description="robust plan: pounds of plan cost that a pound of high-needs shortfall weighs"
    )
    cvar_level: Annotated[float, Field(strict=True, ge=0, lt=1)] = Field(
        0.8, description="robust plan: the CVaR averages the worst (1 - level) share of futures"
    )
    cvar_weight: NonNeg = Field(
        1.0, description="robust plan: weight on the CVaR of the priced harm (shortfall and unmet local need)"
    )
    local_need_price: NonNeg = Field(
        0.0,
        description="robust plan: GBP a pupil-year in an independent setting from the target year weighs, "
        "beyond its fee (unmet local need)",
    )
    build_delay_probability: Annotated[float, Field(strict=True, ge=0, le=1)] = Field(
        0.0, description="robust plan: chance that a site's project opens late in a future (drawn per site and future)"
    )
    build_delay_years: Whole = Field(1, ge=1, description="robust plan: years late when a project is delayed")

    source: str = Field("", exclude=True, description="the file the scenario came from")

    def where(self) -> str:
        """How messages name the scenario: its file, or its name."""
        return Path(self.source).name if self.source else f"scenario '{self.name}'"

    def error(self, key: str, problem: str, fix: str) -> ScenarioError:
        return ScenarioError(f"{self.where()}, key '{key}': {problem}. Fix: {fix}")


# ---------------------------------------------------------------------------------------------------------
# reading, with extends
def scenario_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A scenario's file: a path (relative to the extending file's folder first), or a shipped name."""
    path = Path(name_or_path)
    folders = [relative_to] if relative_to is not None and not path.is_absolute() else []
    candidates = [f / path for f in folders] + [path]
    if not path.suffix:
        candidates += [f / f"{name_or_path}.toml" for f in folders] + [SCENARIO_DIR / f"{name_or_path}.toml"]
    for c in candidates:
        if c.is_file():
            return c
    shipped = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.toml")))
    raise ScenarioError(f"{name_or_path}: no such scenario file. Fix: give a TOML file path or one of: {shipped}")


class ScenarioWarning(UserWarning):
    """Something in a scenario file that was read but should be looked at."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            warnings.warn(f"{path.name}: starts with a byte-order mark (read as UTF-8)", ScenarioWarning, stacklevel=2)
        return tomllib.loads(raw.decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path.name}: not valid TOML ({exc}). Fix: correct the syntax") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path.name}: not UTF-8 text. Fix: save the scenario as UTF-8") from None


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """The child's keys over the parent's: tables merge key by key (the child wins), lists join, values replace."""
    out = dict(parent)
    for key, value in child.items():
        if key in MERGED_TABLES and isinstance(value, dict) and isinstance(out.get(key), dict):
            table = dict(out[key])
            for k, v in value.items():
                inner = table.get(k)
                table[k] = {**inner, **v} if isinstance(v, dict) and isinstance(inner, dict) else v
            out[key] = table
        elif key in JOINED_LISTS and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = list(dict.fromkeys([*out[key], *value]))
        else:
            out[key] = value
    return out


def _resolved(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    """The file's keys merged over those of every scenario it extends, in order."""
    if path.resolve() in chain:
        names = " -> ".join(p.stem for p in (*chain, path.resolve()))
        raise ScenarioError(
            f"{path.name}, key 'extends': the scenarios extend each other in a cycle ({names}). "
            "Fix: remove one of the extends"
        )
    raw = _read_toml(path)
    parents = raw.get("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        raise ScenarioError(
            f"{path.name}, key 'extends': give a list of scenario names or files. Fix: write extends = [\"baseline\"]"
        )
    merged: dict[str, Any] = {}
    for parent in parents:
        try:
            ppath = scenario_path(parent, path.parent)
        except ScenarioError as exc:
            raise ScenarioError(f"{path.name}, key 'extends': {exc}") from None
        inherited = _resolved(ppath, (*chain, path.resolve()))
        inherited.pop("name", None)
        inherited.pop("description", None)
        merged = merge(merged, inherited)
    return merge(merged, raw)


def load_scenario(name_or_path: str | Path | None) -> Scenario:
    """Read a scenario by file path, or by name from the shipped scenarios/ folder. None gives the baseline."""
    if name_or_path is None:
        path = SCENARIO_DIR / "baseline.toml"
        if not path.exists():
            return Scenario()
    else:
        path = scenario_path(name_or_path)
    raw = _resolved(path, ())
    try:
        scen = Scenario.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        fix = f"remove it (see {SCENARIO_DOC} for the keys)" if err["type"] == "extra_forbidden" else "correct it"
        raise ScenarioError(f"{path.name}, key '{where}': {err['msg']}. Fix: {fix}") from None
    scen.source = str(path)
    if "name" not in raw:
        scen.name = path.stem
    return scen
