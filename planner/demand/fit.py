"""Fit the transition model to the SEN2 series: the structure by age band and need group, and the county's two
rates (new plans per plan on the caseload, and the net leaving rate) with their year-to-year variation.

Each rate is a local-level model on the log scale, log x(t) = L(t) + e(t), L(t) = L(t-1) + w(t): a persistent
part (a random walk, sd of w) and a transient part (sd of e). The two variances come from the moments of the
yearly changes (variance = var w + 2 var e; lag-one autocovariance = -var e), and the current level from the
Kalman filter through the whole series; the level has no drift.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from planner.demand.sources import BAND_IDS, BANDS, Sources, band_of, group_needs, need_columns
from planner.demand.transition import Structure

REFORM_YEAR = 2016  # first calendar year of flows after the 2014 reform (plans to age 25) had taken hold
MAX_BAND_LEAVE = 0.9


@dataclass(frozen=True)
class LocalLevel:
    """A rate's local-level model on the log scale."""

    level: float  # filtered log level in the last year of the series
    level_sd: float  # its standard error
    sd_walk: float  # sd of the yearly persistent change (random walk)
    sd_noise: float  # sd of the yearly transient deviation
    low: float  # the lowest and highest rate of the series: drawn rates are kept within them
    high: float

    @property
    def rate(self) -> float:
        return float(np.exp(self.level))


@dataclass(frozen=True)
class Fit:
    """A fitted model: its structure, the two rates and the yearly series they were fitted to."""

    last_january: int
    structure: Structure
    new_rate: LocalLevel
    leave_rate: LocalLevel
    series: pd.DataFrame  # year, caseload, new_plans, next_caseload, new_rate, leave_rate
    groups: list[str]  # need groups (one group 'all' when fitted without them)
    trend: tuple[float, float]  # slope of log new-plan rate since REFORM_YEAR, and its standard error


def local_level(x: np.ndarray) -> LocalLevel:
    """Moments and Kalman filter of a local-level model on a series x (log rates, yearly), and its range."""
    d = np.diff(x)
    v = float(d.var(ddof=1))
    dc = d - d.mean()
    c = float(np.mean(dc[1:] * dc[:-1]))
    var_e = min(max(-c, 0.0), v / 2)
    var_w = v - 2 * var_e
    level, p = float(x[0]), var_e
    for xt in x[1:]:
        p += var_w
        gain = p / (p + var_e) if p + var_e > 0 else 1.0
        level += gain * (float(xt) - level)
        p *= 1 - gain
    lo, hi = float(np.exp(x.min())), float(np.exp(x.max()))
    return LocalLevel(level, float(np.sqrt(p)), float(np.sqrt(var_w)), float(np.sqrt(var_e)), lo, hi)


def county_series(src: Sources, last_january: int) -> pd.DataFrame:
    """The county's yearly flows up to January `last_january`: new-plan rate = new plans / January caseload; net
    leaving rate = (caseload + new plans - next January's caseload) / caseload (ceased plans net of transfers in)."""
    c, n = src.caseload_total, src.new_total
    rows = [(t, c[t], n[t], c[t + 1]) for t in c.index if t + 1 <= last_january and t + 1 in c.index and t in n.index]
    s = pd.DataFrame(rows, columns=["year", "caseload", "new_plans", "next_caseload"])
    s["new_rate"] = s["new_plans"] / s["caseload"]
    s["leave_rate"] = (s["caseload"] + s["new_plans"] - s["next_caseload"]) / s["caseload"]
    return s


def ageing_shares(src: Sources) -> np.ndarray:
    """Share of each band at its oldest age (mean of the single-age Januaries): the share that moves up a band in a
    year. Plans in the top band cease by 25, so none age out of it (their ending is leaving)."""
    out = np.zeros(len(BANDS))
    for i, (_b, _lab, lo, hi) in enumerate(BANDS[:-1]):
        ages = [a for a in src.single_age.columns if lo <= a <= hi]
        out[i] = float((src.single_age[hi] / src.single_age[ages].sum(axis=1)).mean())
    return out


def new_age_mix(src: Sources, years: list[int]) -> np.ndarray:
    """Share of new plans in each band (age when the plan started), pooled over `years`."""
    n = src.new_plans.loc[years].sum().to_numpy()
    return n / n.sum()


def band_leaving(src: Sources, ageing: np.ndarray, first: int, last: int) -> np.ndarray:
    """Leaving rate of each band, constant over the Januaries `first`..`last` with every band known: least squares
    on each step (or two-year step, where a January has a total only) from the observed bands with the observed
    new plans by band, residuals scaled by the square root of the band (a Poisson-like weight)."""
    known = [t for t in src.band_years(last) if t >= first]
    pairs = list(zip(known[:-1], known[1:], strict=True))

    def residuals(kappa: np.ndarray) -> np.ndarray:
        out = []
        for t0, t1 in pairs:
            s = src.caseload.loc[t0].to_numpy()
            for t in range(t0, t1):
                s = _step_fixed(ageing, s, kappa, src.new_plans.loc[t].to_numpy())
            obs = src.caseload.loc[t1].to_numpy()
            out.append((s - obs) / np.sqrt(np.maximum(obs, 50.0)))
        return np.concatenate(out)

    sol = least_squares(residuals, np.full(len(BANDS), 0.05), bounds=(0.0, MAX_BAND_LEAVE))
    return sol.x if sol.x.sum() > 0 else np.ones(len(BANDS))


