"""Part of the suitability check: placement shares (placement_shares.csv). Of each cohort's (zone, need group, phase)
new entrants in a year, at most max_share go to settings of a type. A setting's new entrants are its pupils beyond
those staying, x[t] - stay_rate x x[t-1] on the same zone, need, phase and setting (legacy placements take none);
the cohort's are its demand beyond those staying, D[t] - stay_rate x D[t-1] (none if negative).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.check.context import RunUnderCheck
from planner.check.result import CheckResult, pupils_tol

COHORT = ["zone_id", "need_group", "phase"]


def _by_year(run: RunUnderCheck, rows: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    """rows' value by keys (rows) and the run's years (columns), 0 where absent."""
    wide = rows.pivot_table(index=keys, columns="year", values=value, aggfunc="sum", fill_value=0.0)
    return wide.reindex(columns=run.years, fill_value=0.0).astype(float)


def _entrants(run: RunUnderCheck, wide: pd.DataFrame) -> pd.DataFrame:
    """Pupils of each row (index with a phase level, columns the run's years) beyond those staying from last year,
    in the planning years."""
    stay = wide.index.get_level_values("phase").map(run.stay).to_numpy(dtype=float)
    x = wide.to_numpy()
    return pd.DataFrame(x[:, 1:] - stay[:, None] * x[:, :-1], index=wide.index, columns=run.plan_years)


def check_shares(run: RunUnderCheck, res: CheckResult) -> None:
    shares = run.data.placement_shares
    if shares.empty:
        return
    limit = {(str(r.setting_type), str(r.need_group)): float(r.max_share) for r in shares.itertuples()}
    pl = run.tables["placements"]
    pl = pl[~pl["legacy"].astype(bool)].assign(kind=pl["setting_id"].map(run.settings["setting_type"]))
    by_setting = _entrants(run, _by_year(run, pl, [*COHORT, "setting_id", "kind"], "pupils"))
    by_kind = by_setting.groupby(level=[*COHORT, "kind"]).sum()
    cohort_new = _entrants(run, _by_year(run, run.demand, COHORT, "demand")).clip(lower=0.0)
    keys = by_kind.index.to_frame(index=False)
    share = np.array([limit.get((k, g), np.nan) for k, g in zip(keys["kind"], keys["need_group"], strict=True)])
    has = ~np.isnan(share)
    if not has.any():
        return
    keys, share = keys[has].reset_index(drop=True), share[has]
    taken = by_kind.to_numpy()[has]
    new = cohort_new.reindex(pd.MultiIndex.from_frame(keys[COHORT])).fillna(0.0).to_numpy()
    cap = share[:, None] * new
    over = np.maximum(0.0, (taken - cap) / pupils_tol(new)).ravel()
    n_years = len(run.plan_years)

    def describe(i: int) -> str:
        k, j = divmod(i, n_years)
        z = keys.iloc[k]
        return (
            f"year {run.plan_years[j]}, zone {z.zone_id}, {z.need_group} {z.phase}: {taken[k, j]:.4f} of the cohort's "
            f"{new[k, j]:.4f} new entrants go to {z.kind} settings, over the placement share {share[k]:g} "
            f"({cap[k, j]:.4f})"
        )

    res.add(over, describe)
