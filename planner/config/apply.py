"""Applying a scenario: the one place a scenario changes what the model is built from (the data's tables with
its overrides, and the planning years it resolves). The re-check keeps its own reading (planner/check/scenario.py);
a test holds the two together on every shipped scenario."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.config.scenario import Scenario, ScenarioError
from planner.data import PlanningData
from planner.data.demand import projection_plans, read_futures
from planner.data.schema import PARAMETER_RANGES


@dataclass
class AppliedScenario:
    """A data folder with a scenario's overrides applied, and the planning years it resolves."""

    data: PlanningData  # with the overrides in its tables
    scenario: Scenario
    target_year: int
    horizon_end: int
    transfer_cut: pd.Series  # year -> GBP by which the scenario cuts the schools-block transfer (data - scenario)

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
    params = _parameters(data, scen)
    grown = _grown_income(data.income, params, scen)
    income = _with_extra_income(_income(grown, scen), scen, target)
    applied = replace(
        data,
        parameters=params,
        phases=_phases(data, scen),
        plans=_plans(data, scen),
        unit_costs=_unit_costs(data, scen),
        income=income,
        capital_budget=_capital_budget(data, scen),
        commitments=_commitments(data, scen),
        options=_options(data, scen),
        deficit_contributions=_deficit_contributions(data, scen),
    )
    return AppliedScenario(applied, scen, target, horizon, _transfer_cut(grown, income))


TRANSFER_LINE = "schools_block_transfer"  # the income line a spending line's transfer_counterpart follows


def _transfer_cut(before: pd.DataFrame, after: pd.DataFrame) -> pd.Series:
    """By year, how much less schools-block transfer the scenario has than the data."""
    by_year = [df[df["line"] == TRANSFER_LINE].set_index("year")["amount"].astype(float) for df in (before, after)]
    return by_year[0].sub(by_year[1], fill_value=0.0).rename("transfer_cut")


def _grown_income(income: pd.DataFrame, params: pd.Series, scen: Scenario) -> pd.DataFrame:
    """Income lines marked `dsg` grow after the last published year at the scenario's rate (low, central, high in
    parameters.csv): amount[t] = amount[last] x (1 + g)^(t - last)."""
    inc = income.copy()
    grows = inc["growth"] == "dsg"
    if not grows.any():
        return inc
    key = f"income_growth_{scen.income_growth}"
    for name in ("income_last_published_year", key):
        if name not in params.index:
            raise scen.error("income_growth", f"parameters.csv has no '{name}' row, which lines marked dsg in "
                             "income.csv need", f"add the '{name}' row to parameters.csv")  # fmt: skip
    last, g = int(params["income_last_published_year"]), float(params[key])
    for line in inc.loc[grows, "line"].unique():
        rows = grows & (inc["line"] == line)
        at_last = inc.loc[rows & (inc["year"] == last), "amount"]
        if len(at_last):
            later = rows & (inc["year"] > last)
            inc.loc[later, "amount"] = float(at_last.iloc[0]) * (1 + g) ** (inc.loc[later, "year"] - last)
    return inc


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
    if scen.demand_projection.startswith("future-"):
        projections |= set(read_futures(data)["scenario"])
    if scen.demand_projection not in projections:
        raise scen.error(
            "demand_projection",
            f"plans.csv has no projection named '{scen.demand_projection}'",
            f"use one of {', '.join(sorted(p for p in projections if not p.startswith('future-')))} (or a future of "
            "futures.csv: future-001, ...)",
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
    if scen.occupancy_margin is not None:
        params["occupancy_margin"] = scen.occupancy_margin
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
    plans = projection_plans(data, scen.demand_projection).copy()
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


def _income(income: pd.DataFrame, scen: Scenario) -> pd.DataFrame:
    inc = income.copy()
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


EXTRA_INCOME_LINE = "scenario_extra_income"


def _with_extra_income(income: pd.DataFrame, scen: Scenario, target: int) -> pd.DataFrame:
    """The scenario's extra_income as its own income line in every year from the target year."""
    if not scen.extra_income:
        return income
    years = sorted(y for y in income["year"].unique() if y >= target)
    source = f"{scen.where()}: extra_income"
    extra = pd.DataFrame({"year": years, "line": EXTRA_INCOME_LINE, "amount": float(scen.extra_income),
                          "basis": "estimate", "source": source, "growth": "fixed"})  # fmt: skip
    return pd.concat([income, extra[income.columns.intersection(extra.columns)]], ignore_index=True)


def _capital_budget(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """Capital by year and line; a scenario's capital_budget replaces a year's total (as one line, 'scenario')."""
    cap = data.capital_budget.copy()
    for y, v in scen.capital_budget.items():
        m = cap["year"] == y
        if not m.any():
            raise scen.error(
                f"capital_budget.{y}",
                "year not in capital_budget.csv",
                f"use years {cap['year'].min()}-{cap['year'].max()}",
            )
        row = cap[m].iloc[[0]].assign(line="scenario", amount=float(v), basis="estimate", source=scen.where())
        cap = pd.concat([cap[~m], row], ignore_index=True)
    cap["amount"] = cap["amount"].astype(float) * scen.capital_budget_scale
    return cap.sort_values(["year", "line"]).reset_index(drop=True)


def _deficit_contributions(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """DfE contributions to the cumulative deficit, with the scenario's replacements (0 suspends one)."""
    dc = data.deficit_contributions.copy()
    lines = set(dc["line"])
    for line, by_year in scen.deficit_contributions.items():
        if line not in lines:
            raise scen.error(f"deficit_contributions.{line}", "unknown line",
                             f"use one of {sorted(lines) or '(none: deficit_contributions.csv is empty)'}")  # fmt: skip
        for y, v in by_year.items():
            m = (dc["line"] == line) & (dc["year"] == y)
            if not m.any():
                raise scen.error(f"deficit_contributions.{line}.{y}", "year not in deficit_contributions.csv",
                                 "use a year the file has for the line")  # fmt: skip
            dc.loc[m, "amount"] = float(v)
    return dc


def _commitments(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """Commitments delivered in the scenario, with its delays applied to their opening years."""
    com = data.commitments.copy()
    delay = com["project_id"].map(scen.commitment_delays).fillna(0).astype(int)
    com["opening_year"] = com["opening_year"] + delay
    # a school opening in phases: a later phase (an expansion of a new committed setting) goes with its school:
    # cancelled with it, and never open before it
    schools = com[com["project_type"] != "expansion"].set_index("setting_id")
    phase = (com["project_type"] == "expansion") & com["setting_id"].isin(schools.index)
    school_of = com["setting_id"].where(phase)
    cancelled = com["project_id"].isin(scen.cancel_commitments)
    cancelled |= phase & school_of.map(schools["project_id"]).isin(scen.cancel_commitments)
    school_opens = school_of.map(schools["opening_year"])
    com.loc[phase, "opening_year"] = np.maximum(com.loc[phase, "opening_year"], school_opens[phase]).astype(int)
    com = com[~cancelled].copy()
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
