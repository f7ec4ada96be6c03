"""Part of the budget check: what the spending lines the model does not place and home-to-school transport should
come to, worked out from the data and the scenario.

Spending lines. Each row of spending_lines.csv is one line: base_amount x (driver in year t / driver in the base
year) x growth, less transfer_counterpart x the cut the scenario makes in the schools-block transfer that year. The
drivers are children with plans outside the specialist placements the model makes: by placement type (base-year
shares of each need group and phase x the projection), specialist_not_placed (specialist pupils of the phases the
model does not place), not_placed (their sum) and fixed (1). Without the table: one line, other_high_needs_per_plan
x not_placed, grown at unit_cost_growth.

Transport. A pupil's yearly transport at base-year prices is its distance band's cost in transport_costs.csv (the
setting type's band, else the 'any' band holding the journey) x one scale factor, or without the table a rate per
road km; the factor (or rate) makes the base year's placements cost transport_cost_per_pupil on average. It grows
at transport_cost_growth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.check.context import RunUnderCheck, non_specialist_rescale

NO_TABLE_LINE = "other_high_needs"  # the one line without spending_lines.csv
GROWTH_RATES = {"unit_cost": "unit_cost_growth", "inflation": "inflation"}  # 'flat': none


def drivers(run: RunUnderCheck) -> pd.DataFrame:
    """Year x driver: the children with plans each driver counts, over the run's years."""
    data, plans = run.data, run.plans
    bp = data.base_placements
    total = bp.groupby(["need_group", "phase"])["pupils"].sum()
    by_type = bp.groupby(["placement_type", "need_group", "phase"])["pupils"].sum()
    key = pd.MultiIndex.from_frame(plans[["need_group", "phase"]])
    tot = total.reindex(key).fillna(0.0).to_numpy(dtype=float)
    n = plans["plans"].to_numpy(dtype=float)
    rescale = non_specialist_rescale(run.specialist_share, plans, run.base)
    out = {}
    types = data.placement_types
    for ptype in types.loc[~types["specialist"].astype(bool), "placement_type"]:
        mine = by_type.xs(ptype, level="placement_type") if ptype in by_type.index.get_level_values(0) else total * 0
        share = np.divide(mine.reindex(key).fillna(0.0).to_numpy(dtype=float), tot, out=np.zeros(len(n)), where=tot > 0)
        out[str(ptype)] = n * share * rescale
    spec = np.array([run.specialist_share.get((y, *k), 0.0) for y, k in zip(plans["year"], key, strict=True)])
    out["specialist_not_placed"] = np.where(plans["phase"].isin(run.placed), 0.0, n * spec)
    d = pd.DataFrame(out).groupby(plans["year"].to_numpy()).sum().reindex(run.years).fillna(0.0)
    d["not_placed"] = d.sum(axis=1)
    d["fixed"] = 1.0
    return d


def spending_lines(run: RunUnderCheck) -> pd.DataFrame:
    """Year x line: the high-needs spending the model does not place."""
    d, years, params = drivers(run), run.years, run.reading.parameters
    lines = run.data.spending_lines
    if lines.empty:
        grown = run.growth_by_year("unit_cost_growth")
        return pd.DataFrame({NO_TABLE_LINE: float(params["other_high_needs_per_plan"]) * grown * d["not_placed"]})
    cut = run.reading.transfer_cut.reindex(years).fillna(0.0)
    out = {}
    for r in lines.itertuples():
        driver = d[r.driver] if r.driver in d.columns else pd.Series(0.0, index=years)
        base = float(driver[run.base])
        change = driver / base if base > 0 else driver * 0.0
        rate = GROWTH_RATES.get(str(r.growth))
        grown = run.growth_by_year(rate) if rate else pd.Series(1.0, index=years)
        out[str(r.line)] = float(r.base_amount) * change * grown - float(r.transfer_counterpart) * cut
    return pd.DataFrame(out, index=years)


@dataclass
class Transport:
    """The transport line as the data give it: by year, with what it was worked out from."""

    expected: pd.Series  # year -> GBP
    pupil_km: pd.Series  # year -> pupil-km
    scale: float  # GBP per pupil-km (no bands) or the factor on the bands
    banded: bool


def band_cost(bands: pd.DataFrame, km: np.ndarray, setting_type: np.ndarray) -> np.ndarray:
    """GBP a year of each journey by its band: the band [from_km, to_km) of its setting type holding km, else the
    'any' band holding it; 0 where none does."""

    def lookup(rows: pd.DataFrame) -> np.ndarray:
        cost = np.full(len(km), np.nan)
        for lo, hi, c in zip(rows["from_km"], rows["to_km"], rows["cost_per_pupil"], strict=True):
            top = np.inf if pd.isna(hi) else float(hi)
            cost = np.where((km >= float(lo)) & (km < top), float(c), cost)
        return cost

    out = lookup(bands[bands["setting_type"] == "any"])
    for kind in set(bands["setting_type"]) - {"any"}:
        own = lookup(bands[bands["setting_type"] == kind])
        out = np.where((setting_type == kind) & ~np.isnan(own), own, out)
    return np.nan_to_num(out, nan=0.0)


def transport(run: RunUnderCheck) -> Transport:
    """The transport line of every year, calibrated on the base year's placements (legacy included). Journeys are
    placements' own (the suitability check holds them to the data)."""
    pl = run.tables["placements"]
    km = pl["journey_km"].to_numpy(dtype=float)
    bands = run.data.transport_costs
    types = pl["setting_id"].map(run.settings["setting_type"]).fillna(pl["setting_type"]).to_numpy()
    raw = band_cost(bands, km, types) if len(bands) else km
    pupils = pl["pupils"].to_numpy(dtype=float)
    base = (pl["year"] == run.base).to_numpy()
    target = float(run.reading.parameters["transport_cost_per_pupil"]) * pupils[base].sum()
    base_cost = float((pupils[base] * raw[base]).sum())
    scale = target / base_cost if base_cost > 0 else 0.0
    by_year = pd.Series(pupils * raw * scale).groupby(pl["year"].to_numpy()).sum().reindex(run.years).fillna(0.0)
    pkm = pd.Series(pupils * km).groupby(pl["year"].to_numpy()).sum().reindex(run.years).fillna(0.0)
    return Transport(by_year * run.growth_by_year("transport_cost_growth"), pkm, scale, bool(len(bands)))
