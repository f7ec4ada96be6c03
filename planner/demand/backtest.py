"""The back-test: fit on the Januaries up to 2022 (flows to 2021), project 2023-2025 from January 2022 by age
band, and compare with the published caseload: the central projection's error and whether each published figure
lies inside the 80% band (10% to 90% quantile of the futures)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.demand.fit import Fit, fit
from planner.demand.futures import central_path, simulate
from planner.demand.sources import BAND_IDS, Sources

FIT_TO = 2022


def backtest(src: Sources, futures: int, seed: int, fit_to: int = FIT_TO) -> tuple[Fit, pd.DataFrame]:
    """The fit and a table: year, band ('total' for all plans), published, central (median of the futures), low
    and high (10% and 90%), the fitted-rates path, error and error_pct of the central, and inside (the band)."""
    f = fit(src, fit_to)
    start = src.caseload.loc[fit_to].to_numpy()[:, None]
    years = [t for t in src.caseload_total.index if t > fit_to]
    sims = simulate(f, start, years, futures, seed)
    by_band = sims.stocks[..., 0]  # (F, years, K)
    cells = np.concatenate([by_band, by_band.sum(axis=2, keepdims=True)], axis=2)
    q = sims.quantiles(cells)
    det = central_path(f, start, years)[..., 0]
    det = np.concatenate([det, det.sum(axis=1, keepdims=True)], axis=1)
    rows = []
    for i, t in enumerate(years):
        for k, band in enumerate([*BAND_IDS, "total"]):
            published = _published(src, t, band)
            if published is None:
                continue
            rows.append((t, band, published, q["central"][i, k], q["low"][i, k], q["high"][i, k], det[i, k]))
    out = pd.DataFrame(rows, columns=["year", "band", "published", "central", "low", "high", "fitted_rates"])
    out["error"] = out["central"] - out["published"]
    out["error_pct"] = 100 * out["error"] / out["published"]
    out["inside"] = (out["low"] <= out["published"]) & (out["published"] <= out["high"])
    return f, out


def _published(src: Sources, year: int, band: str) -> float | None:
    """The published January caseload of a band (or the total); None where it is not published."""
    if band == "total":
        return float(src.caseload_total[year])
    value = src.caseload.loc[year, band] if year in src.caseload.index else np.nan
    return None if pd.isna(value) else float(value)


def describe(table: pd.DataFrame) -> str:
    """The back-test table as plain text."""
    lines = [
        f"Back-test: fitted on Januaries up to {FIT_TO}, projected from January {FIT_TO}",
        "  year  band      published  central   error    80% band          inside",
    ]
    for r in table.itertuples(index=False):
        lines.append(
            f"  {r.year}  {r.band:<8}{r.published:10,.0f}{r.central:9,.0f}{r.error_pct:+8.1f}%  "
            f"{r.low:7,.0f} - {r.high:<7,.0f}  {'yes' if r.inside else 'no'}"
        )
    return "\n".join(lines)
