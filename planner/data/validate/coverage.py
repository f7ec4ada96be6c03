"""Checks that the tables cover each other: parameters, phases, references, plans and placements, money by year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.data import schema
from planner.data.errors import DataError, Findings
from planner.data.tables import PlanningData
from planner.data.validate.rows import refs, row_problems


def check_parameters(data: PlanningData, findings: Findings) -> None:
    params = data.parameters
    for name, why in schema.REQUIRED_PARAMETERS.items():
        if name not in params.index:
            findings.add(
                DataError(
                    "parameters.csv",
                    f"the parameter '{name}' is missing ({why})",
                    f"add a row with name '{name}' and its value",
                    column="name",
                )
            )
    rows = pd.DataFrame({"name": params.index, "value": params.to_numpy(dtype=float)})
    lo = rows["name"].map(lambda n: schema.PARAMETER_RANGES.get(n, (-np.inf, np.inf))[0])
    hi = rows["name"].map(lambda n: schema.PARAMETER_RANGES.get(n, (-np.inf, np.inf))[1])
    row_problems(
        findings,
        "parameters.csv",
        rows,
        (rows["value"] < lo) | (rows["value"] > hi),
        key="name",
        column="value",
        problem=lambda r: (
            f"{r['value']:g} is outside the plausible range "
            f"{schema.PARAMETER_RANGES[r['name']][0]:g} to {schema.PARAMETER_RANGES[r['name']][1]:g}"
        ),
        fix="correct the value (rates are shares: write 0.035 for 3.5%; see docs/data.md)",
    )


def check_phases(data: PlanningData, findings: Findings) -> None:
    ph = data.phases
    row_problems(
        findings,
        "phases.csv",
        ph,
        ph["min_age"] > ph["max_age"],
        key="phase",
        column="min_age",
        problem="min_age is above max_age",
        fix="swap or correct the ages",
    )
    row_problems(
        findings,
        "phases.csv",
        ph,
        ph["placed_by_model"] & ph["max_journey_km"].isna(),
        key="phase",
        column="max_journey_km",
        problem="a phase the model places has no max_journey_km",
        fix="give the longest reasonable journey in road km",
    )


def check_references(data: PlanningData, findings: Findings) -> None:
    groups = set(data.need_groups["need_group"])
    phases = set(data.phases["phase"])
    for df, spec in ((data.plans, schema.PLANS), (data.base_placements, schema.BASE_PLACEMENTS)):
        refs(findings, spec.file, df, "need_group", groups, "need group", "need_groups.csv")
        refs(findings, spec.file, df, "phase", phases, "phase", "phases.csv")
    ptypes = set(data.placement_types["placement_type"])
    bp = data.base_placements
    refs(findings, schema.BASE_PLACEMENTS.file, bp, "placement_type", ptypes, "placement type", "placement_types.csv")
    for df, spec in (
        (data.settings, schema.SETTINGS),
        (data.commitments, schema.COMMITMENTS),
        (data.options, schema.OPTIONS),
    ):
        refs(findings, spec.file, df, "needs", groups, "need group", "need_groups.csv", spec.key)
    unknown = set(data.specialist_types) - set(schema.SETTING_TYPES)
    if unknown:
        findings.add(
            DataError(
                "placement_types.csv",
                f"specialist placement type(s) {sorted(unknown)} are not setting types",
                f"mark only {', '.join(schema.SETTING_TYPES)} as specialist",
                column="specialist",
            )
        )
    costed = set(data.unit_costs["setting_type"])
    for st in sorted(
        set(data.settings["setting_type"]) | set(data.options["setting_type"]) | set(data.commitments["setting_type"])
    ):
        if st not in costed:
            findings.add(
                DataError(
                    "unit_costs.csv",
                    f"no unit costs for setting type '{st}'",
                    f"add a row for '{st}' with place_funding and top_up",
                    column="setting_type",
                )
            )


def check_plans(
    data: PlanningData, findings: Findings, plans: pd.DataFrame | None = None, file: str = "plans.csv"
) -> None:
    """Every projection (of plans.csv, or of another table in its format) covers the base year to the last year for
    every need group and phase, and in the placed phases never falls faster than the phase's stay rate."""
    plans = data.plans if plans is None else plans
    base = data.base_year
    years = sorted(plans["year"].unique())
    if base not in years:
        findings.add(
            DataError(file, f"no rows for the base year {base}", f"add the {base} census counts", column="year")
        )
        return
    wanted = pd.MultiIndex.from_product(
        [range(base, max(years) + 1), sorted(data.need_groups["need_group"]), sorted(data.phases["phase"])]
    )
    for scen, df in plans.groupby("scenario", sort=True):
        have = set(zip(df["year"], df["need_group"], df["phase"], strict=True))
        missing = [k for k in wanted if k not in have]
        for y, g, p in missing[:1]:
            findings.add(
                DataError(
                    file,
                    f"scenario '{scen}' has no row for year {y}, need group {g}, phase {p}",
                    "add the row (0 if there are no such children)",
                    column="year",
                )
            )
    stay = data.phases.set_index("phase")["stay_rate"]
    p = plans[plans["phase"].isin(data.placed_phases)].sort_values(["scenario", "need_group", "phase", "year"])
    prev = p.groupby(["scenario", "need_group", "phase"])["plans"].shift()
    short = (p["plans"] < p["phase"].map(stay) * prev - 1e-6).reindex(plans.index, fill_value=False)
    row_problems(
        findings,
        file,
        plans,
        short,
        key=None,
        column="plans",
        problem=lambda r: (
            f"plans fall from {prev.loc[r.name]:.1f} to {r['plans']:.1f} ({r['scenario']}, "
            f"{r['need_group']}, {r['phase']}), faster than the phase's stay rate {stay[r['phase']]:.3f} allows: "
            "children already placed could not all stay"
        ),
        fix="check the projection, or lower stay_rate for the phase in phases.csv",
    )


