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
    reach_minutes: pd.Series  # phase -> longest journey in minutes where journeys.csv gives them (NaN: none)
    plans: pd.DataFrame  # year, need_group, phase, plans: the chosen projection, scaled after the base year
    unit_costs: pd.DataFrame  # index setting_type; place_funding, top_up (GBP a year), growth (NaN: the parameter)
    income: pd.DataFrame  # year, line, amount (GBP): dsg lines grown after the last published year, then overrides
    transfer_cut: pd.Series  # year -> GBP of schools-block transfer the data give (grown) less what the scenario leaves
    capital_budget: pd.Series  # year -> GBP, all lines
    deficit_contributions: pd.Series  # year -> GBP of DfE contributions to the cumulative deficit, all lines
    commitments: pd.DataFrame  # commitments delivered, opening years with the delays
    options: pd.DataFrame  # options the scenario does not forbid
    balance_test: bool  # False: sufficiency only (no shortfall is owed)

    def income_by_line(self, years: list[int]) -> pd.DataFrame:
        """Income by year (rows, the given years) and line (columns)."""
        inc = self.income[self.income["year"].isin(years)]
        return inc.pivot(index="year", columns="line", values="amount").reindex(years)


def read_scenario(data: PlanningData, scen: Scenario) -> ScenarioReading:
    """The data folder's inputs with the scenario's overrides."""
    params = _parameters(data, scen)
    grown = _grown_income(data, params, scen)
    income = _income(grown, scen)
    return ScenarioReading(
        parameters=params,
        reach=_reach(data, scen),
        reach_minutes=data.phases.set_index("phase")["max_journey_minutes"].astype(float),
        plans=_plans(data, scen),
        unit_costs=_unit_costs(data, scen),
        income=income,
        transfer_cut=_line_by_year(grown, TRANSFER_LINE).sub(_line_by_year(income, TRANSFER_LINE), fill_value=0.0),
        capital_budget=_capital_budget(data, scen),
        deficit_contributions=_deficit_contributions(data, scen),
        commitments=_commitments(data, scen),
        options=_options(data, scen),
        balance_test=bool(scen.balance_test),
    )


def _parameters(data: PlanningData, scen: Scenario) -> pd.Series:
    params = data.parameters.astype(float).copy()
    named = {"discount_rate": scen.discount_rate, "capital_charge_rate": scen.capital_charge_rate}
    named["occupancy_margin"] = scen.occupancy_margin
    for k, v in {**scen.parameters, **{k: v for k, v in named.items() if v is not None}}.items():
        params[k] = float(v)
    return params


def _reach(data: PlanningData, scen: Scenario) -> pd.Series:
    reach = data.phases.set_index("phase")["max_journey_km"].astype(float).copy()
    for phase, km in scen.reach_km.items():
        reach[phase] = float(km)
    return reach


def _plans(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """The scenario's projection (plans.csv, or a future of futures.csv), scaled after the base year."""
    pl = data.plans[data.plans["scenario"] == scen.demand_projection]
    if pl.empty and scen.demand_projection.startswith("future-"):
        futures = pd.read_csv(data.folder / "futures.csv")
        pl = futures[futures["scenario"] == scen.demand_projection]
    pl = pl[["year", "need_group", "phase", "plans"]].astype({"year": int, "plans": float})
    pl["plans"] *= np.where(pl["year"] > data.base_year, scen.demand_scale, 1.0)
    return pl.reset_index(drop=True)


def _unit_costs(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    uc = data.unit_costs.set_index("setting_type")[["place_funding", "top_up", "growth"]].astype(float).copy()
    for setting_type, override in scen.unit_costs.items():
        for name, value in override.model_dump(exclude_none=True).items():
            uc.loc[setting_type, name] = float(value)
    return uc


TRANSFER_LINE = "schools_block_transfer"  # the income line whose cut spending lines' transfer_counterpart follows


def _grown_income(data: PlanningData, params: pd.Series, scen: Scenario) -> pd.DataFrame:
    """income.csv with each line marked dsg carried on from its amount in income_last_published_year at the
    scenario's income growth (low, central or high in parameters.csv), compounded yearly."""
    inc = data.income[["year", "line", "amount", "growth"]].astype({"year": int, "amount": float})
    dsg = inc["growth"] == "dsg"
    if not dsg.any():
        return inc
    last = int(params["income_last_published_year"])
    rate = float(params[f"income_growth_{scen.income_growth}"])
    published = inc[dsg & (inc["year"] == last)].set_index("line")["amount"]
    later = dsg & (inc["year"] > last) & inc["line"].isin(published.index)
    start = inc.loc[later, "line"].map(published)
    inc.loc[later, "amount"] = start * (1.0 + rate) ** (inc.loc[later, "year"] - last)
    return inc


def _line_by_year(income: pd.DataFrame, line: str) -> pd.Series:
    return income[income["line"] == line].set_index("year")["amount"].astype(float)


def _income(grown: pd.DataFrame, scen: Scenario) -> pd.DataFrame:
    inc = grown[["year", "line", "amount"]].copy()
    for line, by_year in scen.income.items():
        for year, value in by_year.items():
            inc.loc[(inc["line"] == line) & (inc["year"] == int(year)), "amount"] = float(value)
    for line, k in scen.income_scale.items():
        inc.loc[inc["line"] == line, "amount"] *= float(k)
    return inc.reset_index(drop=True)


def _capital_budget(data: PlanningData, scen: Scenario) -> pd.Series:
    """Capital by year, every source (line) together; a scenario's year replaces that year's total."""
    cap = data.capital_budget
    cb = cap["amount"].astype(float).groupby(cap["year"].astype(int)).sum()
    for year, value in scen.capital_budget.items():
        cb[int(year)] = float(value)
    return cb.sort_index() * scen.capital_budget_scale


def _deficit_contributions(data: PlanningData, scen: Scenario) -> pd.Series:
    """DfE contributions to the cumulative deficit by year, every line together, with the scenario's replacements
    of single lines and years."""
    dc = data.deficit_contributions
    if dc.empty:
        return pd.Series(dtype=float)
    amount = dc.set_index([dc["line"].astype(str), dc["year"].astype(int)])["amount"].astype(float)
    for line, by_year in scen.deficit_contributions.items():
        for year, value in by_year.items():
            amount[(line, int(year))] = float(value)
    return amount.groupby(level=1).sum().sort_index()


def _commitments(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """Commitments as delivered: delays applied; a later phase of a new school (an expansion of its setting)
    cancelled with the school and opening no earlier than it."""
    com = data.commitments.copy()
    delay = com["project_id"].map(scen.commitment_delays).fillna(0).astype(int)
    com["opening_year"] = com["opening_year"].astype(int) + delay
    opens = {r.setting_id: (r.project_id, r.opening_year) for r in com.itertuples() if r.project_type != "expansion"}
    keep = []
    for r in com.itertuples():
        school = opens.get(r.setting_id) if r.project_type == "expansion" else None
        if school is not None:
            com.loc[r.Index, "opening_year"] = max(int(r.opening_year), int(school[1]))
        dropped = r.project_id in scen.cancel_commitments or (
            school is not None and school[0] in scen.cancel_commitments
        )
        keep.append(not dropped)
    return com[pd.Series(keep, index=com.index, dtype=bool)].reset_index(drop=True)


def _options(data: PlanningData, scen: Scenario) -> pd.DataFrame:
    """Options built neither by option id nor by site id in the scenario's forbidden list."""
    forbidden = set(scen.forbid_options)
    opts = data.options
    return opts[~(opts["option_id"].isin(forbidden) | opts["site_id"].isin(forbidden))].reset_index(drop=True)
