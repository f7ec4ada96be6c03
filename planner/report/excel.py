"""plan.xlsx: a run's tables for officers who work in Excel, one sheet per table and an About sheet with units."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.formats import year_label
from planner.report.budget_tables import balance_tested, line_label, occupancy_margin, phase_words, unserved_needs
from planner.report.style import ATTRIBUTION_FULL
from planner.report.summaries import project_refs
from planner.runfolder import FEES_PREFIX, INCOME_PREFIX, LINE_PREFIX, RunTables

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
GBP = '"£"#,##0'
PUPILS = "#,##0.0"
SHARE = "0.0%"
KM = "0.0"
WHOLE = "0"

# sheet name, table, what it holds
SHEETS: list[tuple[str, str, str]] = [
    ("KPIs", "kpis", "Headline measures by year."),
    (
        "Budget",
        "budget",
        "The high-needs budget path by year: income, spending by line, balance, deficit; "
        "transport and capital on their own lines, outside the balance.",
    ),
    (
        "Budget reconciliation",
        "budget_reconciliation",
        "Every figure the council published for its high-needs budget beside the model's, with the difference "
        "attributed for deficits (see 'How the difference is attributed' below).",
    ),
    ("Projects", "projects", "Committed projects and the options the plan builds, numbered as on the maps."),
    ("Project years", "project_years", "Places open and capital spent by built option and year."),
    ("Settings by year", "settings_by_year", "Places and pupils of every setting each year."),
    ("Sufficiency", "sufficiency", "Demand and where it is met, by year, district, need group and phase."),
    ("Levers by area", "levers_by_area", "Support teams, prevention and mainstream support by team area and year."),
    ("Lever money", "lever_money", "Borrowing, the schools-block transfer and the money outside the budget by year."),
    ("Lever relief", "lever_relief", "New specialist entrants prevented or kept in mainstream, by home zone."),
    ("What binds", "what_binds", "Each year: capital, the high-needs balance, capacity and reach, binding or not."),
    ("Place values", "place_values", "What one more place at each setting with a place limit would save, by year."),
    (
        "Place values by need",
        "place_values_by_need",
        "By year, district and need group: the most one more place at a setting of the district taking that need "
        "would save, and where.",
    ),
    (
        "Placements",
        "placements",
        "Pupils by year, district of home, need group, phase and setting type, with their mean journey "
        "(placements.csv has them by setting, placements.parquet by home zone and setting).",
    ),
]

# column -> (meaning, unit)
COLUMNS: dict[str, tuple[str, str]] = {
    "area_id": ("support-team area (a district)", ""),
    "area_name": ("its name", ""),
    "children": ("children aged 0-15 living in the area", "children"),
    "teams": ("extra support teams working (beyond those already in the base year)", "teams"),
    "coverage": ("teams x children a team serves / children in the area", "share"),
    "effect": ("share of the full prevention effect reached (diminishing returns)", "share"),
    "team_cost": ("yearly cost of the extra teams (general fund)", "GBP"),
    "prevented_specialist_entrants": ("new specialist entrants prevented that year", "pupils"),
    "prevented_plans_open": ("non-specialist plans prevention kept from opening, still open had they opened", "plans"),
    "prevention_saving": ("high-needs spending those plans would have cost", "GBP"),
    "supported_entrants": ("new specialist entrants kept in mainstream with an enhanced package", "pupils"),
    "supported_pupils": ("children supported in mainstream that year", "pupils"),
    "enhanced_top_ups": ("their enhanced top-ups (high-needs block)", "GBP"),
    "borrowed": ("capital borrowed that year", "GBP"),
    "borrowed_to_date": ("capital borrowed to date", "GBP"),
    "borrowing_charge": ("interest and minimum revenue provision on earlier borrowing (general fund)", "GBP"),
    "transfer_in_data": ("schools-block transfer the data give", "GBP"),
    "transfer_extra": ("transfer the plan adds above it", "GBP"),
    "transfer_total": ("the two together", "GBP"),
    "transfer_share_of_schools_block": ("the transfer as a share of the schools block", "share"),
    "transfer_needs_approval": ("above 0.5% of the schools block: needs the Secretary of State's approval", ""),
    "team_costs": ("the extra teams' cost", "GBP"),
    "outside_money": ("money from outside the high-needs budget: teams, borrowing charges, extra transfer", "GBP"),
    "prevented_entrants": ("new specialist entrants prevented", "pupils"),
    "full": ("the setting's places are all used that year (its capacity binds)", ""),
    "value_of_a_place": (
        "what one more place that year would save the plan over the planning years (GBP of that year)",
        "GBP",
    ),
    "constraint": ("the rule: capital, high-needs balance, capacity, reach, shortfall cap", ""),
    "binding": ("whether it holds the plan back that year", ""),
    "value": ("its measure (unit column)", ""),
    "unit": ("what the value counts", ""),
    "meaning": ("what the value says", ""),
    "year": ("year the academic and financial year ends: 2029 = 2028/29", "year"),
    "ref": ("project number on the maps and in the report", ""),
    "project_id": ("project id (commitments.csv or options.csv)", ""),
    "site_id": ("site of the project", ""),
    "setting_id": ("setting id (settings.csv, or the project's new setting)", ""),
    "name": ("name", ""),
    "setting_name": ("name of the setting the project adds places to", ""),
    "urn": ("DfE unique reference number of the school", ""),
    "kind": ("commitment (decided) or option (chosen by the plan)", ""),
    "project_type": ("new_school, expansion, srb (resource base) or ap (alternative provision)", ""),
    "setting_type": ("special, srb, ap or independent", ""),
    "origin": ("existing setting, or added by a commitment or an option", ""),
    "district_id": ("district (ONS code)", ""),
    "district": ("district name", ""),
    "zone_id": ("home zone (ONS code)", ""),
    "lon": ("longitude", "degrees"),
    "lat": ("latitude", "degrees"),
    "needs": ("need groups served (CI, CL, SEMH, SP, OTHER), ';'-separated", ""),
    "need_group": ("need group (need_groups.csv)", ""),
    "phase": ("phase: primary, secondary, post16", ""),
    "min_age": ("youngest age served", "years"),
    "max_age": ("oldest age served", "years"),
    "places": ("places (for projects: in the last planning year)", "places"),
    "places_at_opening": ("places in the opening year", "places"),
    "start_year": ("year building starts (options)", "year"),
    "opening_year": ("first year the places are open", "year"),
    "capital_cost": ("capital cost", "GBP"),
    "capital_spent": ("capital spent in the year", "GBP"),
    "out_of_county": ("setting outside Norfolk", "true/false"),
    "pupils": ("pupils (expected values, so may be fractional)", "pupils"),
    "journey_km": ("road journey from home zone to setting (pupil-weighted mean when summed)", "km"),
    "legacy": ("pupils placed before the plan, staying in their setting", "true/false"),
    "demand": ("specialist pupils of the district, need group and phase", "pupils"),
    "state_places_in_district": ("places in the district's state settings designated for the need and phase", "places"),
    "placed_locally": ("pupils in state settings in the county", "pupils"),
    "placed_independent_or_out_of_county": ("pupils in independent or out-of-county settings", "pupils"),
    "unmet_local_need": ("the same: need no state setting in the county meets", "pupils"),
    "children_with_plans": ("children and young people with EHC plans", "pupils"),
    "specialist_pupils": ("pupils in specialist settings placed by the model", "pupils"),
    "share_mainstream": ("share of children with plans in mainstream (including SRBs)", "share"),
    "share_state_specialist_in_county": ("share in state special schools, SRBs and AP in the county", "share"),
    "share_independent": ("share in independent special schools", "share"),
    "pupils_out_of_county": ("pupils in settings outside Norfolk", "pupils"),
    "mean_journey_km": ("mean journey of specialist pupils", "km"),
    "transport_cost": ("home-to-school transport (general fund, not high needs)", "GBP"),
    "high_needs_spending": ("high-needs spending", "GBP"),
    "in_year_balance": ("income minus spending in the year (negative = deficit)", "GBP"),
    "cumulative_deficit": ("deficit carried at the year end", "GBP"),
    "year_of_balance": ("first year from which the budget balances in-year every year", "year"),
    "income_total": ("high-needs income", "GBP"),
    "place_funding": ("place funding of state settings", "GBP"),
    "other_high_needs": ("high-needs spending on children the model does not place", "GBP"),
    "spending_total": ("high-needs spending", "GBP"),
    "shortfall": ("spending above income in a target year", "GBP"),
    "transport_general_fund": ("home-to-school transport (general fund)", "GBP"),
    "capital_spent_options": ("capital spent on the options built", "GBP"),
    "capital_budget": ("capital budget of the year (unspent capital carries forward)", "GBP"),
    "dfe_deficit_contributions": (
        "DfE contributions to the cumulative deficit: they lower it and never count in the in-year balance",
        "GBP",
    ),
    "measure": ("in_year_deficit, cumulative_deficit, high_needs_spending or high_needs_income", ""),
    "published": ("when the council published the figure", "year-month"),
    "published_value": ("the council's published figure", "GBP"),
    "model_value": ("the model's value of the same measure and year (blank before the base year)", "GBP"),
    "difference": ("model_value less published_value", "GBP"),
    "base_year_difference": ("part of the difference: the base-year difference (calibration), once a year", "GBP"),
    "unit_costs": ("part of the difference: the model's unit-cost growth since the base year", "GBP"),
    "income": ("part of the difference: the model's income growth since the base year (growth takes off)", "GBP"),
    "dfe_contributions": ("part of the difference: the DfE contributions the model applies (take off)", "GBP"),
    "council_implied_change": (
        "part of the difference: the change the council's figure implies that it does not itemise (its programme's "
        "savings and other assumptions)",
        "GBP",
    ),
    "source": ("where the council's figure was published", ""),
}
# columns whose meaning depends on the sheet: (sheet table, column) -> (meaning, unit)
SHEET_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    ("budget_reconciliation", "demand"): ("part of the difference: growth in demand since the base year", "GBP"),
    ("budget_reconciliation", "kind"): ("outturn, forecast, budget, or derived from published figures", ""),
}
RECONCILIATION_NOTE = (
    "For a published deficit, the difference model less council = base-year difference (the model's base-year "
    "deficit less the council's) + demand (the model's spending lines at base-year prices, less the base year's) + "
    "unit costs (the same lines' price growth) + income (less the model's income growth) + DfE contributions "
    "(cumulative deficits only) + the council's implied change (what its figure implies beyond its base-year "
    "position: its programme's savings and every assumption it does not itemise). A cumulative deficit adds the "
    "yearly parts from the base year to its year. Rows before the base year have no model value, except the "
    "opening cumulative deficit."
)


def column_info(col: str, table: str = "") -> tuple[str, str]:
    """(meaning, unit) of a column of a run table (`table`: its name, for columns whose meaning is the table's)."""
    if (table, col) in SHEET_COLUMNS:
        return SHEET_COLUMNS[(table, col)]
    if col in COLUMNS:
        return COLUMNS[col]
    if col.startswith(INCOME_PREFIX):
        return (f"income: {line_label(col)}", "GBP")
    if col.startswith(FEES_PREFIX):
        return (f"top-ups and fees: {col.removeprefix(FEES_PREFIX)} settings", "GBP")
    if col.startswith(LINE_PREFIX):
        return (f"spending the model does not place: {line_label(col)} (in other_high_needs)", "GBP")
    return ("", "")


def number_format(col: str, table: str = "") -> str | None:
    unit = column_info(col, table)[1]
    return {"GBP": GBP, "pupils": PUPILS, "places": PUPILS, "share": SHARE, "km": KM, "year": WHOLE}.get(unit)


def _value(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(float(v)) else float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    return v


def placements_by_type(placements: pd.DataFrame) -> pd.DataFrame:
    """Pupils by year, home district, need group, phase and setting type (in or out of county), with their mean
    journey: a sheet of a few thousand rows at any zone level (placements.csv has them by setting)."""
    keys = ["year", "district_id", "need_group", "phase", "setting_type", "out_of_county"]
    p = placements.assign(pupil_km=placements["pupils"] * placements["journey_km"])
    g = p.groupby(keys, as_index=False)[["pupils", "pupil_km"]].sum()
    g["mean_journey_km"] = (g["pupil_km"] / g["pupils"].where(g["pupils"] > 0)).round(1)
    g["pupils"] = g["pupils"].round(3)
    return g.drop(columns="pupil_km")


def write_sheet(
    wb: Workbook, title: str, df: pd.DataFrame, widths: dict[str, float] | None = None, *, table: str = ""
) -> None:
    """A sheet of `df` (run table `table`): a bold header row, frozen and filtered, numbers formatted by their
    columns' units."""
    ws = wb.create_sheet(title)
    cols = list(df.columns)
    for i, c in enumerate(cols, start=1):
        w = (widths or {}).get(c) or min(max(len(c) + 2, 10), 40)
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    header = []
    for c in cols:
        cell = WriteOnlyCell(ws, value=c)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    ws.append(header)
    fmts = [number_format(c, table) for c in cols]
    values = [df[c].astype(object).to_numpy() for c in cols]
    for i in range(len(df)):
        row: list[Any] = []
        for f, v in zip(fmts, values, strict=True):
            x = _value(v[i])
            if f is not None and isinstance(x, (int, float)) and not isinstance(x, bool):
                cell = WriteOnlyCell(ws, value=x)
                cell.number_format = f
                row.append(cell)
            else:
                row.append(x)
        ws.append(row)
    if len(df):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(df) + 1}"


def _about(wb: Workbook, run: RunTables, sheets: Sequence[tuple[str, str, pd.DataFrame, str]]) -> None:
    ws = wb.create_sheet("About", 0)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 14
    bold = Font(bold=True)

    def line(a: str = "", b: str = "", c: str = "", *, strong: bool = False) -> None:
        cells = []
        for v in (a, b, c):
            cell = WriteOnlyCell(ws, value=v)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if strong:
                cell.font = bold
            cells.append(cell)
        ws.append(cells)

    m = run.manifest
    scen = run.scenario
    line("SEND place plan", run.scenario_name, strong=True)
    line("Scenario", str(scen.get("description", "")).replace("\n", " "))
    t = year_label(run.target_year)
    if balance_tested(run):
        line("Target year", f"the high-needs budget should balance in-year from {t}")
    else:
        line("Target year", f"{t}: sufficiency only, the budget path is reported, not held to balance in-year")
    margin, where = occupancy_margin(run)
    if margin is not None:
        line("Occupancy margin", f"places are filled to at most {margin:.0%} ({where})")
    unserved = unserved_needs(run)
    if len(unserved):
        needs = "; ".join(
            f"{g} {phase_words(p)}: {d:,.0f} pupils"
            for g, p, d in zip(unserved["need_group"], unserved["phase"], unserved["demand"], strict=True)
        )
        line("Needs no state setting serves", f"in {t}, no state setting or option in the county takes {needs}")
    line("Years", f"{year_label(run.base_year)} (base year, census) to {year_label(run.last_year)}")
    line("Solver status", f"{m.get('status', '')}, gap {m.get('gap', 0):.2e}" if m.get("gap") is not None else "")
    line("Home zones", run.zone_level)
    line("Run folder", run.folder.name)
    line("Created", str(m.get("created", "")))
    line()
    line(
        "Units",
        "Money in GBP (not thousands or millions). Pupils are expected values, so may be fractional. "
        "Years are labelled by the year the academic and financial year ends: 2029 = 2028/29 (the January 2029 "
        "census; the financial year April 2028 to March 2029). Journeys are road km.",
    )
    line()
    line("Sheet", "What it holds", "Rows", strong=True)
    for title, _, df, what in sheets:
        line(title, what, str(len(df)))
    if any(name == "budget_reconciliation" for _, name, _, _ in sheets):
        line()
        line("How the difference is attributed", RECONCILIATION_NOTE)
        line(
            "DfE contributions",
            "DfE contributions to the deficit (Budget: dfe_deficit_contributions) lower the cumulative deficit; "
            "they never count in the in-year balance, so they do not help the in-year test.",
        )
    line()
    line("Column", "Meaning", "Unit", strong=True)
    seen: set[tuple[str, str, str]] = set()
    for title, name, df, _ in sheets:
        for c in df.columns:
            meaning, unit = column_info(c, name)
            if (c, meaning, unit) not in seen:
                label = c if (name, c) not in SHEET_COLUMNS else f"{c} ({title})"
                seen.add((c, meaning, unit))
                line(label, meaning, unit)
    line()
    line("Attribution", ATTRIBUTION_FULL)


def write_workbook(run: RunTables, path: str | Path, *, district_names: dict[str, str] | None = None) -> Path:
    """Write plan.xlsx: an About sheet (scenario, units, every column explained) and one sheet per table."""
    path = Path(path)
    wb = Workbook(write_only=True)
    sheets: list[tuple[str, str, pd.DataFrame, str]] = []
    for title, name, what in SHEETS:
        if name not in run.tables:  # an optional table the folder does not have
            continue
        df = run.tables[name]
        if name == "projects":
            df = project_refs(df)
            df = df[["ref", *[c for c in df.columns if c != "ref"]]]
        if name == "placements":
            df = placements_by_type(df)
        if district_names and "district_id" in df.columns:
            i = list(df.columns).index("district_id")
            df = df.copy()
            df.insert(i + 1, "district", df["district_id"].map(district_names).fillna(""))
        sheets.append((title, name, df, what))
    _about(wb, run, sheets)
    widths = {"name": 48, "setting_name": 40, "needs": 18, "district": 26, "project_id": 20, "setting_id": 18}
    widths |= {"source": 60, "measure": 20, "published": 11}
    for title, name, df, _ in sheets:
        write_sheet(wb, title, df, widths, table=name)
    wb.save(path)
    return path
