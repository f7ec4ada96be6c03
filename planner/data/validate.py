"""Checks across the files of a data folder: references, coverage, geography, and base-year reconciliation.

Each failed check raises one DataError naming the file, the row or column and the fix. Softer findings are
returned as warning messages (printed by the caller), never raised.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from planner.data import schema
from planner.data.errors import DataError
from planner.data.tables import PlanningData

COUNTY_BUFFER_M = 2_000.0  # settings on the coast or the boundary line count as inside


def _first(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0])


def _check_refs(df: pd.DataFrame, spec: schema.TableSpec, column: str, known: set[str], what: str, where: str) -> None:
    for i, value in enumerate(df[column]):
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if v not in known:
                key = ", ".join(f"{k} '{df.iloc[i][k]}'" for k in spec.key if k in df.columns) or None
                raise DataError(
                    spec.file,
                    f"unknown {what} '{v}'",
                    f"use one of {', '.join(sorted(known))} (as in {where}), or add it there",
                    row=i + 2,
                    row_id=key,
                    column=column,
                )


def validate_data(data: PlanningData) -> list[str]:
    """Raise DataError for the first inconsistency; return warnings."""
    warns: list[str] = []
    groups = set(data.need_groups["need_group"])
    phases = set(data.phases["phase"])
    ptypes = set(data.placement_types["placement_type"])
    districts = set(data.districts["district_id"])

    for name, why in schema.REQUIRED_PARAMETERS.items():
        if name not in data.parameters.index:
            raise DataError(
                "parameters.csv",
                f"the parameter '{name}' is missing ({why})",
                f"add a row with name '{name}' and its value",
                column="name",
            )
    base = data.base_year

    # phases
    ph = data.phases
    bad = ph["min_age"] > ph["max_age"]
    if bad.any():
        i = _first(bad)
        raise DataError(
            "phases.csv",
            "min_age is above max_age",
            "swap or correct the ages",
            row=i + 2,
            row_id=f"phase '{ph['phase'].iloc[i]}'",
            column="min_age",
        )
    bad = ph["placed_by_model"] & ph["max_journey_km"].isna()
    if bad.any():
        i = _first(bad)
        raise DataError(
            "phases.csv",
            "a phase the model places has no max_journey_km",
            "give the longest reasonable journey in road km",
            row=i + 2,
            row_id=f"phase '{ph['phase'].iloc[i]}'",
            column="max_journey_km",
        )

    # references
    _check_refs(data.plans, schema.PLANS, "need_group", groups, "need group", "need_groups.csv")
    _check_refs(data.plans, schema.PLANS, "phase", phases, "phase", "phases.csv")
    bp = data.base_placements
    _check_refs(bp, schema.BASE_PLACEMENTS, "need_group", groups, "need group", "need_groups.csv")
    _check_refs(bp, schema.BASE_PLACEMENTS, "phase", phases, "phase", "phases.csv")
    _check_refs(bp, schema.BASE_PLACEMENTS, "placement_type", ptypes, "placement type", "placement_types.csv")
    for key, spec in (("settings", schema.SETTINGS), ("commitments", schema.COMMITMENTS), ("options", schema.OPTIONS)):
        _check_refs(getattr(data, key), spec, "needs", groups, "need group", "need_groups.csv")
    spec_types = set(data.specialist_types)
    unknown = spec_types - set(schema.SETTING_TYPES)
    if unknown:
        raise DataError(
            "placement_types.csv",
            f"specialist placement type(s) {sorted(unknown)} are not setting types",
            f"mark only {', '.join(schema.SETTING_TYPES)} as specialist",
            column="specialist",
        )
    for st in sorted(
        set(data.settings["setting_type"]) | set(data.options["setting_type"]) | set(data.commitments["setting_type"])
    ):
        if st not in set(data.unit_costs["setting_type"]):
            raise DataError(
                "unit_costs.csv",
                f"no unit costs for setting type '{st}'",
                f"add a row for '{st}' with place_funding and top_up",
                column="setting_type",
            )

    _check_plans(data, groups, base)
    _check_base_placements(data, base)
    warns += _check_settings(data, districts)
    _check_projects(data, districts, base)
    _check_money(data, base)
    _check_reconciliation(data)
    return warns


def _check_plans(data: PlanningData, groups: set[str], base: int) -> None:
    plans = data.plans
    placed = set(data.placed_phases)
    years = sorted(plans["year"].unique())
    if base not in years:
        raise DataError(
            "plans.csv", f"no rows for the base year {base}", f"add the {base} census counts", column="year"
        )
    expected = list(range(base, max(years) + 1))
    all_phases = sorted(set(data.phases["phase"]))
    for scen, df in plans.groupby("scenario", sort=True):
        have = set(zip(df["year"], df["need_group"], df["phase"], strict=True))
        for y in expected:
            for g in sorted(groups):
                for p in all_phases:
                    if (y, g, p) not in have:
                        raise DataError(
                            "plans.csv",
                            f"scenario '{scen}' has no row for year {y}, need group {g}, phase {p}",
                            "add the row (0 if there are no such children)",
                            column="year",
                        )
    stay = data.phases.set_index("phase")["stay_rate"]
    p = plans[plans["phase"].isin(placed)].sort_values(["scenario", "need_group", "phase", "year"])
    prev = p.groupby(["scenario", "need_group", "phase"])["plans"].shift()
    short = p["plans"] < p["phase"].map(stay) * prev - 1e-6
    if short.any():
        i = p.index[_first(short)]
        r = plans.loc[i]
        raise DataError(
            "plans.csv",
            f"plans fall from {prev.loc[i]:.1f} to {r['plans']:.1f} "
            f"({r['scenario']}, {r['need_group']}, {r['phase']}), "
            f"faster than the phase's stay rate {stay[r['phase']]:.3f} allows: children already placed could not "
            "all stay",
            "check the projection, or lower stay_rate for the phase in phases.csv",
            row=int(i) + 2,
            column="plans",
        )


def _check_base_placements(data: PlanningData, base: int) -> None:
    bp = data.base_placements
    tot = bp.groupby(["need_group", "phase"])["pupils"].sum()
    b = data.plans[data.plans["year"] == base]
    for scen, df in b.groupby("scenario"):
        plans = df.set_index(["need_group", "phase"])["plans"]
        diff = (tot.reindex(plans.index).fillna(0) - plans).abs()
        bad = diff > 5e-4  # the base year is observed: placements and plans are the same children
        if bad.any():
            g, p = diff[bad].index[0]
            raise DataError(
                "base_placements.csv",
                f"pupils of need group {g}, phase {p} add to {tot.get((g, p), 0):.3f} across placement "
                f"types but plans.csv ({scen}, {base}) has {plans[(g, p)]:.3f}",
                "make the base year's placements add up to the base year's plans",
                column="pupils",
            )
    spec = bp[bp["placement_type"].isin(data.specialist_types)].groupby("placement_type")["pupils"].sum()
    st = data.settings.groupby("setting_type")["base_pupils"].sum()
    for t in data.specialist_types:
        a, s = float(spec.get(t, 0.0)), float(st.get(t, 0.0))
        if abs(a - s) > 1.0:
            raise DataError(
                "settings.csv",
                f"base_pupils of '{t}' settings add to {s:.1f} but base_placements.csv "
                f"has {a:.1f} pupils in '{t}' placements",
                "make the settings' base pupils add up to the county count (or correct base_placements.csv)",
                column="base_pupils",
            )


def _county(data: PlanningData):
    import shapely

    county = data.districts.geometry.union_all()
    shapely.prepare(county)
    return county


def _check_location(
    df: pd.DataFrame, file: str, key: str, county, districts: set[str], ooc: pd.Series | None = None
) -> None:
    import shapely

    is_ooc = ooc if ooc is not None else pd.Series(False, index=df.index)
    for i in range(len(df)):
        r = df.iloc[i]
        rid = f"{key} '{r[key]}'"
        if is_ooc.iloc[i]:
            continue
        if pd.isna(r["x"]):
            raise DataError(
                file,
                "no lon/lat for a setting in the county",
                "give lon and lat (WGS84 degrees), or set out_of_county to true with journey_km",
                row=i + 2,
                row_id=rid,
                column="lon" if pd.isna(r["lon"]) else "lat",
            )
        if not shapely.dwithin(county, shapely.points(r["x"], r["y"]), COUNTY_BUFFER_M):
            raise DataError(
                file,
                f"the point ({r['lon']:.5f}, {r['lat']:.5f}) lies outside the county's districts "
                "but the row is not marked out of county",
                "correct lon/lat, or (in settings.csv) set out_of_county to true",
                row=i + 2,
                row_id=rid,
                column="out_of_county" if ooc is not None else "lon",
            )
        if r["district_id"] not in districts:
            raise DataError(
                file,
                f"district_id '{r['district_id']}' is not in districts.geojson",
                "use one of the district ids in districts.geojson",
                row=i + 2,
                row_id=rid,
                column="district_id",
            )


def _check_ages(df: pd.DataFrame, file: str, key: str) -> None:
    bad = df["min_age"] > df["max_age"]
    if bad.any():
        i = _first(bad)
        raise DataError(
            file,
            "min_age is above max_age",
            "correct the age range",
            row=i + 2,
            row_id=f"{key} '{df[key].iloc[i]}'",
            column="min_age",
        )


def _check_settings(data: PlanningData, districts: set[str]) -> list[str]:
    s = data.settings
    warns = []
    _check_ages(s, "settings.csv", "setting_id")
    county = _county(data)
    _check_location(s, "settings.csv", "setting_id", county, districts, s["out_of_county"])
    for i in range(len(s)):
        r = s.iloc[i]
        rid = f"setting_id '{r['setting_id']}'"
        if r["out_of_county"] and pd.isna(r["x"]) and pd.isna(r["journey_km"]):
            raise DataError(
                "settings.csv",
                "an out-of-county setting has neither lon/lat nor journey_km",
                "give the average journey in road km (journey_km) or the setting's lon/lat",
                row=i + 2,
                row_id=rid,
                column="journey_km",
            )
        if pd.isna(r["places"]) and not r["out_of_county"]:
            raise DataError(
                "settings.csv",
                "places is empty for a setting in the county (only the out-of-county "
                "fallback may have unlimited places)",
                "give the number of places",
                row=i + 2,
                row_id=rid,
                column="places",
            )
        if pd.notna(r["places"]) and r["base_pupils"] > r["places"] + 1e-9:
            warns.append(
                f"settings.csv, row {i + 2} ({rid}): {r['base_pupils']:g} pupils in the base year but "
                f"only {r['places']:g} places; places below the current roll"
            )
    # a fallback with unlimited places must take every need group in every phase the model places
    fb = s[s["places"].isna()]
    ph = data.phases.set_index("phase")
    for p in data.placed_phases:
        for g in data.need_groups["need_group"]:
            ok = any(
                g in r.needs and r.min_age <= ph.loc[p, "max_age"] and r.max_age >= ph.loc[p, "min_age"]
                for r in fb.itertuples()
            )
            if not ok:
                raise DataError(
                    "settings.csv",
                    f"no setting with unlimited places (the out-of-county fallback) takes "
                    f"need group {g} in phase {p}, so some children might have nowhere to go",
                    "add an out-of-county setting with empty places that takes every need group and age",
                    column="places",
                )
    return warns


def _check_projects(data: PlanningData, districts: set[str], base: int) -> None:
    s_ids = set(data.settings["setting_id"])
    c = data.commitments
    _check_ages(c, "commitments.csv", "project_id")
    county = _county(data)
    _check_location(c, "commitments.csv", "project_id", county, districts)
    for i in range(len(c)):
        r = c.iloc[i]
        rid = f"project_id '{r['project_id']}'"
        if r["project_type"] == "expansion" and r["setting_id"] not in s_ids:
            raise DataError(
                "commitments.csv",
                f"the expansion's setting_id '{r['setting_id']}' is not in settings.csv",
                "use the setting_id of the school being expanded",
                row=i + 2,
                row_id=rid,
                column="setting_id",
            )
        if r["project_type"] != "expansion" and r["setting_id"] in s_ids:
            raise DataError(
                "commitments.csv",
                f"a new setting reuses the setting_id '{r['setting_id']}' of an existing setting",
                "give the new setting its own id (or make it an expansion)",
                row=i + 2,
                row_id=rid,
                column="setting_id",
            )
        if r["opening_year"] <= base:
            raise DataError(
                "commitments.csv",
                f"opening_year {r['opening_year']} is not after the base year {base}",
                f"put places open by the base year into settings.csv; commitments open in {base + 1} or later",
                row=i + 2,
                row_id=rid,
                column="opening_year",
            )
    o = data.options
    _check_ages(o, "options.csv", "option_id")
    _check_location(o, "options.csv", "option_id", county, districts)
    c_ids = set(c["setting_id"])
    for i in range(len(o)):
        r = o.iloc[i]
        rid = f"option_id '{r['option_id']}'"
        if r["option_type"] == "expansion" and (r["setting_id"] is None or r["setting_id"] not in s_ids | c_ids):
            raise DataError(
                "options.csv",
                f"the expansion's setting_id '{r['setting_id']}' is not in settings.csv",
                "use the setting_id of the school to expand",
                row=i + 2,
                row_id=rid,
                column="setting_id",
            )
        if r["earliest_start"] <= base:
            raise DataError(
                "options.csv",
                f"earliest_start {r['earliest_start']} is not after the base year {base}",
                f"give {base + 1} or later",
                row=i + 2,
                row_id=rid,
                column="earliest_start",
            )
    sizes = data.option_sizes
    unknown = ~sizes["option_id"].isin(o["option_id"])
    if unknown.any():
        i = _first(unknown)
        raise DataError(
            "option_sizes.csv",
            f"option_id '{sizes['option_id'].iloc[i]}' is not in options.csv",
            "use an option_id from options.csv, or add the option",
            row=i + 2,
            column="option_id",
        )
    no_size = ~o["option_id"].isin(sizes["option_id"])
    if no_size.any():
        i = _first(no_size)
        raise DataError(
            "options.csv",
            "the option has no sizes in option_sizes.csv",
            "add at least one row (places, capital_cost) for it to option_sizes.csv",
            row=i + 2,
            row_id=f"option_id '{o['option_id'].iloc[i]}'",
            column="option_id",
        )


def _check_money(data: PlanningData, base: int) -> None:
    last = data.last_year
    inc = data.income
    lines = sorted(inc["line"].unique())
    have = set(zip(inc["year"], inc["line"], strict=True))
    for y in range(base, last + 1):
        for line in lines:
            if (y, line) not in have:
                raise DataError(
                    "income.csv",
                    f"the budget year {y} has no '{line}' row",
                    f"add a row for year {y}, line '{line}' (0 if there is no such income that year)",
                    column="year",
                )
    cap = set(data.capital_budget["year"])
    for y in range(base + 1, last + 1):
        if y not in cap:
            raise DataError(
                "capital_budget.csv",
                f"the budget year {y} is missing",
                f"add a row for year {y} (0 if no capital is available)",
                column="year",
            )


def _base_spending(data: PlanningData) -> float:
    s = data.settings
    uc = data.unit_costs.set_index("setting_type")
    placed = float(
        (s["places"].fillna(0) * s["setting_type"].map(uc["place_funding"])).sum()
        + (s["base_pupils"] * s["setting_type"].map(uc["top_up"])).sum()
    )
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


def _check_reconciliation(data: PlanningData) -> None:
    rec = data.reconciliation
    for i in range(len(rec)):
        r = rec.iloc[i]
        rid = f"measure '{r['measure']}'"
        if r["measure"] not in MEASURES:
            raise DataError(
                "reconciliation.csv",
                f"unknown measure '{r['measure']}'",
                f"use one of {', '.join(MEASURES)}",
                row=i + 2,
                row_id=rid,
                column="measure",
            )
        value = MEASURES[r["measure"]](data)
        pub = float(r["published_value"])
        gap = abs(value - pub) / abs(pub) * 100 if pub else abs(value) * 100
        if gap > r["tolerance_pct"]:
            raise DataError(
                "reconciliation.csv",
                f"the data give {value:,.1f} ({r['data_value_is']}) against the published {pub:,.1f}, "
                f"{gap:.1f}% apart (tolerance {r['tolerance_pct']:g}%)",
                "correct the data files, or the published figure if it is wrong",
                row=i + 2,
                row_id=rid,
                column="published_value",
            )


def reconciliation_table(data: PlanningData) -> pd.DataFrame:
    """The base-year reconciliation as a table (for reports)."""
    rows = []
    for r in data.reconciliation.itertuples():
        value = MEASURES[r.measure](data)
        rows.append(
            dict(
                measure=r.measure,
                data_value=value,
                published_value=r.published_value,
                gap_pct=abs(value - r.published_value) / abs(r.published_value) * 100,
                tolerance_pct=r.tolerance_pct,
                source=r.source,
            )
        )
    return pd.DataFrame(rows)
