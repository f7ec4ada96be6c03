"""Scenarios: named overrides of a data folder, read from TOML, validated, and applied in one place.

A scenario file says only what differs from the data: another demand projection, other unit costs, income or
capital by year, reach, a discount rate, options forced or forbidden, commitments delayed or cancelled. A
scenario may build on others (`extends = ["baseline"]`): its values replace theirs, its tables merge into
theirs key by key, its lists join theirs. docs/scenarios.md lists every key.
"""

from __future__ import annotations

import tomllib
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planner.data import PlanningData
from planner.data.schema import PARAMETER_RANGES

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
SCENARIO_DOC = "docs/scenarios.md"

# numbers are strict: true or "2" is refused rather than read as 1 or 2
Num = Annotated[float, Field(strict=True)]
NonNeg = Annotated[float, Field(strict=True, ge=0)]
Rate = Annotated[float, Field(strict=True, ge=0, le=0.15)]  # a yearly rate: 0.035 for 3.5%
Whole = Annotated[int, Field(strict=True)]

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


# ---------------------------------------------------------------------------------------------------------
# applying: the one place a scenario changes what the model is built from
@dataclass
class AppliedScenario:
    """A data folder with a scenario's overrides applied, and the planning years it resolves."""

    data: PlanningData  # with the overrides in its tables
    scenario: Scenario
    target_year: int
    horizon_end: int

    @property
    def years(self) -> list[int]:
        """Planning years after the base year, to the horizon."""
        return list(range(self.data.base_year + 1, self.horizon_end + 1))

    @property
    def target_years(self) -> list[int]:
        """The years from the target year on: the high-needs budget balances in-year in each."""
        return [t for t in self.years if t >= self.target_year]


def apply_scenario(data: PlanningData, scen: Scenario, target_year: int | None = None) -> AppliedScenario:
    """The data folder as the scenario changes it. `target_year` (the command line's --year) overrides the
    scenario's, which overrides parameters.csv's. Raises ScenarioError naming the key (or argument) for an
    override that does not fit the data."""
    target, horizon = resolve_years(data, scen, target_year)
    _check_ids(data, scen)
    applied = replace(
        data,
        parameters=_parameters(data, scen),
        phases=_phases(data, scen),
        plans=_plans(data, scen),
        unit_costs=_unit_costs(data, scen),
        income=_income(data, scen),
        capital_budget=_capital_budget(data, scen),
        commitments=_commitments(data, scen),
        options=_options(data, scen),
    )
    return AppliedScenario(applied, scen, target, horizon)


def resolve_years(data: PlanningData, scen: Scenario, target_year: int | None) -> tuple[int, int]:
    """The target year (--year, else the scenario's, else parameters.csv's) and the last planning year."""
    base, last = data.base_year, data.last_year
    if target_year is not None:
        target, blame = target_year, "argument --year"
    elif scen.target_year is not None:
        target, blame = scen.target_year, f"{scen.where()}, key 'target_year'"
    elif "target_year" in data.parameters.index:
        target, blame = int(data.parameters["target_year"]), "parameters.csv, target_year"
    else:
        raise ScenarioError(
            "no target year: parameters.csv has no target_year row. Fix: add one (the year from which the "
            "high-needs budget must balance in-year), set target_year in the scenario, or give --year"
        )
    if not base < target <= last:
        raise ScenarioError(
            f"{blame}: target year {target} is outside the planning years {base + 1}-{last} (after the base year "
            f"{base}, up to the last year of plans.csv). Fix: choose a target year from {base + 1} to {last}"
        )
    horizon = scen.horizon_end or min(target + 2, last)
    if not target <= horizon <= last:
        raise scen.error(
            "horizon_end",
            f"horizon end {horizon} must be from the target year {target} to {last} (the last year of plans.csv)",
            f"give a year from {target} to {last}, or leave horizon_end out (target year + 2)",
        )
    return target, horizon


def _check_ids(data: PlanningData, scen: Scenario) -> None:
    ids = set(data.commitments["project_id"])
    for key, given in (("commitment_delays", scen.commitment_delays), ("cancel_commitments", scen.cancel_commitments)):
        unknown = sorted(set(given) - ids)
        if unknown:
            raise scen.error(
                key,
                f"unknown project id(s) {unknown}",
                f"use project ids from commitments.csv: {', '.join(sorted(ids)) or '(none)'}",
            )
    known = set(data.options["option_id"]) | set(data.options["site_id"])
    for key, given in (("force_options", scen.force_options), ("forbid_options", scen.forbid_options)):
        unknown = [i for i in given if i not in known]
        if unknown:
            raise scen.error(
                key, f"unknown option or site id(s) {unknown}", "use option_id or site_id values from options.csv"
            )
    projections = set(data.plans["scenario"])
    if scen.demand_projection not in projections:
        raise scen.error(
            "demand_projection",
            f"plans.csv has no projection named '{scen.demand_projection}'",
            f"use one of {', '.join(sorted(projections))}",
        )


