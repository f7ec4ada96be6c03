"""Checks of the optional demand tables: specialist shares by year (specialist_shares.csv) and the futures
(futures.csv, read on request)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.data import schema
from planner.data.errors import DataError, Findings
from planner.data.tables import PlanningData
from planner.data.validate.coverage import check_plans
from planner.data.validate.rows import refs, row_problems

TOLERANCE = 5e-4  # the base year is observed: the tables must agree to rounding


def base_specialist_share(data: PlanningData) -> pd.Series:
    """Share of base-year plans in a specialist placement by (need_group, phase), from base_placements.csv."""
    bp = data.base_placements
    total = bp.groupby(["need_group", "phase"])["pupils"].sum()
    spec = bp[bp["placement_type"].isin(data.specialist_types)].groupby(["need_group", "phase"])["pupils"].sum()
    return (spec.reindex(total.index).fillna(0.0) / total.where(total > 0)).fillna(0.0)


def check_specialist_shares(data: PlanningData, findings: Findings) -> None:
    """specialist_shares.csv (when given) names known need groups and phases, has every year from the base year to
    the last year of plans.csv for each, and in the base year equals base_placements.csv's share."""
    ss, file = data.specialist_shares, schema.SPECIALIST_SHARES.file
    if ss.empty:
        return
    refs(findings, file, ss, "need_group", set(data.need_groups["need_group"]), "need group", "need_groups.csv")
    refs(findings, file, ss, "phase", set(data.phases["phase"]), "phase", "phases.csv")
    if findings.has_problems(file):
        return
    have = set(zip(ss["year"], ss["need_group"], ss["phase"], strict=True))
    wanted = [
        (y, g, p)
        for y in range(data.base_year, data.last_year + 1)
        for g in sorted(data.need_groups["need_group"])
        for p in sorted(data.phases["phase"])
    ]
    missing = [k for k in wanted if k not in have]
    if missing:
        y, g, p = missing[0]
        findings.add(
            DataError(
                file,
                f"no row for year {y}, need group {g}, phase {p} ({len(missing)} rows missing)",
                "give a share for every year from the base year to the last year of plans.csv",
                column="year",
            )  # fmt: skip
        )
    base = base_specialist_share(data)
    rows = ss[ss["year"] == data.base_year].reset_index(drop=True)
    expect = pd.Series([base.get((g, p), 0.0) for g, p in zip(rows["need_group"], rows["phase"], strict=True)])
    row_problems(
        findings,
        file,
        rows,
        (rows["share"] - expect).abs() > TOLERANCE,
        key="need_group",
        column="share",
        problem=lambda r: (
            f"the base-year share of {r['need_group']}, {r['phase']} is {r['share']:.4f} but base_placements.csv "
            f"gives {expect[r.name]:.4f}"
        ),
        fix="make the base year's share the base placements' (the base year is observed)",
    )


def check_futures(data: PlanningData, futures: pd.DataFrame, findings: Findings) -> None:
    """futures.csv is checked as plans.csv is (need groups, phases, years, the stay rate), and its base year
    equals plans.csv's."""
    file = schema.FUTURES.file
    refs(findings, file, futures, "need_group", set(data.need_groups["need_group"]), "need group", "need_groups.csv")
    refs(findings, file, futures, "phase", set(data.phases["phase"]), "phase", "phases.csv")
    if findings.has_problems(file):
        return
    check_plans(data, findings, futures, file)
    base = data.plans[data.plans["year"] == data.base_year]
    base = base[base["scenario"] == sorted(base["scenario"])[0]].set_index(["need_group", "phase"])["plans"]
    rows = futures[futures["year"] == data.base_year].reset_index(drop=True)
    expect = base.reindex(pd.MultiIndex.from_frame(rows[["need_group", "phase"]])).to_numpy()
    row_problems(
        findings,
        file,
        rows,
        ~(np.abs(rows["plans"].to_numpy() - expect) <= TOLERANCE),
        key="scenario",
        column="plans",
        problem=lambda r: f"the base-year plans of {r['need_group']}, {r['phase']} differ from plans.csv's",
        fix="give every future the base year of plans.csv (the base year is observed)",
    )
