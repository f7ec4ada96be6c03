"""The council's published figures beside the model's, in sentences a finance officer reads: what the council
published, what the model has, and (for deficits) how the difference splits (budget_reconciliation.csv)."""

from __future__ import annotations

import math

import pandas as pd

from planner.formats import fmt_gbp, year_label
from planner.report.budget_tables import published_words

KIND_WORDS = {
    "outturn": "outturn",
    "forecast": "forecast",
    "budget": "budget",
}
MEASURE_PHRASES = {
    "in_year_deficit": "an in-year deficit of {v} in {y}",
    "cumulative_deficit": "a cumulative deficit of {v} at the end of {y}",
    "high_needs_spending": "high-needs spending of {v} in {y}",
    "high_needs_income": "high-needs income of {v} in {y}",
}
SMALL = 0.05e6  # parts under £0.05m are left out of a sentence (they show as £0.0m)


def _gbp(v: float) -> str:
    return fmt_gbp(abs(v), 1)


def _number(v: object) -> float:
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return x


def _kind(row: pd.Series) -> str:
    kind = str(row.get("kind", ""))
    if kind == "forecast" and "reforecast" in str(row.get("source", "")).lower():
        return "reforecast"
    return KIND_WORDS.get(kind, kind)


def _part(value: float, more: str, less: str) -> str:
    """`more` or `less` (each with {v}) as the part raises or lowers the model's figure against the council's."""
    return (more if value > 0 else less).format(v=_gbp(value))


def _parts(row: pd.Series, base: int) -> list[str]:
    """The difference's parts in words, largest first after the base-year difference; tiny ones left out."""
    since = year_label(base)
    said = []
    words = {
        "base_year_difference": ("the base-year difference adds {v}", "the base-year difference takes off {v}"),
        "demand": (f"growth in demand since {since} adds {{v}}", f"a fall in demand since {since} takes off {{v}}"),
        "unit_costs": ("unit costs add {v}", "unit costs take off {v}"),
        "income": ("a fall in income adds {v}", "income growth takes off {v}"),
        "dfe_contributions": ("DfE contributions add {v}", "DfE contributions take off {v}"),
    }
    for col, (more, less) in words.items():
        v = _number(row.get(col))
        if not math.isnan(v) and abs(v) >= SMALL:
            said.append(_part(v, more, less))
    return said


def _implied(row: pd.Series) -> str:
    v = _number(row.get("council_implied_change"))
    if math.isnan(v) or abs(v) < SMALL:
        return "the council's figure implies no change it does not itemise"
    if v > 0:
        return (
            f"the council's figure implies {_gbp(v)} of change it does not itemise that lowers its deficit (its "
            "programme's savings and other assumptions)"
        )
    return (
        f"the council's figure implies {_gbp(v)} of change it does not itemise that raises its deficit (growth and "
        "other assumptions beyond its base-year position)"
    )


def reconciliation_sentence(row: pd.Series, base: int) -> str:
    """One published figure in words: 'The council's February 2024 reforecast was an in-year deficit of £11.8m
    in 2028/29; the model's is £141.2m. Of the difference, ...'."""
    y = year_label(int(row["year"]))
    measure = str(row["measure"])
    phrase = MEASURE_PHRASES.get(measure, measure.replace("_", " ") + " of {v} in {y}")
    value = _number(row["published_value"])
    if measure == "in_year_deficit" and value == 0:
        phrase = "an in-year balance (no deficit) in {y}"
    verb = "figures imply" if row.get("kind") == "derived" else f"{_kind(row)} was"
    head = f"The council's {published_words(row['published'])} {verb} {phrase.format(v=fmt_gbp(value, 1), y=y)}"
    model = _number(row.get("model_value"))
    if math.isnan(model):
        return f"{head}; the model starts in {year_label(base)}."
    diff = _number(row.get("difference"))
    gap = "the same" if abs(diff) < SMALL else f"{_gbp(diff)} {'higher' if diff > 0 else 'lower'}"
    text = f"{head}; the model's is {fmt_gbp(model, 1)} ({gap})."
    if not measure.endswith("deficit") or "council_implied_change" not in row or pd.isna(row["council_implied_change"]):
        return text
    parts = _parts(row, base)
    said = f"Of the difference, {', '.join(parts)}; " if parts else "Of the difference, "
    return f"{text} {said}{_implied(row)}."
