"""Futures of the fitted model: seeded Monte Carlo draws of the two rates' paths plus sampling noise, and the
low, central and high projections as the 10%, 50% and 90% quantiles of the futures.

In each future the current level of each log rate is drawn from its filtered estimate (its standard error), then
walks (the persistent part) and deviates each year (the transient part), within the lowest and highest rate of the
series; the year's leavers and new plans are then drawn around their expected numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.demand.fit import Fit, LocalLevel
from planner.demand.transition import project, step

QUANTILES = {"low": 0.1, "central": 0.5, "high": 0.9}


@dataclass(frozen=True)
class Futures:
    """Stocks of every future (F, years, K, J) after the start January, with the rates drawn."""

    years: list[int]
    stocks: np.ndarray
    new_rates: np.ndarray  # (F, years)
    leave_rates: np.ndarray  # (F, years)

    def quantiles(self, values: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Low, central and high: each cell's 10%, 50% and 90% quantile over the futures."""
        v = self.stocks if values is None else values
        return {name: np.quantile(v, q, axis=0) for name, q in QUANTILES.items()}


def rate_path(r: LocalLevel, years: int, rng: np.random.Generator) -> np.ndarray:
    """One drawn path of a rate over `years`: its level drawn around the estimate, a random walk, yearly noise; kept
    within the range the series has shown."""
    start = r.level + r.level_sd * rng.standard_normal()
    walk = np.cumsum(r.sd_walk * rng.standard_normal(years))
    return np.clip(np.exp(start + walk + r.sd_noise * rng.standard_normal(years)), r.low, r.high)


def central_path(f: Fit, stock: np.ndarray, years: list[int]) -> np.ndarray:
    """The projection at the fitted rates held at their current levels, without any noise (years, K, J)."""
    n = len(years)
    return project(f.structure, stock, np.full(n, f.new_rate.rate), np.full(n, f.leave_rate.rate))


def simulate(f: Fit, stock: np.ndarray, years: list[int], futures: int, seed: int) -> Futures:
    """`futures` seeded futures from the January stock (K, J) through `years` (the Januaries after it). Future i
    draws from its own stream (seed, i), so it is the same whatever the number of futures."""
    n = len(years)
    out = np.empty((futures, n, *stock.shape))
    new, leave = np.empty((futures, n)), np.empty((futures, n))
    for i in range(futures):
        rng = np.random.default_rng([seed, i])
        new[i], leave[i] = rate_path(f.new_rate, n, rng), rate_path(f.leave_rate, n, rng)
        s = stock
        for y in range(n):
            s = step(f.structure, s, float(new[i, y]), float(leave[i, y]), rng)
            out[i, y] = s
    return Futures(list(years), out, new, leave)
