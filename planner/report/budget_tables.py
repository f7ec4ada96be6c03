"""The high-needs budget as a finance officer reads it: every income and spending line by year, the council's
published figures beside the model's, the places the occupancy margin holds free, and the needs no state setting
serves. Tables only (formatting and words are left to the pages); no plotting library is imported here.

Run folders written before these tables existed (no budget_reconciliation.csv, no line_ columns, no DfE
contributions, no manifest keys) give empty frames or the lines they have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner.formats import year_label
from planner.runfolder import FEES_PREFIX, INCOME_PREFIX, LINE_PREFIX

if TYPE_CHECKING:
    from planner.runfolder import RunTables

FEES_LABELS = {
    "special": "Top-ups: special schools",
    "srb": "Top-ups: SRBs",
    "ap": "Top-ups: AP",
    "independent": "Fees: independent schools",
}
# income and spending lines of the Norfolk data; others are named from their column
LINE_LABELS = {
    "core_high_needs_dsg": "High-needs block of the DSG",
    "schools_block_transfer": "Transfer from the schools block",
    "council_contribution": "Council contribution",
    "element3_mainstream_top_ups": "Element 3 top-ups in mainstream schools",
    "fe_post16_post19_top_ups": "Top-ups in further education (post-16 and post-19)",
    "fe_top_ups": "Top-ups in further education",
    "early_years_top_ups": "Early years top-ups",
    "specialist_not_placed_top_ups": "Top-ups of specialist pupils in phases the model does not place",
    "send_support_services": "SEN support services",
    "other_high_needs_residual": "Other high-needs spending (the rest)",
}
PHASE_WORDS = {"early_years": "early years", "post16": "post-16", "post19": "post-19"}
MEASURE_WORDS = {
    "in_year_deficit": "In-year deficit",
    "cumulative_deficit": "Cumulative deficit",
    "high_needs_spending": "High-needs spending",
    "high_needs_income": "High-needs income",
}
# the parts of a deficit's difference (budget_reconciliation.csv), in the order they are read
PARTS = {
    "base_year_difference": "Base-year difference",
    "demand": "Demand",
    "unit_costs": "Unit costs",
    "income": "Income",
    "dfe_contributions": "DfE contributions",
    "council_implied_change": "Council's implied change",
}
BOLD = "<b>{}</b>"


def line_label(column: str) -> str:
    """The words of a budget.csv line: 'income_schools_block_transfer' -> 'Transfer from the schools block'."""
    if column.startswith(FEES_PREFIX):
        st = column.removeprefix(FEES_PREFIX)
        return FEES_LABELS.get(st, f"Top-ups and fees: {st}")
    for prefix in (INCOME_PREFIX, LINE_PREFIX):
        if column.startswith(prefix):
            name = column.removeprefix(prefix)
            return LINE_LABELS.get(name, name.replace("_", " ").capitalize())
    return column.replace("_", " ").capitalize()


def phase_words(phase: str) -> str:
    return PHASE_WORDS.get(phase, phase.replace("_", " "))


def balance_tested(run: RunTables) -> bool:
    """False when the scenario plans for sufficiency only (the budget path is reported, not held to balance)."""
    flag = run.manifest.get("balance_test", run.scenario.get("balance_test", True))
    return flag is not False


def _statement_rows(b: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(column, label, style) of the statement's rows in reading order, for the columns the budget has; style
    'total' (bold), 'sub' (a line of the row above it, indented) or ''."""
    cols = list(b.columns)
    fees = [f"{FEES_PREFIX}{t}" for t in FEES_LABELS if f"{FEES_PREFIX}{t}" in cols]
    fees += [c for c in cols if c.startswith(FEES_PREFIX) and c not in fees]
    rows = [(c, line_label(c), "") for c in cols if c.startswith(INCOME_PREFIX) and c != "income_total"]
    rows.append(("income_total", "Income", "total"))
    rows += [(c, line_label(c), "") for c in ("place_funding", *fees)]
    rows.append(("other_high_needs", "Children the model does not place", ""))
    rows += [(c, line_label(c), "sub") for c in cols if c.startswith(LINE_PREFIX)]
    rows += [
        ("spending_total", "Spending", "total"),
        ("in_year_balance", "In-year balance (income less spending)", "total"),
        ("dfe_deficit_contributions", "DfE contributions to the cumulative deficit", ""),
        ("cumulative_deficit", "Cumulative deficit at the year end", "total"),
        ("shortfall", "Shortfall (spending above income in a target year)", ""),
    ]
    return [r for r in rows if r[0] in cols]


