"""Model inputs: a data folder with a scenario applied, resolved into the sparse sets and plain numbers the model
uses.

This is the seam between data and model (the role spopt's `from_geodataframe` plays): geography becomes distances,
county tables become zone demand, base-year pupils are placed on home-zone to setting arcs, and options become
projects (option x size) that may open in any year they can reach. No Pyomo here, and no file I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.config import AppliedScenario, Scenario
from planner.data import PlanningData
from planner.data.demand import county_demand, specialist_share, specialist_shares, zone_weights
from planner.data.schema import STATE_TYPES
from planner.inputs import arcs as arc_rules
from planner.inputs import base_year, money
from planner.inputs.levers import LeverInputs, lever_inputs
from planner.inputs.projects import projects_table
from planner.inputs.settings import available, journeys, places_by_year, settings_table
from planner.inputs.transport import TransportCosts, transport_costs


@dataclass
class ModelInputs:
    """Everything the model needs, as tidy tables with plain numbers. Money in GBP, distances in road km."""

    base_year: int
    target_year: int
    years: list[int]  # planning years after the base year
    target_years: list[int]  # the years from the target year on, when the budget balances in-year
    scenario: Scenario
    cohorts: pd.DataFrame  # cohort: zone_id, district_id, need_group, phase, stay_rate
    demand: pd.DataFrame  # cohort, year, demand (all specialist pupils), legacy (pupils fixed on legacy arcs)
    settings: pd.DataFrame  # index setting_id: name, setting_type, origin, district_id, x, y, out_of_county, ...
    capacity: pd.DataFrame  # setting_id, year, places (existing + committed; NaN = unlimited)
    arcs: pd.DataFrame  # arc: cohort, setting_id, road_km, base_pupils
    legacy: pd.DataFrame  # cohort, setting_id, year, pupils: base-year placements the model would not make now
    projects: pd.DataFrame  # project: an option at one size (menu) or over its size range (range): option_id,
    #   site_id, setting_id, sizing, min_places, places (the largest), capital_fixed, capital_per_place, lead_time,
    #   first_opening; a project opens in one year from first_opening to the horizon, or not at all
    forced_options: list[str]
    unit_costs: pd.DataFrame  # index (setting_type, year): place_funding, top_up
    transport: TransportCosts  # GBP a year of a pupil's journeys by km and setting type, growth by year
    income: pd.DataFrame  # year, line, amount
    other_lines: pd.DataFrame  # year x line: GBP of high-needs spending the model does not place
    other_prices: pd.DataFrame  # year x line: each line's price index (growth since the base year)
    capital_budget: pd.Series  # year -> GBP
    discount: pd.Series  # year -> factor
    capital_charge_rate: float
    deficit_after_base: float  # cumulative deficit at the end of the base year
    opening_deficit: float  # cumulative deficit at the start of the base year
    phase_ages: dict[str, tuple[int, int]]  # phase -> (min_age, max_age)
    deficit_contributions: pd.Series = field(default_factory=pd.Series)  # year -> GBP off the cumulative deficit
    placement_shares: pd.DataFrame = field(default_factory=pd.DataFrame)  # setting_type, need_group, max_share
    occupancy_margin: float = 1.0  # places filled to at most this share
    balance_test: bool = True  # the high-needs budget balances in-year from the target year (else reported only)
    published_forecasts: pd.DataFrame = field(default_factory=pd.DataFrame)  # the council's published figures
    unserved: pd.DataFrame = field(default_factory=pd.DataFrame)  # need group, phase, demand: no state setting serves
    base_budget: dict[str, float] = field(default_factory=dict)
    non_specialist: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, placement_type, pupils
    options_meta: pd.DataFrame = field(default_factory=pd.DataFrame)  # option rows from the data
    commitments: pd.DataFrame = field(default_factory=pd.DataFrame)  # with scenario delays applied
    levers: LeverInputs | None = None  # support teams, mainstream support, borrowing, transfer (None: none)

    @property
    def other_spending(self) -> pd.Series:
        """Year -> GBP of high-needs spending the model does not place (all lines)."""
        return self.other_lines.sum(axis=1)

    def summary(self) -> dict[str, int]:
        return {
            "cohorts": len(self.cohorts),
            "settings": len(self.settings),
            "arcs": len(self.arcs),
            "years": len(self.years),
            "projects": len(self.projects),
        }


def check_demand_against_stay(demand: pd.DataFrame, phases: pd.DataFrame, scen: Scenario) -> None:
    """Refuse demand that falls faster than pupils leave: continuity keeps r_p x last year's pupils in place."""
    piv = demand.pivot_table(index=["need_group", "phase"], columns="year", values="demand").sort_index(axis=1)
    stay = piv.index.get_level_values("phase").map(phases["stay_rate"]).to_numpy(dtype=float)
    d = piv.to_numpy(dtype=float)
    new = d[:, 1:] - stay[:, None] * d[:, :-1]
    bad = np.argwhere(new < -1e-6 * np.maximum(d[:, :-1], 1.0))
    if len(bad):
        r, i = bad[0]
        g, p = piv.index[r]
        y0, y1 = piv.columns[i], piv.columns[i + 1]
        raise scen.error(
            "demand_scale" if scen.demand_scale != 1.0 else "demand_projection",
            f"specialist demand for {g} / {p} falls from {d[r, i]:.1f} in {y0} to {d[r, i + 1]:.1f} in {y1}, "
            f"faster than pupils leave (a stay rate of {stay[r]:.4f} keeps {stay[r] * d[r, i]:.1f} in place)",
            "use a demand_scale nearer 1 or a projection that falls no faster than the exit rates in phases.csv",
        )


