"""The check's own reading of a scenario: the data as the scenario changes them, worked out here in plain pandas.

planner.config.apply_scenario is the one place the model's inputs are changed by a scenario; the check reads the
scenario again, independently, so that a mistake there shows up as a failed check rather than a plan checked
against the same mistake. tests/test_check_scenarios.py holds the two readings to agreement on every shipped
scenario. Overrides that do not fit the data are the solve's to refuse; here they are applied as written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.config import Scenario
from planner.data import PlanningData


@dataclass(frozen=True)
class ScenarioReading:
    """The data's inputs as one scenario changes them."""

    parameters: pd.Series  # name -> value
    reach: pd.Series  # phase -> longest journey to a state setting, road km (NaN: no limit)
    plans: pd.DataFrame  # year, need_group, phase, plans: the chosen projection, scaled after the base year
    unit_costs: pd.DataFrame  # index setting_type; place_funding, top_up (GBP a year)
    income: pd.DataFrame  # year, line, amount (GBP)
    capital_budget: pd.Series  # year -> GBP
    commitments: pd.DataFrame  # commitments delivered, opening years with the delays
    options: pd.DataFrame  # options the scenario does not forbid

    def income_by_line(self, years: list[int]) -> pd.DataFrame:
        """Income by year (rows, the given years) and line (columns)."""
        inc = self.income[self.income["year"].isin(years)]
        return inc.pivot(index="year", columns="line", values="amount").reindex(years)


def read_scenario(data: PlanningData, scen: Scenario) -> ScenarioReading:
    """The data folder's inputs with the scenario's overrides."""
    return ScenarioReading(
        parameters=_parameters(data, scen),
        reach=_reach(data, scen),
        plans=_plans(data, scen),
        unit_costs=_unit_costs(data, scen),
        income=_income(data, scen),
        capital_budget=_capital_budget(data, scen),
        commitments=_commitments(data, scen),
        options=_options(data, scen),
    )


def _parameters(data: PlanningData, scen: Scenario) -> pd.Series:
    params = data.parameters.astype(float).copy()
    named = {"discount_rate": scen.discount_rate, "capital_charge_rate": scen.capital_charge_rate}
    for k, v in {**scen.parameters, **{k: v for k, v in named.items() if v is not None}}.items():
        params[k] = float(v)
    return params


def _reach(data: PlanningData, scen: Scenario) -> pd.Series:
    reach = data.phases.set_index("phase")["max_journey_km"].astype(float).copy()
    for phase, km in scen.reach_km.items():
        reach[phase] = float(km)
    return reach


def _plans(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    pl = data.plans[data.plans["scenario"] == scen.demand_projection]
    pl = pl[["year", "need_group", "phase", "plans"]].astype({"year": int, "plans": float})
    pl["plans"] *= np.where(pl["year"] > data.base_year, scen.demand_scale, 1.0)
    return pl.reset_index(drop=True)


def _unit_costs(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    uc = data.unit_costs.set_index("setting_type")[["place_funding", "top_up"]].astype(float).copy()
    for setting_type, override in scen.unit_costs.items():
        for name, value in override.model_dump(exclude_none=True).items():
            uc.loc[setting_type, name] = float(value)
    return uc


def _income(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    inc = data.income[["year", "line", "amount"]].astype({"year": int, "amount": float})
    for line, by_year in scen.income.items():
        for year, value in by_year.items():
            inc.loc[(inc["line"] == line) & (inc["year"] == int(year)), "amount"] = float(value)
    for line, k in scen.income_scale.items():
        inc.loc[inc["line"] == line, "amount"] *= float(k)
    return inc.reset_index(drop=True)


def _capital_budget(data: PlanningData, scen: Scenario) -> pd.Series:
    cb = data.capital_budget.set_index("year")["amount"].astype(float).copy()
    cb.index = cb.index.astype(int)
    for year, value in scen.capital_budget.items():
        cb[int(year)] = float(value)
    return cb.sort_index() * scen.capital_budget_scale


def _commitments(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    com = data.commitments[~data.commitments["project_id"].isin(scen.cancel_commitments)].copy()
    delay = com["project_id"].map(scen.commitment_delays).fillna(0).astype(int)
    com["opening_year"] = com["opening_year"].astype(int) + delay
    return com.reset_index(drop=True)


def _options(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """Options built neither by option id nor by site id in the scenario's forbidden list."""
    forbidden = set(scen.forbid_options)
    opts = data.options
    return opts[~(opts["option_id"].isin(forbidden) | opts["site_id"].isin(forbidden))].reset_index(drop=True)
