"""How numbers and years are written for people: in summaries, reports, workbooks and messages."""

from __future__ import annotations

import math

import pandas as pd


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def year_label(year: int) -> str:
    """The academic and financial year ending in `year`: 2025 -> '2024/25' (the January 2025 census)."""
    return f"{year - 1}/{str(year)[-2:]}"


def fmt_gbp(x: float | None, digits: int = 1) -> str:
    """GBP in millions: 12345678 -> '£12.3m' (negative: '-£12.3m'); under a million in thousands."""
    if _missing(x):
        return "–"
    sign = "-" if x < 0 else ""
    v = abs(float(x))
    if v >= 1e6 or v == 0:
        return f"{sign}£{v / 1e6:,.{digits}f}m"
    return f"{sign}£{v / 1e3:,.0f}k"


def fmt_gbp2(x: float | None) -> str:
    """fmt_gbp to two decimals of a million, for tables of levers and futures."""
    return fmt_gbp(x, 2)


def fmt_num(x: float | None, digits: int = 0) -> str:
    if _missing(x):
        return "–"
    return f"{float(x):,.{digits}f}"


def fmt_pct(x: float | None, digits: int = 1) -> str:
    if _missing(x):
        return "–"
    return f"{100 * float(x):.{digits}f}%"