def _parameters(data: PlanningData, scen: Scenario) -> pd.Series:
    params = data.parameters.copy()
    for k, v in scen.parameters.items():
        if k not in params.index:
            raise scen.error(
                f"parameters.{k}", "unknown parameter", f"use a name from parameters.csv: {', '.join(params.index)}"
            )
        lo, hi = PARAMETER_RANGES.get(k, (float("-inf"), float("inf")))
        if not lo <= v <= hi:
            raise scen.error(
                f"parameters.{k}",
                f"{v:g} is outside the plausible range {lo:g} to {hi:g}",
                "correct it (rates are shares: write 0.035 for 3.5%)",
            )
        params[k] = v
    if scen.discount_rate is not None:
        params["discount_rate"] = scen.discount_rate
    if scen.capital_charge_rate is not None:
        params["capital_charge_rate"] = scen.capital_charge_rate
    return params


def _phases(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    phases = data.phases.copy()
    placed = data.placed_phases
    for p, km in scen.reach_km.items():
        if p not in placed:
            raise scen.error(f"reach_km.{p}", "not a phase the model places", f"use one of {placed}")
        phases.loc[phases["phase"] == p, "max_journey_km"] = km
    return phases


def _plans(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """The chosen projection only, scaled after the base year (the base year is observed)."""
    plans = data.plans[data.plans["scenario"] == scen.demand_projection].copy()
    plans.loc[plans["year"] > data.base_year, "plans"] *= scen.demand_scale
    return plans


def _unit_costs(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    uc = data.unit_costs.copy()
    for st, o in scen.unit_costs.items():
        if st not in set(uc["setting_type"]):
            raise scen.error(
                f"unit_costs.{st}",
                "no such setting type in unit_costs.csv",
                f"use one of {', '.join(uc['setting_type'])}",
            )
        for fld in ("place_funding", "top_up"):
            if getattr(o, fld) is not None:
                uc.loc[uc["setting_type"] == st, fld] = float(getattr(o, fld))
    return uc


def _income(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    inc = data.income.copy()
    lines = set(inc["line"])
    for line, by_year in scen.income.items():
        if line not in lines:
            raise scen.error(f"income.{line}", "unknown income line", f"use one of {sorted(lines)}")
        for y, v in by_year.items():
            m = (inc["line"] == line) & (inc["year"] == y)
            if not m.any():
                raise scen.error(
                    f"income.{line}.{y}", "year not in income.csv", f"use years {inc['year'].min()}-{inc['year'].max()}"
                )
            inc.loc[m, "amount"] = v
    for line, k in scen.income_scale.items():
        if line not in lines:
            raise scen.error(f"income_scale.{line}", "unknown income line", f"use one of {sorted(lines)}")
        inc.loc[inc["line"] == line, "amount"] *= k
    return inc


def _capital_budget(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    cap = data.capital_budget.copy()
    for y, v in scen.capital_budget.items():
        m = cap["year"] == y
        if not m.any():
            raise scen.error(
                f"capital_budget.{y}",
                "year not in capital_budget.csv",
                f"use years {cap['year'].min()}-{cap['year'].max()}",
            )
        cap.loc[m, "amount"] = v
    cap["amount"] = cap["amount"].astype(float) * scen.capital_budget_scale
    return cap


def _commitments(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """Commitments delivered in the scenario, with its delays applied to their opening years."""
    com = data.commitments[~data.commitments["project_id"].isin(scen.cancel_commitments)].copy()
    delay = com["project_id"].map(scen.commitment_delays).fillna(0).astype(int)
    com["opening_year"] = com["opening_year"] + delay
    base, last = data.base_year, data.last_year
    bad = com[(com["opening_year"] <= base) | (com["opening_year"] > last)]
    if len(bad):
        r = bad.iloc[0]
        raise scen.error(
            f"commitment_delays.{r['project_id']}",
            f"the delay moves its opening to {r['opening_year']}, outside the planning years {base + 1}-{last}",
            f"give a delay that opens it from {base + 1} to {last} (cancel_commitments to drop it)",
        )
    return com


def _options(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """Options the scenario does not forbid (by option id or site id)."""
    forbidden = set(scen.forbid_options)
    o = data.options
    return o[~o["option_id"].isin(forbidden) & ~o["site_id"].isin(forbidden)].copy()