def build_inputs(applied: AppliedScenario, relax: tuple[str, ...] = ()) -> ModelInputs:
    """Resolve a data folder with a scenario applied into model inputs. Raises ScenarioError for an override that
    does not fit the data. `relax` drops the rules named (reach, suitability, continuity): for tests that show
    what each rule does."""
    data, scen = applied.data, applied.scenario
    base, years, horizon = data.base_year, applied.years, applied.horizon_end
    all_years = [base, *years]
    phases = data.phases.set_index("phase")
    placed = data.placed_phases

    settings = settings_table(data)
    km, minutes = journeys(data, settings)
    unit_costs = money.unit_costs_by_year(data, all_years)
    share = specialist_share(data)
    shares = specialist_shares(data)  # the base year's share, or its observed trend (specialist_shares.csv)
    demand_c = county_demand(data, scen.demand_projection, shares=shares)
    if "continuity" not in relax:
        check_demand_against_stay(demand_c, phases, scen)

    # base-year pupils and the arcs of every (need group, phase)
    groups = data.need_groups["need_group"].tolist()
    suitable = arc_rules.designated(settings, groups, phases, placed, relax)
    counts = base_year.specialist_counts(data)
    by_gp = base_year.pupils_by_need_phase(data, settings, suitable, counts)
    gravity = np.exp(-km / float(data.parameters["base_allocation_decay_km"]))
    zones = data.zones.reset_index(drop=True)
    top_up0 = unit_costs.xs(base, level="year")["top_up"].reindex(settings["setting_type"]).to_numpy()
    can_open = available(settings, data, horizon)
    collect = arc_rules.ArcCollector(zones, settings.index.to_numpy())
    x0_all = np.zeros_like(km)
    for g, p in suitable:
        total = (
            float(counts.xs((g, p), level=("need_group", "phase")).sum())
            if (g, p) in {(a, b) for _t, a, b in counts.index}
            else 0.0
        )
        w = zone_weights(data, g).reindex(zones["zone_id"]).to_numpy()
        x0 = base_year.home_zone_pupils(total, w, by_gp[(g, p)], gravity)
        x0_all += x0
        reach = arc_rules.Reach(float(phases.loc[p, "max_journey_km"]), phases.loc[p, "max_journey_minutes"])
        allowed = arc_rules.allowed_arcs(km, minutes, suitable[(g, p)] & can_open, settings, top_up0, reach, scen,
                                         relax)  # fmt: skip
        stay = float(phases.loc[p, "stay_rate"])
        collect.add(g, p, stay, share.get((g, p), 0.0) > 0, allowed, km, x0)
    s_types = np.broadcast_to(settings["setting_type"].to_numpy()[None, :], km.shape)
    transport = transport_costs(data, x0_all.ravel(), km.ravel(), s_types.ravel(), all_years)
    found = collect.result(transport, settings["setting_type"])
    cohorts = found.cohorts
    stay_c = cohorts["stay_rate"]
    leg0 = found.legacy
    legacy = pd.concat(
        [leg0.assign(year=t, pupils=leg0["base_pupils"] * leg0["cohort"].map(stay_c) ** (t - base)) for t in years],
        ignore_index=True,
    )
    demand = _zone_demand(cohorts, demand_c, all_years, data, legacy)

    income, non_specialist = money.income_by_year(data, all_years), money.non_specialist_pupils(data, shares, all_years)
    other, other_prices = money.other_spending(data, non_specialist, applied.transfer_cut, all_years)
    base_transport = float((x0_all * transport.per_pupil(km, s_types)).sum())
    budget0 = money.base_year_budget(data, settings, unit_costs, income, other, base_transport, float(x0_all.sum()))
    opening = float(data.parameters["opening_deficit"])
    levers = lever_inputs(data, scen, years, *_county_demand_and_entrants(demand, cohorts, all_years), income, other,
                          non_specialist)  # fmt: skip
    return ModelInputs(
        base_year=base,
        target_year=applied.target_year,
        years=years,
        target_years=applied.target_years,
        scenario=scen,
        cohorts=cohorts,
        demand=demand,
        settings=settings,
        capacity=places_by_year(settings, data.commitments, years),
        arcs=found.arcs,
        legacy=legacy,
        projects=projects_table(data, scen, years, horizon),
        forced_options=list(scen.force_options),
        unit_costs=unit_costs,
        transport=transport,
        income=income,
        other_lines=other,
        other_prices=other_prices,
        capital_budget=money.capital_by_year(data, years),
        discount=money.discount_factors(data, all_years),
        capital_charge_rate=float(data.parameters["capital_charge_rate"]),
        deficit_after_base=opening - budget0["in_year_balance"],
        opening_deficit=opening,
        phase_ages={p: (int(phases.loc[p, "min_age"]), int(phases.loc[p, "max_age"])) for p in placed},
        base_budget=budget0,
        non_specialist=non_specialist,
        deficit_contributions=money.deficit_contributions_by_year(data, all_years),
        placement_shares=data.placement_shares[["setting_type", "need_group", "max_share"]],
        occupancy_margin=float(data.parameters.get("occupancy_margin", 1.0)),
        balance_test=scen.balance_test,
        published_forecasts=data.published_forecasts,
        unserved=_unserved(found.cohorts, found.arcs, settings, demand, applied.target_year),
        options_meta=data.options.set_index("option_id"),
        commitments=data.commitments,
        levers=levers,
    )


