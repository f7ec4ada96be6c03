"""The specialist share: the share of plans in a specialist placement (state special, independent or non-maintained
special, resource base or SEN unit, alternative provision) by year, need group and phase.

The base year's share is base_placements.csv's (observed). Later years follow the observed trend on the log-odds
scale: logit share(y) = logit share(base year) + slope x (y - base year), one slope for every need group and phase.
The slope is the least-squares trend of the county's specialist share of plans in schools (specialist placements /
(specialist + mainstream)), January 2019-2025: the one series of placements by type over several years in a
single release. SEN2 has placements by need for January 2025 only and by age for 2024 and 2025 (with SEN units
under-recorded in 2024), so the trend cannot be told apart by need, and by phase only from a single year's change.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CASELOAD = "send_stats/ehcp2025_caseload_norfolk_england.csv"
FIRST_JANUARY = 2019
SOURCE = (
    "base year: base_placements.csv; later years: logit trend {slope:+.4f} a year (se {se:.4f}) of the specialist "
    "share of plans in schools, SEN2 January {first}-{last} (ehcp2025_caseload, all plans: special, AP, SEN units "
    "and resourced provision / those + mainstream), held by need group and phase"
)


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


def school_series(sources: str | Path) -> pd.DataFrame:
    """January, specialist placements, plans in schools and the specialist share, from the SEN2 caseload file."""
    d = pd.read_csv(Path(sources) / CASELOAD)
    d = d[(d["la_name"] == "Norfolk") & (d["breakdown_topic"] == "All EHC plans")].copy()
    num = d.apply(lambda c: pd.to_numeric(c, errors="coerce")).fillna(0.0)
    units = [c for c in d.columns if c.startswith("mainstream") and c.endswith(("senunit", "resourced_provision"))]
    out = pd.DataFrame({"january": (num["time_period"] % 100 + 2000).astype(int)})
    out["specialist"] = num["special_total"] + num["ap_pru_total"] + num[units].sum(axis=1)
    out["in_schools"] = num["special_total"] + num["ap_pru_total"] + num["mainstream_total"]
    out["share"] = out["specialist"] / out["in_schools"]
    return out[out["january"] >= FIRST_JANUARY].sort_values("january").reset_index(drop=True)


def share_trend(series: pd.DataFrame) -> tuple[float, float]:
    """Least-squares slope of the log-odds share on the year, and its standard error."""
    x = series["january"].to_numpy(float)
    y = _logit(series["share"].to_numpy(float))
    x = x - x.mean()
    slope = float((x * (y - y.mean())).sum() / (x**2).sum())
    resid = y - y.mean() - slope * x
    return slope, float(np.sqrt(resid.var(ddof=2) / (x**2).sum()))


def base_shares(base_placements: pd.DataFrame, specialist_types: list[str]) -> pd.Series:
    """The base year's specialist share by (need_group, phase), as the planner computes it from base placements."""
    total = base_placements.groupby(["need_group", "phase"])["pupils"].sum()
    spec = base_placements[base_placements["placement_type"].isin(specialist_types)]
    spec = spec.groupby(["need_group", "phase"])["pupils"].sum()
    return (spec.reindex(total.index).fillna(0.0) / total.where(total > 0)).fillna(0.0)


def specialist_shares(
    base: pd.Series, slope: float, se: float, base_year: int, last_year: int, first: int, last_obs: int
) -> pd.DataFrame:
    """specialist_shares.csv: year, need_group, phase, share, basis, source, base year to last year."""
    rows = []
    for (g, p), s0 in base.items():
        for y in range(base_year, last_year + 1):
            if y == base_year or s0 <= 0 or s0 >= 1:
                share = float(s0)
            else:
                share = float(1 / (1 + np.exp(-(_logit(np.array(s0)) + slope * (y - base_year)))))
            rows.append((y, g, p, round(share, 6)))
    out = pd.DataFrame(rows, columns=["year", "need_group", "phase", "share"])
    out["basis"] = "derived"
    out["source"] = SOURCE.format(slope=slope, se=se, first=first, last=last_obs)
    return out.sort_values(["year", "phase", "need_group"]).reset_index(drop=True)


def shares_table(
    sources: str | Path, base_placements: pd.DataFrame, specialist_types: list[str], base_year: int, last_year: int
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[float, float]]:
    """specialist_shares.csv, the county series it is fitted to, and the trend (slope, standard error)."""
    series = school_series(sources)
    slope, se = share_trend(series)
    base = base_shares(base_placements, specialist_types)
    first, last_obs = int(series["january"].min()), int(series["january"].max())
    return specialist_shares(base, slope, se, base_year, last_year, first, last_obs), series, (slope, se)
