"""Fit, simulate and tabulate: what `python -m planner.demand` and the data build both call, so the shipped files
and the command agree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planner.demand.fit import Fit, fit, stock_by_band
from planner.demand.futures import Futures, central_path, simulate
from planner.demand.shares import shares_table
from planner.demand.sources import need_columns, read_sources
from planner.demand.tables import phase_split, plan_tables

FUTURES = 100  # futures written to futures.csv
DRAWS = 1000  # futures drawn for the quantiles (the first FUTURES of them are those written)
SEED = 20250626
HORIZON = 2032


@dataclass
class Projection:
    """The fitted model, its futures and the two tables in the plans.csv format."""

    fit: Fit
    futures: Futures
    central_path: np.ndarray  # (years, K, J) at the fitted rates, no noise
    plans: pd.DataFrame  # low, central, high
    futures_table: pd.DataFrame  # future-001, ...


def project_demand(
    sources: str | Path,
    need_groups: pd.DataFrame,
    phases: pd.DataFrame,
    futures: int = FUTURES,
    seed: int = SEED,
    horizon: int = HORIZON,
    draws: int = DRAWS,
) -> Projection:
    """Fit on every January of the source tables and project to `horizon` by need group and phase: `draws`
    futures for the quantiles, of which the first `futures` are tabulated one by one."""
    src = read_sources(sources)
    f = fit(src, None, need_groups)
    base_year = src.last_january
    stock = stock_by_band(src, need_columns(need_groups, list(src.need_stock.columns)))
    if abs(stock.sum() - src.caseload_total[base_year]) > 0.5:
        raise ValueError(
            f"plans by need and age add to {stock.sum():,.0f}, not the January {base_year} caseload "
            f"{src.caseload_total[base_year]:,.0f}: the need table must be of the last January"
        )
    years = list(range(base_year + 1, horizon + 1))
    sims = simulate(f, stock, years, max(draws, futures), seed)
    split, phase_ids = phase_split(src, need_groups, phases)
    plans, fut = plan_tables(stock, sims, split, f.groups, phase_ids, base_year, seed, futures)
    return Projection(f, sims, central_path(f, stock, years), plans, fut)


def specialist_shares(
    sources: str | Path,
    base_placements: pd.DataFrame,
    placement_types: pd.DataFrame,
    base_year: int,
    last_year: int = HORIZON,
) -> pd.DataFrame:
    """specialist_shares.csv for the base placements of a data folder (see planner/demand/shares.py)."""
    types = placement_types.loc[placement_types["specialist"].astype(bool), "placement_type"].tolist()
    return shares_table(sources, base_placements, types, base_year, last_year)[0]


def totals(p: Projection) -> pd.DataFrame:
    """Plans by year: low, central and high (sums of the cells' quantiles), the median of the futures' totals and
    the fitted-rates path."""
    t = p.plans.pivot_table(index="year", columns="scenario", values="plans", aggfunc="sum")[["low", "central", "high"]]
    fut = p.futures_table.groupby(["scenario", "year"])["plans"].sum().unstack("scenario")
    t[f"median_of_{fut.shape[1]}_totals"] = fut.median(axis=1)
    path = pd.Series(p.central_path.sum(axis=(1, 2)), index=p.futures.years)
    t["fitted_rates"] = path.reindex(t.index).fillna(t["central"])
    return t
