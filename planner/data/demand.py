"""Specialist demand by zone, need group, phase and year, derived from the county tables.

County demand for specialist places = children with plans (the projection) x the share of each need group and
phase in a specialist placement: the base year's share, or (with `shares=specialist_shares(data)`) the share of
each year from specialist_shares.csv. It is apportioned to zones by children aged 15 and under (Census 2021): an
estimate, since no public source gives plans by small area; a council with its own counts by zone and need group
gives them in zone_need_weights.csv. The demand futures (futures.csv, plans.csv's columns) are read on request.
"""

from __future__ import annotations

import pandas as pd

from planner.data import schema
from planner.data.errors import Findings
from planner.data.read import read_table
from planner.data.tables import PlanningData


def specialist_share(data: PlanningData) -> pd.Series:
    """Share of plans in a specialist placement in the base year, by (need_group, phase)."""
    bp = data.base_placements
    total = bp.groupby(["need_group", "phase"])["pupils"].sum()
    spec = bp[bp["placement_type"].isin(data.specialist_types)].groupby(["need_group", "phase"])["pupils"].sum()
    return (spec.reindex(total.index).fillna(0.0) / total.where(total > 0)).fillna(0.0).rename("specialist_share")


def specialist_shares(data: PlanningData) -> pd.Series:
    """Share of plans in a specialist placement by (year, need_group, phase), base year to last year:
    specialist_shares.csv where the folder has it (its base year is base_placements.csv's share, checked on
    loading), else the base-year share in every year."""
    base = specialist_share(data)
    years = range(data.base_year, data.last_year + 1)
    held = pd.concat({y: base for y in years}, names=["year", "need_group", "phase"])
    ss = data.specialist_shares
    if ss.empty:
        return held.rename("specialist_share")
    given = ss.set_index(["year", "need_group", "phase"])["share"].astype(float)
    return given.reindex(held.index).fillna(held).rename("specialist_share")


def read_futures(data: PlanningData) -> pd.DataFrame:
    """futures.csv of the data folder (plans.csv's columns; one scenario per future), checked as plans.csv is, or
    an empty table if the folder has none. Raises DataProblems naming the first problem."""
    from planner.data.validate.demand import check_futures

    findings = Findings()
    futures = read_table(data.folder, schema.FUTURES, findings)
    if futures is not None and len(futures) and not findings.has_problems():
        check_futures(data, futures, findings)
    findings.raise_first()
    return futures


def projection_plans(data: PlanningData, projection: str, futures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of one projection: a scenario of plans.csv, or a future of futures.csv (read if not given)."""
    plans = data.plans[data.plans["scenario"] == projection]
    if plans.empty and projection.startswith("future-"):
        futures = read_futures(data) if futures is None else futures
        plans = futures[futures["scenario"] == projection]
    if plans.empty:
        known = ", ".join(sorted(data.plans["scenario"].unique()))
        raise ValueError(f"plans.csv has no projection named '{projection}' (it has: {known}; futures.csv: future-…)")
    return plans


def county_demand(
    data: PlanningData, projection: str, scale: float = 1.0, shares: pd.Series | None = None
) -> pd.DataFrame:
    """Plans and specialist demand by year, need group and phase for one projection (placed phases only). The
    specialist share is the base year's, or by (year, need_group, phase) from `shares` (specialist_shares(data))."""
    plans = data.plans[(data.plans["scenario"] == projection) & data.plans["phase"].isin(data.placed_phases)]
    if plans.empty:
        known = ", ".join(sorted(data.plans["scenario"].unique()))
        raise ValueError(f"plans.csv has no projection named '{projection}' (it has: {known})")
    out = plans[["year", "need_group", "phase", "plans"]].copy()
    out.loc[out["year"] > data.base_year, "plans"] *= scale  # the base year is observed, not projected
    if shares is None:
        idx = pd.MultiIndex.from_frame(out[["need_group", "phase"]])
        share = specialist_share(data).reindex(idx)
    else:
        share = shares.reindex(pd.MultiIndex.from_frame(out[["year", "need_group", "phase"]]))
    out["demand"] = out["plans"].to_numpy() * share.fillna(0.0).to_numpy()
    return out.reset_index(drop=True)


def zone_weights(data: PlanningData, need_group: str | None = None) -> pd.Series:
    """Each zone's share of the county's demand of a need group: its weight in zone_need_weights.csv where the data
    give the group for this run's zones, else its share of the county's children aged 15 and under."""
    znw = data.zone_need_weights
    rows = znw[(znw["need_group"] == need_group) & znw["zone_id"].isin(data.zones["zone_id"])] if len(znw) else znw
    if need_group is not None and len(rows) and rows["weight"].astype(float).sum() > 0:
        w = rows.set_index("zone_id")["weight"].astype(float).reindex(data.zones["zone_id"]).fillna(0.0)
        return w / w.sum()
    kids = data.zones.set_index("zone_id")["children_0_15"]
    return kids / kids.sum()


def zone_demand(data: PlanningData, projection: str, scale: float = 1.0) -> pd.DataFrame:
    """Specialist demand by zone, need group, phase and year (pupils, fractional)."""
    county = county_demand(data, projection, scale)
    weights = pd.concat(
        [zone_weights(data, g).rename("weight").rename_axis("zone_id").reset_index().assign(need_group=g)
         for g in data.need_groups["need_group"]]
    )  # fmt: skip
    out = county.merge(weights, on="need_group")
    out["demand"] = out["demand"] * out["weight"]
    return out[["zone_id", "need_group", "phase", "year", "demand"]]