def _step_fixed(ageing: np.ndarray, stock: np.ndarray, kappa: np.ndarray, new: np.ndarray) -> np.ndarray:
    """One year of the bands (K,) with given band leaving rates and the year's observed new plans by band."""
    survivors = stock * (1 - kappa)
    up = survivors * ageing
    nxt = survivors - up
    nxt[1:] += up[:-1]
    return nxt + new


def stock_by_band(src: Sources, groups: dict[str, list[str]]) -> np.ndarray:
    """January stock of the need table (last January) by band and need group (K, J)."""
    g = group_needs(src.need_stock, groups)
    return g.groupby(g.index.map(band_of)).sum().reindex(range(len(BANDS))).fillna(0.0).to_numpy()


def trend_test(years: np.ndarray, log_rate: np.ndarray) -> tuple[float, float]:
    """Least-squares slope of a log rate on the year, and its standard error."""
    x = years - years.mean()
    slope = float((x * (log_rate - log_rate.mean())).sum() / (x**2).sum())
    resid = log_rate - log_rate.mean() - slope * x
    se = float(np.sqrt(resid.var(ddof=2) / (x**2).sum())) if len(x) > 2 else float("nan")
    return slope, se


def fit(src: Sources, last_january: int | None = None, need_groups: pd.DataFrame | None = None) -> Fit:
    """Fit on the Januaries up to `last_january` (default: the last) and the flows between them. Without
    need_groups the model has one group, 'all'."""
    last = last_january or src.last_january
    series = county_series(src, last)
    ageing = ageing_shares(src)
    years = [t for t in series["year"] if t >= REFORM_YEAR]
    kappa = band_leaving(src, ageing, REFORM_YEAR, last)
    start = src.caseload.loc[last].to_numpy()
    shape = kappa * start.sum() / float(kappa @ start)  # averages 1 over the last January's bands
    if need_groups is None:
        groups, shares = ["all"], np.ones((len(BANDS), 1))
    else:
        cols = need_columns(need_groups, list(src.need_stock.columns))
        stock = stock_by_band(src, cols)
        groups, shares = list(cols), stock / np.maximum(stock.sum(axis=1, keepdims=True), 1e-12)
    structure = Structure(ageing, shape, new_age_mix(src, years), shares, need_shares=shares)
    post = series[series["year"] >= REFORM_YEAR]
    trend = trend_test(post["year"].to_numpy(float), np.log(post["new_rate"].to_numpy()))
    return Fit(
        last_january=last,
        structure=structure,
        new_rate=local_level(np.log(series["new_rate"].to_numpy())),
        leave_rate=local_level(np.log(series["leave_rate"].to_numpy())),
        series=series,
        groups=groups,
        trend=trend,
    )


def describe(f: Fit, src: Sources | None = None) -> str:
    """The fitted rates and their variation, as plain text; with the sources, the ceased plans SEN2 publishes for
    the last calendar year of them, by January band, beside the fitted leaving."""
    s = f.structure
    lines = [
        f"Fitted on Januaries {int(f.series['year'].min())}-{f.last_january} "
        f"(flows {int(f.series['year'].min())}-{int(f.series['year'].max())})",
        "  rate              level   (se)     walk sd  noise sd   (log scale, per year)",
    ]
    for name, r in (("new-plan rate", f.new_rate), ("net leaving rate", f.leave_rate)):
        lines.append(
            f"  {name:<17}{r.rate:7.2%}  ({r.level_sd:.3f})  {r.sd_walk:7.3f}  {r.sd_noise:8.3f}"
            f"   range {r.low:.1%}-{r.high:.1%}"
        )
    lines.append(f"  trend of log new-plan rate since {REFORM_YEAR}: {f.trend[0]:+.3f} a year (se {f.trend[1]:.3f})")
    ceased = _ceased_rates(src, f.last_january)
    head = f"  ceased {ceased[0]}" if ceased else ""
    lines.append(f"  band        ageing  leaving  new-plan mix{head}   (leaving at the fitted county rate)")
    for i, b in enumerate(BAND_IDS):
        leave = min(s.leave_shape[i] * f.leave_rate.rate, 0.95)
        extra = f"{ceased[1][i]:12.3f}" if ceased else ""
        lines.append(f"  {b:<10}{s.ageing[i]:8.3f}{leave:9.3f}{s.new_age[i]:11.3f}{extra}")
    return "\n".join(lines)


def _ceased_rates(src: Sources | None, last_january: int) -> tuple[int, np.ndarray] | None:
    """Published ceased plans of the last year before `last_january` with ages, over the January band stock."""
    if src is None or src.ceased.empty:
        return None
    years = [
        int(y)
        for y in src.ceased["calendar_year"].unique()
        if y + 1 <= last_january and y in src.caseload.dropna().index
    ]
    if not years:
        return None
    y = max(years)
    c = src.ceased[src.ceased["calendar_year"] == y].set_index("band")["ceased"].reindex(range(len(BANDS))).fillna(0)
    return y, c.to_numpy() / src.caseload.loc[y].to_numpy()
