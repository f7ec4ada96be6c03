"""The programme's levers as plain numbers (docs/model.md section 11): support teams by area and their effect on
new plans, mainstream with enhanced support, borrowing for capital, and a schools-block transfer above the data's.

Team areas are districts (the shipped data hold no boundaries of Norfolk's 15 team zones). Figures come from
levers.csv at the level the scenario names (low, central or high); no Pyomo here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.config import Scenario
from planner.data import PlanningData

TRANSFER_LINE = "schools_block_transfer"
PLAN_DRIVERS = ("mainstream", "further_education", "educated_elsewhere", "early_years_setting", "not_recorded",
                "not_placed")  # fmt: skip  # spending lines that scale with the plans the model does not place


@dataclass
class LeverInputs:
    """Everything the lever rules need. Money in GBP; years are planning years."""

    weight: float  # lambda: a pound outside the high-needs budget against a pound of its shortfall
    areas: pd.DataFrame  # index area_id (district): name, children, max_teams
    team_cost: pd.Series  # year -> GBP a team a year
    team_first_year: int  # the first year an extra team can work
    children_per_team: float
    effect_curve: list[tuple[float, float]]  # (coverage, share of the full effect): concave, from (0, 0)
    prevent_specialist: float  # share of new specialist entrants who are new plans prevented at full effect
    new_plan_share: pd.Series  # year -> share of the county's new specialist entrants who are new plans
    prevented_plans: pd.DataFrame  # area_id, year, plans: new non-specialist plans prevented at full effect
    plan_saving: pd.Series  # year -> GBP a year of high-needs spending per non-specialist plan
    plan_stay: float  # share of plans still open a year later
    mainstream_per_team: float
    mainstream_shares: pd.DataFrame  # need_group, phase, max_share
    enhanced_top_up: pd.Series  # year -> GBP a child a year
    borrowing_limit: float
    borrowing_charge: float  # GBP a year on the general fund per GBP borrowed, from the year after
    transfer_base: pd.Series  # year -> GBP: the data's transfer (after the scenario)
    transfer_max: float  # GBP a year
    transfer_approval: float  # GBP a year: above it the Secretary of State must approve
    schools_block: float  # GBP a year
    levels: dict[str, str] = field(default_factory=dict)

    @property
    def prevention(self) -> bool:
        return self.prevent_specialist > 0 or float(self.prevented_plans["plans"].sum()) > 0

    def summary(self) -> dict[str, object]:
        return {
            "areas": len(self.areas),
            "max_teams": int(self.areas["max_teams"].sum()),
            "levels": self.levels,
            "outside_money_weight": self.weight,
        }


def figure(data: PlanningData, name: str, level: str) -> float:
    row = data.levers.set_index("name").loc[name]
    return float(row[level])


def lever_inputs(data: PlanningData, scen: Scenario, years: list[int], specialist_demand: pd.Series,
                 new_entrants: pd.Series, income: pd.DataFrame, other_lines: pd.DataFrame,
                 non_specialist: pd.DataFrame) -> LeverInputs | None:  # fmt: skip
    """The levers of `scen` on `data`, or None when the data have no levers.csv or the scenario turns levers off.
    specialist_demand and new_entrants: the county's specialist pupils and new specialist entrants by year (the
    model's demand); income, other_lines and non_specialist as in ModelInputs."""
    if data.levers.empty or not scen.levers:
        return None
    base = data.base_year
    levels = {"prevention": scen.prevention, "team_cost": scen.team_cost,
              "mainstream_support": scen.mainstream_support, "borrowing": scen.borrowing}  # fmt: skip

    def fig(name: str, level: str = "central") -> float:
        return figure(data, name, level)

    infl = float(data.parameters.get("inflation", data.parameters["unit_cost_growth"]))
    g_cost = float(data.parameters["unit_cost_growth"])
    per_team = fig("children_per_team")
    zones = data.zones.groupby("district_id")["children_0_15"].sum()
    names = data.districts.set_index("district_id")["district_name"]
    areas = pd.DataFrame({"name": names.reindex(zones.index), "children": zones.astype(float)})
    areas["max_teams"] = np.maximum(1, np.round(fig("extra_teams_per_zone") * areas["children"] / per_team))
    areas.index.name = "area_id"
    half = fig("effect_at_half_coverage")
    plans = data.plans.groupby("year")["plans"].sum()
    q = fig("plan_ceasing_rate")
    new_plans = pd.Series({t: max(0.0, plans[t] - (1 - q) * plans[t - 1]) for t in years if t - 1 in plans.index})
    spec_share = (specialist_demand / plans.reindex(specialist_demand.index)).clip(0, 1)
    new_spec = new_plans * spec_share.reindex(new_plans.index)
    new_plan_share = (new_spec / new_entrants.reindex(new_spec.index)).clip(0, 1).fillna(0.0)
    children = areas["children"] / areas["children"].sum()
    p_plans = fig("prevention_new_plans", scen.prevention)
    prevented = [
        (a, t, p_plans * float(new_plans[t] * (1 - spec_share[t])) * float(children[a]))
        for a in areas.index
        for t in years
    ]
    ns = non_specialist[non_specialist["placement_type"] != "specialist_not_placed_by_model"]
    ns_count = ns.groupby("year")["pupils"].sum()
    driven = _plan_driven(data, other_lines)
    transfer = income[income["line"] == TRANSFER_LINE].set_index("year")["amount"].reindex(years).fillna(0.0)
    block = fig("schools_block")
    return LeverInputs(
        weight=float(scen.outside_money_weight),
        areas=areas,
        team_cost=pd.Series({t: fig("team_cost", scen.team_cost) * (1 + infl) ** (t - base) for t in years}),
        team_first_year=base + 1 + int(round(fig("team_lead_time"))),
        children_per_team=per_team,
        effect_curve=[(0.0, 0.0), (0.5, half), (1.0, 1.0)],
        prevent_specialist=1 - (1 - p_plans) * (1 - fig("prevention_specialist", scen.prevention)),
        new_plan_share=new_plan_share,
        prevented_plans=pd.DataFrame(prevented, columns=["area_id", "year", "plans"]),
        plan_saving=(driven / ns_count.reindex(driven.index)).reindex(years).fillna(0.0),
        plan_stay=1 - q,
        mainstream_per_team=fig("mainstream_per_team", scen.mainstream_support),
        mainstream_shares=data.mainstream_support[["need_group", "phase", "max_share"]].copy(),
        enhanced_top_up=pd.Series({t: fig("enhanced_top_up") * (1 + g_cost) ** (t - base) for t in years}),
        borrowing_limit=fig("borrowing_limit", scen.borrowing),
        borrowing_charge=fig("borrowing_charge", scen.borrowing),
        transfer_base=transfer,
        transfer_max=fig("transfer_max_share") * block,
        transfer_approval=fig("transfer_approval_share") * block,
        schools_block=block,
        levels=levels,
    )


def _plan_driven(data: PlanningData, other_lines: pd.DataFrame) -> pd.Series:
    """Year -> GBP of the spending lines that scale with the plans the model does not place."""
    lines = data.spending_lines
    if lines.empty:
        return other_lines.sum(axis=1)
    names = [r.line for r in lines.itertuples() if r.driver in PLAN_DRIVERS and r.line in other_lines.columns]
    return other_lines[names].sum(axis=1)
