"""The transition model: children with plans by age class and need group, from one January to the next.

    stock(t+1) = survivors of stock(t), each class keeping (1 - ageing) and passing `ageing` to the next class
                 (those passing out of the last class leave), + new plans

Survivors are stock x (1 - the class's leaving rate). The county's leaving rate is shared between classes by a
fixed shape: class k leaves at shape[k] x the county rate (the shape averages 1 over the start January's stock,
so the county rate is the county's leaving rate at that age structure). New plans in a year are `new_rate` x the
January caseload, split by a fixed age mix and, within each class, a fixed need mix. Either a plan keeps its need
group, or (with `need_shares`) each class's need mix is held at given shares: recorded needs change with age as
the caseload's do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_LEAVE = 0.95  # no class loses more than this share of its plans in a year


@dataclass(frozen=True)
class Structure:
    """What the model holds fixed: how plans age, where leaving falls, and the age and need mix of new plans."""

    ageing: np.ndarray  # (K,) share of a class's survivors moving up a class in a year (the last class: leaving)
    leave_shape: np.ndarray  # (K,) relative leaving rate of each class
    new_age: np.ndarray  # (K,) share of new plans joining each class (sums to 1)
    new_need: np.ndarray  # (K, J) share of a class's new plans in each need group (rows sum to 1)
    need_shares: np.ndarray | None = None  # (K, J) each class's need mix, held (None: plans keep their group)

    @property
    def classes(self) -> int:
        return len(self.ageing)


def leaving_rates(s: Structure, leave_rate: float) -> np.ndarray:
    """Each class's leaving rate (K,): its shape x the county rate, at most MAX_LEAVE."""
    return np.clip(s.leave_shape * leave_rate, 0.0, MAX_LEAVE)


def new_plans(s: Structure, stock: np.ndarray, new_rate: float) -> np.ndarray:
    """Expected new plans in the year by class and need group (K, J): new_rate x the January caseload."""
    return new_rate * float(stock.sum()) * s.new_age[:, None] * s.new_need


def step(
    s: Structure, stock: np.ndarray, new_rate: float, leave_rate: float, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Next January's stock (K, J). With `rng`, the year's leavers and new plans are drawn (sampling noise):
    leavers binomial (normal approximation, kept within the class), new plans Poisson."""
    rates = leaving_rates(s, leave_rate)[:, None]
    leavers = stock * rates
    joining = new_plans(s, stock, new_rate)
    if rng is not None:
        sd = np.sqrt(np.maximum(stock * rates * (1 - rates), 0.0))
        leavers = np.clip(leavers + sd * rng.standard_normal(stock.shape), 0.0, stock)
        joining = rng.poisson(joining).astype(float)
    survivors = stock - leavers
    up = survivors * s.ageing[:, None]
    nxt = survivors - up
    nxt[1:] += up[:-1]
    nxt = nxt + joining
    if s.need_shares is not None:
        nxt = nxt.sum(axis=1, keepdims=True) * s.need_shares
    return nxt


def project(s: Structure, stock: np.ndarray, new_rates: np.ndarray, leave_rates: np.ndarray) -> np.ndarray:
    """Stocks for the Januaries after `stock` (years, K, J) under given yearly rates, without sampling noise."""
    out = []
    for nr, lr in zip(new_rates, leave_rates, strict=True):
        stock = step(s, stock, float(nr), float(lr))
        out.append(stock)
    return np.array(out)


def to_phases(stock: np.ndarray, split: np.ndarray) -> np.ndarray:
    """Stocks by class and need group (..., K, J) summed to phases (..., J, P) with split[K, J, P]: the share of
    class k, need group j in each phase."""
    return np.einsum("...kj,kjp->...jp", stock, split)
