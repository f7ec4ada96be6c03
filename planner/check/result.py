"""What a check records, the report of all checks, and the tolerances and number formats they share.

Tolerances. The run tables are written with 10 significant digits, and the solver meets rows to about 1e-7,
so every equality allows for that:
- pupils and places: 1e-4 + 1e-5 x |value|; a cohort's total against its demand also allows 1e-6 per setting,
  as the placements table leaves out rows under 1e-6 pupils;
- journeys: 1e-3 km;
- whole places (projects, project years, settings by year): 1e-6 from a whole number;
- capital spent by a range project in a year: the money tolerance plus its capital per place x the places
  tolerance (places are read from the table, rounded);
- money: GBP 1 + 1e-7 x the sum of the absolute terms compared (a line of GBP 100m is held to about GBP 11);
- rates and shares (transport GBP per pupil-km, KPI shares): 5e-5 relative, 1e-6 absolute;
- the manifest's shortfall: the money tolerance plus the shortfall solve's reported relative gap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

PUPILS_ABS = 1e-4  # pupils
PUPILS_REL = 1e-5  # share of the value (solver feasibility; the tables keep 10 significant digits)
ROW_FLOOR = 1e-6  # pupils: the placements table leaves out smaller rows
KM_ABS = 1e-3  # road km
MONEY_ABS = 1.0  # GBP
MONEY_REL = 1e-7  # share of the sum of the absolute terms compared
RATE_REL = 5e-5  # relative, for ratios of two rounded numbers
SHARE_ABS = 1e-6
WHOLE_ABS = 1e-6  # places: how far from a whole number a place may be written
BALANCE_TOL = 0.5  # GBP: a balance of at least -0.5 counts as balanced (as in the KPI table)
MAX_KEPT = 25  # violations kept per check (all are counted)
FAILED = 1e9  # the score of a violation that is not a numeric comparison


@dataclass
class CheckResult:
    """One check: how many comparisons, the largest deviation (as a multiple of its tolerance), violations."""

    name: str
    title: str
    tolerance: str
    checked: int = 0
    largest: float = 0.0  # largest |deviation| / tolerance over all comparisons (> 1 is a violation)
    n_violations: int = 0
    violations: list[tuple[float, str]] = field(default_factory=list)  # (deviation / tolerance, message)

    @property
    def passed(self) -> bool:
        return self.n_violations == 0

    @property
    def worst(self) -> str | None:
        """The worst violation: what, where (year, setting or zone) and by how much."""
        return max(self.violations)[1] if self.violations else None

    def add(self, ratio: np.ndarray | pd.Series | Iterable[float], describe: Callable[[int], str]) -> None:
        """Record comparisons: ratio[i] = |deviation| / tolerance (> 1 fails; NaN fails); describe(i) says where."""
        values = ratio if isinstance(ratio, np.ndarray | pd.Series) else list(ratio)
        r = np.nan_to_num(np.asarray(values, dtype=float), nan=FAILED)
        self.checked += len(r)
        if not len(r):
            return
        self.largest = max(self.largest, float(r.max()))
        bad = np.flatnonzero(r > 1.0)
        self.n_violations += len(bad)
        for i in bad[np.argsort(-r[bad], kind="stable")][:MAX_KEPT]:
            self.violations.append((float(r[i]), describe(int(i))))
        self.violations = sorted(self.violations, reverse=True)[:MAX_KEPT]

    def fail(self, message: str) -> None:
        """Record one violation that is not a numeric comparison."""
        self.add(np.array([FAILED]), lambda _i: message)

    def passes(self) -> None:
        """Record one comparison that holds (a rule checked as a whole)."""
        self.add(np.array([0.0]), str)

    def line(self) -> str:
        """The result as the report prints it: status, name and title, then counts or the worst violations."""
        status = "PASS" if self.passed else "FAIL"
        head = f"{status}  {self.name:<11} {self.title}"
        if self.passed:
            return (
                f"{head}\n      {self.checked} comparisons; largest deviation {self.largest:.3g} x tolerance "
                f"({self.tolerance})"
            )
        more = f" (showing {len(self.violations)})" if self.n_violations > len(self.violations) else ""
        lines = [
            f"{head}\n      {self.n_violations} violation(s) of {self.checked} comparisons{more}; "
            f"tolerance {self.tolerance}"
        ]
        lines += [f"      - {m}" for _r, m in self.violations[:5]]
        return "\n".join(lines)


@dataclass
class CheckReport:
    """All checks of one run folder."""

    run_dir: Path
    summary: str
    results: list[CheckResult]

    @property
    def ok(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> list[str]:
        """Names of the checks that failed."""
        return [r.name for r in self.results if not r.passed]

    def __getitem__(self, name: str) -> CheckResult:
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(name)

    def __str__(self) -> str:
        verdict = "all checks pass" if self.ok else f"{len(self.failed)} check(s) fail: {', '.join(self.failed)}"
        return "\n".join([f"Check of {self.run_dir}: {self.summary}", *(r.line() for r in self.results), verdict])

    def assert_ok(self) -> None:
        """Raise AssertionError listing every violation kept, if any check failed."""
        if self.ok:
            return
        parts = []
        for r in self.results:
            if not r.passed:
                parts.append(f"{r.name}: {r.n_violations} violation(s)")
                parts += [f"  - {m}" for _s, m in r.violations]
        raise AssertionError(f"run folder {self.run_dir} fails its checks:\n" + "\n".join(parts))


# ---------------------------------------------------------------------------------------------------------
# tolerances and numbers
def pupils_tol(x: np.ndarray | pd.Series | float) -> np.ndarray:
    """Tolerance for a number of pupils or places of size |x|."""
    return PUPILS_ABS + PUPILS_REL * np.abs(np.asarray(x, dtype=float))


def money_tol(scale: np.ndarray | pd.Series | float) -> np.ndarray:
    """Tolerance for money whose compared terms add up (in absolute value) to scale."""
    return MONEY_ABS + MONEY_REL * np.abs(np.asarray(scale, dtype=float))


def ratio(value: np.ndarray | pd.Series, expected: np.ndarray | pd.Series, tol: np.ndarray | float) -> np.ndarray:
    """|value - expected| / tol, with NaN == NaN (both unlimited) as 0 and NaN vs a number as a failure."""
    value, expected = np.asarray(value, dtype=float), np.asarray(expected, dtype=float)
    both = np.isnan(value) & np.isnan(expected)
    with np.errstate(invalid="ignore"):
        r = np.abs(value - expected) / tol
    r = np.where(both, 0.0, r)
    return np.nan_to_num(r, nan=FAILED)


def num(x: float | None) -> str:
    """A number of places or pupils as messages give it; NaN (no limit) as 'unlimited'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "unlimited"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def gbp(x: float) -> str:
    return f"GBP {x:,.0f}"
