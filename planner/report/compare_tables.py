"""The tables that compare two runs: projects that differ, KPIs side by side, and the two budget paths.

Pure functions of the runs' tidy tables. A is the first run, B the second; deltas are B minus A.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner.formats import fmt_gbp, fmt_num, fmt_pct, year_label
from planner.runfolder import BUDGET_COLUMNS as RUN_BUDGET_COLUMNS

if TYPE_CHECKING:
    from planner.runfolder import RunTables

PLACES_TOLERANCE = 0.5  # places: smaller differences are rounding, not a different size
STATUS_ORDER = (
    "only in A",
    "only in B",
    "different size and year",
    "different year",
    "different size",
    "different opening size",
)
PROJECT_KEYS = ["project_id", "name", "kind", "project_type", "setting_type", "district_id"]  # same in A and B
COMPARED = ["places", "places_at_opening", "opening_year", "capital_cost"]  # A's and B's, side by side
DIFF_COLUMNS = ["status", *PROJECT_KEYS, *(f"{c}_{side}" for c in COMPARED for side in "ab")]


def project_differences(a: pd.DataFrame, b: pd.DataFrame, tol: float = PLACES_TOLERANCE) -> pd.DataFrame:
    """Projects (by project_id) only in A, only in B, or in both with a different size (places in the last
    year), opening year, or only a different size at opening. One row each, ordered by status then opening
    year and name; projects the same in both are left out."""
    keep = [*PROJECT_KEYS, *COMPARED]
    a = a.reindex(columns=keep)
    b = b.reindex(columns=keep)
    m = a.merge(b, on="project_id", how="outer", suffixes=("_a", "_b"), indicator=True)
    for col in PROJECT_KEYS[1:]:
        m[col] = m[f"{col}_a"].where(m[f"{col}_a"].notna(), m[f"{col}_b"])
    in_a, in_b = m["_merge"] != "right_only", m["_merge"] != "left_only"
    size = (m["places_a"] - m["places_b"]).abs() >= tol
    year = m["opening_year_a"] != m["opening_year_b"]
    opening = (m["places_at_opening_a"] - m["places_at_opening_b"]).abs() >= tol
    status = np.select(
        [~in_b, ~in_a, size & year, year, size, opening],
        list(STATUS_ORDER),
        default="",
    )
    m["status"] = status
    out = m[m["status"] != ""].copy()
    out["_order"] = out["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    out["_year"] = out["opening_year_a"].fillna(out["opening_year_b"])
    out = out.sort_values(["_order", "_year", "name"], kind="stable")
    for col in ("opening_year_a", "opening_year_b"):
        out[col] = out[col].astype("Int64")
    return out[DIFF_COLUMNS].reset_index(drop=True)


def plan_totals(run: RunTables) -> dict[str, float]:
    """Totals of a plan: projects, places and capital of the options built and of the commitments."""
    pr = run.projects
    opt, com = pr[pr["kind"] == "option"], pr[pr["kind"] == "commitment"]
    b = run.budget
    return {
        "new_projects": float(len(opt)),
        "new_places": float(opt["places"].sum()),
        "new_capital": float(opt["capital_cost"].sum()),
        "committed_projects": float(len(com)),
        "committed_places": float(com["places"].sum()),
        "committed_capital": float(com["capital_cost"].sum()),
        "shortfall_total": float(b["shortfall"].sum()),
    }


# (key, label, unit, source): source 'kpis' or 'budget' (a column in a year) or 'totals' (whole plan)
KPI_ROWS = [
    ("year_of_balance", "Budget balances in-year from", "year", "kpis"),
    ("shortfall_total", "Total shortfall over the target years", "GBP", "totals"),
    ("in_year_balance", "In-year balance", "GBP", "kpis"),
    ("cumulative_deficit", "Cumulative deficit at the year end", "GBP", "kpis"),
    ("high_needs_spending", "High-needs spending", "GBP", "kpis"),
    ("specialist_pupils", "Specialist pupils", "pupils", "kpis"),
    ("share_state_specialist_in_county", "Share in state specialist settings in Norfolk", "share", "kpis"),
    ("share_independent", "Share in independent special schools", "share", "kpis"),
    ("pupils_out_of_county", "Pupils out of county", "pupils", "kpis"),
    ("mean_journey_km", "Mean journey", "km", "kpis"),
    ("transport_cost", "Home-to-school transport (general fund)", "GBP", "kpis"),
    ("capital_spent_options", "Capital spent on options in the year", "GBP", "budget"),
    ("new_projects", "New projects the plan builds", "projects", "totals"),
    ("new_places", "New places the plan builds (last year)", "places", "totals"),
    ("new_capital", "Capital cost of the new projects", "GBP", "totals"),
    ("committed_places", "Committed new places", "places", "totals"),
    ("committed_capital", "Capital cost of the commitments", "GBP", "totals"),
]


def kpi_comparison(a: RunTables, b: RunTables, years: list[int] | None = None) -> pd.DataFrame:
    """KPIs of A and B side by side with the delta (B - A): yearly measures in `years` (default: the target
    year and the last year of A), plan totals once (year blank)."""
    years = years or sorted({a.target_year, a.last_year})
    ta, tb = plan_totals(a), plan_totals(b)
    rows = []
    for key, label, unit, source in KPI_ROWS:
        if source == "totals":
            va, vb = ta[key], tb[key]
            rows.append((label, pd.NA, va, vb, vb - va, unit, key))
            continue
        for y in years:
            fa, fb = (a.kpis, b.kpis) if source == "kpis" else (a.budget, b.budget)
            va = _value(fa, y, key)
            vb = _value(fb, y, key)
            if key == "year_of_balance":
                rows.append((label, pd.NA, va, vb, (vb - va) if pd.notna(va) and pd.notna(vb) else np.nan, unit, key))
                break
            rows.append((label, y, va, vb, vb - va, unit, key))
    out = pd.DataFrame(rows, columns=["measure", "year", "a", "b", "delta", "unit", "key"])
    out["year"] = out["year"].astype("Int64")
    return out


def _value(df: pd.DataFrame, year: int, col: str) -> float:
    if col not in df.columns:
        return np.nan
    if col == "year_of_balance":
        v = df[col].dropna()
        return float(v.iloc[0]) if len(v) else np.nan
    s = df.loc[df["year"] == year, col]
    return float(s.iloc[0]) if len(s) else np.nan


# the budget lines compared: income and the run's budget columns but the spending the model does not place
BUDGET_COLUMNS = ("income_total", *(c for c in RUN_BUDGET_COLUMNS if c != "other_high_needs"))


def budget_comparison(a: RunTables, b: RunTables) -> pd.DataFrame:
    """The budget paths of A and B by year: each line for A, B and B - A."""
    ba = a.budget.set_index("year")
    bb = b.budget.set_index("year")
    years = sorted(set(ba.index) | set(bb.index))
    out = pd.DataFrame({"year": years})
    for col in BUDGET_COLUMNS:
        va = ba[col].reindex(years).to_numpy(dtype=float) if col in ba else np.full(len(years), np.nan)
        vb = bb[col].reindex(years).to_numpy(dtype=float) if col in bb else np.full(len(years), np.nan)
        out[f"{col}_a"] = va
        out[f"{col}_b"] = vb
        out[f"{col}_delta"] = vb - va
    return out


def fmt_measure(v: object, unit: str, *, delta: bool = False) -> str:
    """A value of a compared measure in its `unit` (a KPI_ROWS unit), or a difference (signed) if `delta`."""
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return "–"
    x = float(v)  # type: ignore[arg-type]
    sign = "+" if delta and x > 0 else ""
    if unit == "GBP":
        return sign + fmt_gbp(x, 1)
    if unit == "share":
        return f"{100 * x:+.1f} pts" if delta else fmt_pct(x)
    if unit == "km":
        return f"{sign}{x:.1f} km"
    if unit == "year":
        return f"{sign}{x:.0f} years" if delta else year_label(int(x))
    return sign + fmt_num(x, 0)