def budget_statement(run: RunTables) -> pd.DataFrame:
    """Every income and spending line of the high-needs budget by year, in GBP millions: a 'Line' column (HTML:
    totals bold, a group's lines indented) and one column per year."""
    b = run.budget.sort_values("year")
    rows = _statement_rows(b)
    labels = []
    for _, label, style in rows:
        text = label.replace("&", "&amp;").replace("<", "&lt;")
        labels.append(BOLD.format(text) if style == "total" else ("&ensp;&ensp;" + text if style == "sub" else text))
    out = pd.DataFrame({"Line": labels})
    for y in b["year"]:
        values = b.loc[b["year"] == y].iloc[0]
        out[year_label(int(y))] = [float(values[c]) / 1e6 for c, _, _ in rows]
    return out


# ---------------------------------------------------------------------------------------------------------
# the council's figures
def reconciliation(run: RunTables) -> pd.DataFrame:
    """budget_reconciliation.csv of the run, in year order (empty if the folder has none)."""
    r = run.tables.get("budget_reconciliation")
    if r is None or r.empty:
        return pd.DataFrame()
    return r.sort_values(["year", "measure", "published"], kind="stable").reset_index(drop=True)


def published_words(published: object) -> str:
    """'2024-02' -> 'February 2024' (as published; left as given if not a year-month)."""
    try:
        return pd.Timestamp(f"{published}-01" if len(str(published)) == 7 else str(published)).strftime("%B %Y")
    except (ValueError, TypeError):
        return str(published)


def reconciliation_frame(run: RunTables) -> pd.DataFrame:
    """The council's figures beside the model's, as the page shows them: GBP, the difference model less council,
    and for deficits its parts."""
    r = reconciliation(run)
    if r.empty:
        return r
    out = pd.DataFrame(
        {
            "Year": r["year"].map(lambda y: year_label(int(y))),
            "Measure": r["measure"].map(MEASURE_WORDS).fillna(r["measure"]),
            "Kind": r["kind"],
            "Published": r["published"].map(published_words),
            "Council": r["published_value"],
            "Model": r["model_value"],
            "Difference": r["difference"],
        }
    )
    for col, label in PARTS.items():
        out[label] = r[col] if col in r.columns else np.nan
    return out


# ---------------------------------------------------------------------------------------------------------
# the occupancy margin and the needs no state setting serves
def occupancy_margin(run: RunTables) -> tuple[float | None, str]:
    """The occupancy margin in use and where it was read: the manifest (recorded by the run, from format 2 with
    the budget rules, or set by its scenario); (None, '') for a folder that records neither."""
    for value, where in (
        (run.manifest.get("occupancy_margin"), "recorded with the run"),
        (run.scenario.get("occupancy_margin"), "set by the scenario"),
    ):
        if value is not None:
            return float(value), where
    return None, ""


def places_held_free(run: RunTables, margin: float) -> pd.DataFrame:
    """By year: places of the settings with a place limit, and the places (1 - margin) x places holds free, by
    setting type and in all."""
    s = run.settings_by_year
    s = s[np.isfinite(pd.to_numeric(s["places"], errors="coerce").astype(float))]
    years = sorted(int(y) for y in run.years)
    by_type = s.pivot_table(index="setting_type", columns="year", values="places", aggfunc="sum", fill_value=0.0)
    by_type = by_type.reindex(columns=years, fill_value=0.0)
    order = [t for t in FEES_LABELS if t in by_type.index] + [t for t in by_type.index if t not in FEES_LABELS]
    rows = [("Places in settings with a place limit", by_type.sum().to_numpy(dtype=float))]
    free = 1.0 - margin
    names = {"special": "special schools", "srb": "SRBs", "ap": "AP", "independent": "independent schools"}
    rows += [(f"Held free: {names.get(t, t)}", free * by_type.loc[t].to_numpy(dtype=float)) for t in order]
    rows.append(("Held free: all", free * by_type.sum().to_numpy(dtype=float)))
    return pd.DataFrame(
        {"": [r[0] for r in rows], **{year_label(y): [r[1][i] for r in rows] for i, y in enumerate(years)}}
    )


def unserved_needs(run: RunTables) -> pd.DataFrame:
    """Need groups and phases with demand in the target year that no state setting or option in the county can
    take (the manifest's record; empty for folders without it), largest demand first."""
    recs = run.manifest.get("needs_no_state_setting_serves") or []
    df = pd.DataFrame(recs, columns=["need_group", "phase", "demand"])
    df["demand"] = pd.to_numeric(df["demand"], errors="coerce")
    df = df[df["demand"].fillna(0.0) > 0]
    return df.sort_values("demand", ascending=False, kind="stable").reset_index(drop=True)