def _county_demand_and_entrants(
    demand: pd.DataFrame, cohorts: pd.DataFrame, years: list[int]
) -> tuple[pd.Series, pd.Series]:
    """Year -> the county's specialist pupils in the phases the model places, and its new specialist entrants
    N = sum_c max(0, D[c,t] - r_p D[c,t-1])."""
    d = demand.pivot(index="cohort", columns="year", values="demand").reindex(columns=years).fillna(0.0)
    stay = cohorts["stay_rate"].reindex(d.index).to_numpy(dtype=float)[:, None]
    v = d.to_numpy(dtype=float)
    new = np.maximum(0.0, v[:, 1:] - stay * v[:, :-1])
    return pd.Series(v.sum(axis=0), index=years), pd.Series(new.sum(axis=0), index=years[1:])


def _unserved(cohorts: pd.DataFrame, arcs: pd.DataFrame, settings: pd.DataFrame, demand: pd.DataFrame,
              target: int) -> pd.DataFrame:  # fmt: skip
    """Need groups and phases with demand in the target year that no state setting in the county (existing,
    committed or an option) can take: their children can only go to independent or out-of-county places."""
    state = settings.index[settings["setting_type"].isin(STATE_TYPES) & ~settings["out_of_county"].astype(bool)]
    served = set(arcs.loc[arcs["setting_id"].isin(state), "cohort"])
    d = demand[demand["year"] == target].set_index("cohort")["demand"]
    c = cohorts.assign(demand=d.reindex(cohorts.index).fillna(0.0), served=cohorts.index.isin(served))
    g = c.groupby(["need_group", "phase"]).agg(demand=("demand", "sum"), served=("served", "any")).reset_index()
    return g[(g["demand"] > 1e-6) & ~g["served"]][["need_group", "phase", "demand"]].reset_index(drop=True)


def _zone_demand(
    cohorts: pd.DataFrame, demand_c: pd.DataFrame, years: list[int], data: PlanningData, legacy: pd.DataFrame
) -> pd.DataFrame:
    """Demand of every cohort each year (its zone's share of the county's), and its pupils on legacy pairs."""
    dem = demand_c[demand_c["year"].isin(years)]
    cz = cohorts.reset_index().merge(dem, on=["need_group", "phase"])
    weights = {g: zone_weights(data, g) for g in cz["need_group"].unique()}
    cz["demand"] = cz["demand"] * [weights[g][z] for g, z in zip(cz["need_group"], cz["zone_id"], strict=True)]
    demand = cz[["cohort", "year", "demand"]].copy()
    leg_sum = legacy.groupby(["cohort", "year"])["pupils"].sum()
    demand["legacy"] = pd.MultiIndex.from_frame(demand[["cohort", "year"]]).map(leg_sum.to_dict()).fillna(0.0)
    demand["legacy"] = demand["legacy"].astype(float)
    return demand
