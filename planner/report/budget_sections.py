"""The report's sections on the high-needs budget and on places: the budget path with every income and spending
line, the council's published figures beside the model's, the needs no state setting serves, and the places the
occupancy margin holds free. Each returns HTML fragments; sections a run folder has no tables for say so briefly
or are left out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.formats import fmt_gbp, fmt_num, fmt_pct, year_label
from planner.report.budget_tables import (
    PARTS,
    balance_tested,
    budget_statement,
    occupancy_margin,
    phase_words,
    places_held_free,
    reconciliation,
    reconciliation_frame,
    unserved_needs,
)
from planner.report.budget_words import reconciliation_sentence
from planner.report.html import esc, figure_html, table_html
from planner.report.run_tables import BUDGET_HEADERS, budget_frame

if TYPE_CHECKING:
    from planner.runfolder import RunTables

SUFFICIENCY_ONLY = (
    "This scenario plans for sufficiency only: the budget path is reported, not held to balance in-year, and no "
    "shortfall is counted."
)


def _millions(v: Any) -> str:
    """GBP millions to one decimal, negatives with a minus sign; blank if missing."""
    if v is None or pd.isna(v):
        return ""
    x = float(v)
    return f"{'-' if x < -0.05 else ''}{abs(x):,.1f}"


def _gbp(v: Any) -> str:
    return fmt_gbp(v, 1)


def budget_html(run: RunTables, pictures: dict[str, Path]) -> list[str]:
    """The budget path (chart and summary), then every income and spending line by year in GBP millions."""
    t = run.target_year
    tested = balance_tested(run)
    caption = (
        f"Income and spending by year, the cumulative deficit, the target year {year_label(t)} marked and any "
        "shortfall hatched. Transport and capital are outside the high-needs balance (table below)."
    )
    statement = budget_statement(run)
    years = [c for c in statement.columns if c != "Line"]
    has_contributions = "dfe_deficit_contributions" in run.budget.columns
    note = (
        "DfE contributions to the deficit lower the cumulative deficit but not the in-year balance: the in-year "
        "test counts income and spending only."
        if has_contributions
        else "This run folder records no DfE contributions to the deficit (written before they were modelled)."
    )
    return [
        "<h2 id='budget'>Budget path</h2>",
        *([f"<p class='notice'><b>Sufficiency only.</b> {esc(SUFFICIENCY_ONLY)}</p>"] if not tested else []),
        figure_html(pictures["budget"], caption),
        table_html(budget_frame(run), {h: _gbp for h in BUDGET_HEADERS.values()}),
        "<h3 id='budget-lines'>Every income and spending line, £ million</h3>",
        f"<p class='small'>{esc(note)} Spending on children the model does not place grows with its drivers (plans "
        "in mainstream, further education, early years) or with inflation; its lines are indented under it.</p>",
        table_html(statement, dict.fromkeys(years, _millions), numeric=years, raw=("Line",), table_id="budget-lines"),
    ]


def _parts_formats(frame: pd.DataFrame) -> dict[str, Callable[[Any], str]]:
    money = ["Council", "Model", "Difference", *PARTS.values()]
    return {c: _gbp for c in money if c in frame.columns}


def council_html(run: RunTables, pictures: dict[str, Path]) -> list[str]:
    """The council's published figures beside the model's: a chart of the deficit paths with its points, each
    figure with a model value in words, and the table of every published figure."""
    head = "<h2 id='council'>The council's figures beside the model's</h2>"
    rec = reconciliation(run)
    if rec.empty:
        return [
            head,
            "<p class='small'>This run folder has no budget_reconciliation.csv (written before it existed, or from "
            "data without published forecasts).</p>",
        ]
    base = run.base_year
    with_model = rec[rec["model_value"].notna()]
    sentences = "".join(f"<li>{esc(reconciliation_sentence(r, base))}</li>" for _, r in with_model.iterrows())
    frame = reconciliation_frame(run)
    return [
        head,
        "<p class='small'>Every figure the council published for its high-needs budget, beside the model's value "
        "for the same year. Difference: the model's less the council's. A deficit's difference is split into the "
        f"base-year difference (the model's calibration against the council's {year_label(base)} figure), what the "
        f"model's lines change since {year_label(base)} (demand at {year_label(base)} prices, unit costs, income), "
        "the DfE contributions the model applies (cumulative deficits only) and the change the council's figure "
        "implies that it does not itemise (its programme's savings and every assumption it does not publish).</p>",
        figure_html(
            pictures["council"],
            f"The model's in-year and cumulative deficits (blue) with the council's published figures marked by kind "
            f"and labelled with when they were published; figures before {year_label(base - 1)} are in the table "
            "only.",
        ),
        f"<ul class='figures'>{sentences}</ul>" if sentences else "",
        table_html(frame, _parts_formats(frame), table_id="reconciliation-table"),
        f"<p class='small'>Years before {year_label(base)} are the council's history: the model starts in "
        f"{year_label(base)} (its opening cumulative deficit is the end of {year_label(base - 1)}). Sources are in "
        "the workbook's Budget reconciliation sheet.</p>",
    ]


def unserved_html(run: RunTables, need_names: dict[str, str]) -> list[str]:
    """A notice naming each need group and phase no state setting or option in the county can take, with its
    demand in the target year; nothing when there are none (or the folder does not record them)."""
    df = unserved_needs(run)
    if df.empty:
        return []
    items = "".join(
        f"<li><b>{esc(need_names.get(g, g))} ({esc(g)}), {esc(phase_words(p))}</b>: {fmt_num(d)} pupils</li>"
        for g, p, d in zip(df["need_group"], df["phase"], df["demand"], strict=True)
    )
    return [
        f"<div class='notice' id='unserved'><b>Needs no state setting serves in {year_label(run.target_year)}.</b> "
        "No state special school, SRB or AP in the county, existing, committed or among the options, takes these "
        f"children, so they can only go to independent or out-of-county places:<ul>{items}</ul></div>"
    ]


def margin_html(run: RunTables) -> list[str]:
    """The occupancy margin in use and the places it holds free by year."""
    margin, where = occupancy_margin(run)
    head = "<h3 id='margin'>Occupancy margin</h3>"
    if margin is None:
        return [head, "<p class='small'>This run folder does not record the occupancy margin.</p>"]
    if margin >= 1.0:
        return [head, f"<p class='small'>No occupancy margin ({esc(where)}): places may be filled to the last one.</p>"]
    free = places_held_free(run, margin)
    years = [c for c in free.columns if c != ""]
    return [
        head,
        f"<p class='small'>Places are filled to at most {fmt_pct(margin, 0)} ({esc(where)}), leaving "
        f"{fmt_pct(1 - margin, 0)} of every setting's places free for children who arrive during the year. "
        "Places held free by year, over the settings with a place limit:</p>",
        table_html(free, dict.fromkeys(years, lambda v: fmt_num(v, 0)), numeric=years),
    ]
