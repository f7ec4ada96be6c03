"""The projection as tables in the plans.csv format (scenario, year, need_group, phase, plans, basis, source): the
observed base year, then low, central and high (quantiles of the futures) and each future."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.demand.futures import QUANTILES, Futures
from planner.demand.sources import Sources, band_of, group_needs, need_columns, phase_of_ages

COLUMNS = ["scenario", "year", "need_group", "phase", "plans", "basis", "source"]
BASE_SOURCE = "SEN2 January {year}: plans by single age and primary need (cohort/primary_need_by_age_2024_2025.csv)"
MODEL_SOURCE = (
    "demand model (python -m planner.demand, docs/data.md section 4): age-band transition fitted to SEN2 "
    "2010-{last}, need shares by age band held at January {last}; {what}"
)


def phase_split(src: Sources, need_groups: pd.DataFrame, phases: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """split[k, j, p]: the share of band k's plans of need group j in each phase, from the last January's plans by
    single age and need (a band and group with no plans takes the band's split over all needs)."""
    groups = need_columns(need_groups, list(src.need_stock.columns))
    by_age = group_needs(src.need_stock, groups)
    ages = by_age.index.to_numpy()
    ph = phase_of_ages(phases, ages)
    phase_ids = list(phases["phase"])
    k_of = np.array([band_of(int(a)) for a in ages])
    p_of = np.array([phase_ids.index(p) for p in ph])
    counts = np.zeros((k_of.max() + 1, by_age.shape[1], len(phase_ids)))
    for i in range(len(ages)):
        counts[k_of[i], :, p_of[i]] += by_age.iloc[i].to_numpy()
    tot = counts.sum(axis=2, keepdims=True)
    band = counts.sum(axis=1, keepdims=True)
    band = band / np.maximum(band.sum(axis=2, keepdims=True), 1e-12)
    return np.where(tot > 0, counts / np.maximum(tot, 1e-12), band), phase_ids


def frame(
    values: np.ndarray, years: list[int], groups: list[str], phases: list[str], scenario: str, source: str
) -> pd.DataFrame:
    """Rows of the plans.csv format from values (years, J, P)."""
    y, j, p = np.meshgrid(np.arange(len(years)), np.arange(len(groups)), np.arange(len(phases)), indexing="ij")
    return pd.DataFrame(
        {
            "scenario": scenario,
            "year": np.asarray(years)[y.ravel()],
            "need_group": np.asarray(groups)[j.ravel()],
            "phase": np.asarray(phases)[p.ravel()],
            "plans": np.round(values.reshape(-1), 3),
            "basis": "derived",
            "source": source,
        }
    )


def plan_tables(
    base: np.ndarray,
    futures: Futures,
    split: np.ndarray,
    groups: list[str],
    phases: list[str],
    base_year: int,
    seed: int,
    written: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """plans.csv (low, central, high: quantiles over all the futures) and futures.csv (the first `written`
    futures: future-001, ...): the base year observed, then the projection by need group and phase. `base` is the
    base January's stock by band and need group (K, J)."""
    by_phase = np.einsum("fykj,kjp->fyjp", futures.stocks, split)
    observed = np.einsum("kj,kjp->jp", base, split)[None]
    last = base_year
    quant = futures.quantiles(by_phase)
    base_rows = BASE_SOURCE.format(year=base_year)
    n, written = len(futures.stocks), min(written, len(futures.stocks))
    plans = []
    for name, q in QUANTILES.items():
        what = f"{name}: the {q:.0%} quantile of each cell over {n} seeded futures (seed {seed})"
        plans.append(frame(observed, [base_year], groups, phases, name, base_rows))
        plans.append(frame(quant[name], futures.years, groups, phases, name, MODEL_SOURCE.format(last=last, what=what)))
    fut = []
    width = max(3, len(str(written)))
    for i in range(written):
        name = f"future-{i + 1:0{width}d}"
        src = f"demand model, seed {seed}"
        fut.append(frame(np.concatenate([observed, by_phase[i]]), [base_year, *futures.years], groups, phases, name,
                         src))  # fmt: skip
    order = ["scenario", "year", "phase", "need_group"]
    return (
        pd.concat(plans, ignore_index=True).sort_values(order).reset_index(drop=True)[COLUMNS],
        pd.concat(fut, ignore_index=True).sort_values(order).reset_index(drop=True)[COLUMNS],
    )
