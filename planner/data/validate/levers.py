"""Checks of the lever tables: every figure present once, its values plausible and in order (low <= central <=
high), and mainstream support only for need groups and phases the model places."""

from __future__ import annotations

from planner.data.errors import DataError, Findings
from planner.data.schema.levers import LEVEL_COLUMNS, LEVER_FIGURES
from planner.data.tables import PlanningData
from planner.data.validate.rows import refs, row_problems


def check_levers(data: PlanningData, findings: Findings) -> None:
    lv = data.levers
    if len(lv):
        missing = sorted(set(LEVER_FIGURES) - set(lv["name"]))
        if missing:
            findings.add(
                DataError(
                    "levers.csv",
                    f"the figures {', '.join(missing)} are missing",
                    "add a row for each (docs/data.md lists them), or leave levers.csv out to plan without levers",
                    column="name",
                )
            )
        for level in LEVEL_COLUMNS:
            lo = lv["name"].map(lambda n: LEVER_FIGURES[n][0])
            hi = lv["name"].map(lambda n: LEVER_FIGURES[n][1])
            row_problems(
                findings,
                "levers.csv",
                lv,
                (lv[level] < lo) | (lv[level] > hi),
                key="name",
                column=level,
                problem=lambda r, level=level: (
                    f"{r[level]:g} is outside the plausible range "
                    f"{LEVER_FIGURES[r['name']][0]:g} to {LEVER_FIGURES[r['name']][1]:g} ({r['unit']})"
                ),
                fix="check the figure and its unit",
            )
        row_problems(
            findings,
            "levers.csv",
            lv,
            (lv["low"] > lv["central"]) | (lv["central"] > lv["high"]),
            key="name",
            column="central",
            problem=lambda r: (
                f"the values are not in order: low {r['low']:g}, central {r['central']:g}, high {r['high']:g}"
            ),
            fix="give low <= central <= high",
        )
    ms = data.mainstream_support
    if len(ms):
        groups = set(data.need_groups["need_group"])
        refs(findings, "mainstream_support.csv", ms, "need_group", groups, "need group", "need_groups.csv")
        placed = set(data.placed_phases)
        row_problems(
            findings,
            "mainstream_support.csv",
            ms,
            ~ms["phase"].isin(placed),
            key="need_group",
            column="phase",
            problem=lambda r: f"phase '{r['phase']}' is not one the model places",
            fix=f"use one of {', '.join(sorted(placed))}",
        )
        if lv.empty:
            findings.warn("mainstream_support.csv is not used without levers.csv (its capacity comes from teams)")
