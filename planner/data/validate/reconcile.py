"""The base-year reconciliation: figures the data imply, against the published figures in reconciliation.csv."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from planner.data.errors import Findings
from planner.data.tables import PlanningData
from planner.data.validate.rows import row_problems


def _base_spending(data: PlanningData) -> float:
    """Base-year high-needs spending: the council's place funding (not the places whose funding the DfE deducts and
    pays academies directly), every setting's top-ups and fees, and the spending lines (or, without them, the
    plans the model does not place x other_high_needs_per_plan)."""
    s = data.settings
    uc = data.unit_costs.set_index("setting_type")
    by_la = s["place_funding_by_la"].astype(bool)
    placed = float(
        (s["places"].fillna(0) * s["setting_type"].map(uc["place_funding"]) * by_la).sum()
        + (s["base_pupils"] * s["setting_type"].map(uc["top_up"])).sum()
    )
    if len(data.spending_lines):
        return placed + float(data.spending_lines["base_amount"].sum())
    bp = data.base_placements
    modelled = bp["placement_type"].isin(data.specialist_types) & bp["phase"].isin(data.placed_phases)
    return placed + float(bp.loc[~modelled, "pupils"].sum()) * float(data.parameters["other_high_needs_per_plan"])


MEASURES: dict[str, Callable[[PlanningData], float]] = {
    "plans_base_year": lambda d: float(
        d.plans[(d.plans["year"] == d.base_year) & (d.plans["scenario"] == sorted(d.plans["scenario"])[0])][
            "plans"
        ].sum()
    ),
    "children_0_15": lambda d: float(d.zones["children_0_15"].sum()),
    "state_special_pupils_in_norfolk": lambda d: float(
        d.settings.loc[(d.settings["setting_type"] == "special") & ~d.settings["out_of_county"], "base_pupils"].sum()
    ),
    "base_year_high_needs_spending": _base_spending,
}


def reconciliation_table(data: PlanningData) -> pd.DataFrame:
    """The base-year reconciliation as a table: measure, data_value, published_value, gap_pct, tolerance_pct,
    source (measures this planner does not know have no data value)."""
    rows = []
    for r in data.reconciliation.itertuples():
        value = MEASURES[r.measure](data) if r.measure in MEASURES else float("nan")
        gap = abs(value - r.published_value) / abs(r.published_value) * 100 if r.published_value else abs(value) * 100
        rows.append(
            dict(
                measure=r.measure,
                data_value=value,
                published_value=r.published_value,
                gap_pct=gap,
                tolerance_pct=r.tolerance_pct,
                source=r.source,
                data_value_is=r.data_value_is,
            )
        )
    return pd.DataFrame(rows)


def check_reconciliation(data: PlanningData, findings: Findings) -> None:
    rec = data.reconciliation
    row_problems(
        findings,
        "reconciliation.csv",
        rec,
        ~rec["measure"].isin(list(MEASURES)),
        key="measure",
        column="measure",
        problem=lambda r: f"unknown measure '{r['measure']}'",
        fix=f"use one of {', '.join(MEASURES)}",
    )
    t = reconciliation_table(data)
    row_problems(
        findings,
        "reconciliation.csv",
        t,
        t["gap_pct"] > t["tolerance_pct"],
        key="measure",
        column="published_value",
        problem=lambda r: (
            f"the data give {r['data_value']:,.1f} "
            f"({r['data_value_is']}) against the published {r['published_value']:,.1f}, {r['gap_pct']:.1f}% apart "
            f"(tolerance {r['tolerance_pct']:g}%)"
        ),
        fix="correct the data files, or the published figure if it is wrong",
    )