def check_base_placements(data: PlanningData, findings: Findings) -> None:
    bp, base = data.base_placements, data.base_year
    tot = bp.groupby(["need_group", "phase"])["pupils"].sum()
    for scen, df in data.plans[data.plans["year"] == base].groupby("scenario"):
        plans = df.set_index(["need_group", "phase"])["plans"]
        diff = (tot.reindex(plans.index).fillna(0) - plans).abs()
        bad = diff > 5e-4  # the base year is observed: placements and plans are the same children
        if bad.any():
            g, p = diff[bad].index[0]
            findings.add(
                DataError(
                    "base_placements.csv",
                    f"pupils of need group {g}, phase {p} add to "
                    f"{tot.get((g, p), 0):.3f} across placement types but plans.csv ({scen}, {base}) "
                    f"has {plans[(g, p)]:.3f}",
                    "make the base year's placements add up to the base year's plans",
                    column="pupils",
                )
            )
    spec = bp[bp["placement_type"].isin(data.specialist_types)].groupby("placement_type")["pupils"].sum()
    st = data.settings.groupby("setting_type")["base_pupils"].sum()
    for t in data.specialist_types:
        a, s = float(spec.get(t, 0.0)), float(st.get(t, 0.0))
        if abs(a - s) > 1.0:
            findings.add(
                DataError(
                    "settings.csv",
                    f"base_pupils of '{t}' settings add to {s:.1f} but "
                    f"base_placements.csv has {a:.1f} pupils in '{t}' placements",
                    "make the settings' base pupils add up to the county count (or correct base_placements.csv)",
                    column="base_pupils",
                )
            )


def check_money(data: PlanningData, findings: Findings) -> None:
    base, last = data.base_year, data.last_year
    inc = data.income
    have = set(zip(inc["year"], inc["line"], strict=True))
    missing = [
        (y, line) for y in range(base, last + 1) for line in sorted(inc["line"].unique()) if (y, line) not in have
    ]
    for y, line in missing[:1]:
        findings.add(
            DataError(
                "income.csv",
                f"the budget year {y} has no '{line}' row",
                f"add a row for year {y}, line '{line}' (0 if there is no such income that year)",
                column="year",
            )
        )
    cap = set(data.capital_budget["year"])
    for y in [y for y in range(base + 1, last + 1) if y not in cap][:1]:
        findings.add(
            DataError(
                "capital_budget.csv",
                f"the budget year {y} is missing",
                f"add a row for year {y} (0 if no capital is available)",
                column="year",
            )
        )
