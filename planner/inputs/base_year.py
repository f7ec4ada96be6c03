"""The base year's pupils by home zone and setting, estimated from county counts (docs/model.md section 5).

SEN2 gives placements by type, need and age, not by school or home, so two fits estimate them:
1. settings x (need, phase): each placement type's county counts spread over its settings by iterative
   proportional fitting to the settings' base pupils, from a seed of 1 where the setting is designated for the
   need and phase and SEED_UNSUITABLE where it is not;
2. home zones x settings, for each (need, phase): a doubly constrained gravity model (Furness balancing) with
   weight exp(-km / base_allocation_decay_km), so each zone's total is its base-year demand and each setting's
   total its pupils from step 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.data import PlanningData

SEED_UNSUITABLE = 0.05  # weight of a base-year pupil in a setting not designated for their need or phase
FURNESS_ITERATIONS = 500

NeedPhase = tuple[str, str]


def furness_fit(
    seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, iterations: int = FURNESS_ITERATIONS
) -> np.ndarray:
    """Scale a non-negative matrix to the given row and column sums (Furness / iterative proportional fitting)."""
    t = seed.astype(float).copy()
    for _ in range(iterations):
        rs = t.sum(axis=1)
        t *= np.divide(rows, rs, out=np.zeros_like(rows, dtype=float), where=rs > 0)[:, None]
        cs = t.sum(axis=0)
        t *= np.divide(cols, cs, out=np.zeros_like(cols, dtype=float), where=cs > 0)[None, :]
        if np.allclose(t.sum(axis=1), rows, rtol=1e-9, atol=1e-9):
            break
    return t


def specialist_counts(data: PlanningData) -> pd.Series:
    """Base-year pupils by (placement type, need group, phase) in specialist placements of the placed phases."""
    bp = data.base_placements
    keep = bp["placement_type"].isin(data.specialist_types) & bp["phase"].isin(data.placed_phases)
    return bp[keep].groupby(["placement_type", "need_group", "phase"])["pupils"].sum()


def pupils_by_need_phase(
    data: PlanningData, settings: pd.DataFrame, designated: dict[NeedPhase, np.ndarray], counts: pd.Series
) -> dict[NeedPhase, np.ndarray]:
    """Step 1: each setting's base-year pupils of each (need, phase), by placement type."""
    s_types = settings["setting_type"].to_numpy()
    base_pupils = settings["base_pupils"].to_numpy(dtype=float)
    gp_list = list(designated)
    out: dict[NeedPhase, np.ndarray] = {k: np.zeros(len(settings)) for k in gp_list}
    for st in data.specialist_types:
        rows_idx = np.flatnonzero((s_types == st) & (base_pupils > 0))
        if len(rows_idx) == 0:
            continue
        col_tot = np.array([counts.get((st, g, p), 0.0) for g, p in gp_list])
        row_tot = base_pupils[rows_idx]
        row_tot = row_tot * col_tot.sum() / row_tot.sum()
        seed = np.array([[1.0 if designated[gp][i] else SEED_UNSUITABLE for gp in gp_list] for i in rows_idx])
        fit = furness_fit(seed, row_tot, col_tot)
        for j, gp in enumerate(gp_list):
            out[gp][rows_idx] += fit[:, j]
    return out


def home_zone_pupils(
    demand: float, zone_share: np.ndarray, setting_pupils: np.ndarray, gravity: np.ndarray
) -> np.ndarray:
    """Step 2 for one (need, phase): base-year pupils by home zone x setting (zones x settings)."""
    if demand <= 0:
        return np.zeros_like(gravity)
    return furness_fit(gravity * (setting_pupils > 0)[None, :], demand * zone_share, setting_pupils)
