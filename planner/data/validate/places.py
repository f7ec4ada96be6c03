"""Checks of settings, commitments and options: locations in the county, ages, references, sizes and costs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from planner.data import schema
from planner.data.errors import DataError, Findings
from planner.data.tables import PlanningData
from planner.data.validate.rows import row_problems

COUNTY_BUFFER_M = 2_000.0  # settings on the coast or the boundary line count as inside


def county_shape(data: PlanningData) -> shapely.Geometry:
    county = data.districts.geometry.union_all()
    shapely.prepare(county)
    return county


def _locations(
    findings: Findings,
    df: pd.DataFrame,
    spec: schema.TableSpec,
    county: shapely.Geometry,
    districts: set[str],
    ooc: pd.Series | None = None,
) -> None:
    """Rows in the county have a point inside it and a known district."""
    file, key = spec.file, spec.key[0]
    inside = ~(ooc if ooc is not None else pd.Series(False, index=df.index)).to_numpy(dtype=bool)
    no_point = inside & df["x"].isna().to_numpy()
    row_problems(
        findings,
        file,
        df,
        no_point & df["lon"].isna().to_numpy(),
        key=key,
        column="lon",
        problem="no lon/lat for a setting in the county",
        fix="give lon and lat (WGS84 degrees)"
        + (", or set out_of_county to true with journey_km" if ooc is not None else ""),
    )
    row_problems(
        findings,
        file,
        df,
        no_point & df["lon"].notna().to_numpy(),
        key=key,
        column="lat",
        problem="no lon/lat for a setting in the county",
        fix="give lon and lat (WGS84 degrees)",
    )
    has = inside & ~no_point
    pts = shapely.points(df["x"].fillna(0).to_numpy(), df["y"].fillna(0).to_numpy())
    outside = has & ~shapely.dwithin(county, pts, COUNTY_BUFFER_M)
    row_problems(
        findings,
        file,
        df,
        outside,
        key=key,
        column="out_of_county" if ooc is not None else "lon",
        problem=lambda r: (
            f"the point ({r['lon']:.5f}, {r['lat']:.5f}) lies outside the county's districts"
            + (" but the row is not marked out of county" if ooc is not None else "")
        ),
        fix="correct lon/lat, or set out_of_county to true"
        if ooc is not None
        else "correct lon/lat: options and commitments are in the county",
    )
    unknown = has & ~outside & ~df["district_id"].isin(districts).to_numpy()
    row_problems(
        findings,
        file,
        df,
        unknown,
        key=key,
        column="district_id",
        problem=lambda r: f"district_id '{r['district_id']}' is not in districts.geojson",
        fix="use one of the district ids in districts.geojson",
    )


def _ages_and_places(findings: Findings, df: pd.DataFrame, spec: schema.TableSpec, places: str | None) -> None:
    key = spec.key[0]
    if places:
        v = df[places]
        row_problems(
            findings,
            spec.file,
            df,
            v.notna() & (v != v.round()),
            key=key,
            column=places,
            problem=lambda r: f"{r[places]:g} is not a whole number of places",
            fix="give whole places",
        )
    row_problems(
        findings,
        spec.file,
        df,
        df["min_age"] > df["max_age"],
        key=key,
        column="min_age",
        problem="min_age is above max_age",
        fix="correct the age range",
    )
    if places:
        row_problems(
            findings,
            spec.file,
            df,
            df[places] > schema.MAX_PLACES,
            key=key,
            column=places,
            problem=lambda r: f"{r[places]:g} places is more than any school has ({schema.MAX_PLACES:g})",
            fix="correct the number of places",
        )


def check_settings(data: PlanningData, findings: Findings, county: shapely.Geometry, districts: set[str]) -> None:
    s, spec, key = data.settings, schema.SETTINGS, "setting_id"
    _ages_and_places(findings, s, spec, "places")
    _locations(findings, s, spec, county, districts, s["out_of_county"])
    row_problems(
        findings,
        spec.file,
        s,
        s["out_of_county"] & s["x"].isna() & s["journey_km"].isna(),
        key=key,
        column="journey_km",
        problem="an out-of-county setting has neither lon/lat nor journey_km",
        fix="give the average journey in road km (journey_km) or the setting's lon/lat",
    )
    row_problems(
        findings,
        spec.file,
        s,
        s["places"].isna() & ~s["out_of_county"],
        key=key,
        column="places",
        problem="places is empty for a setting in the county (only the out-of-county fallback may have "
        "unlimited places)",
        fix="give the number of places",
    )
    over = s["places"].notna() & (s["base_pupils"] > s["places"] + 1e-9)
    for i in np.flatnonzero(over.to_numpy()):
        r = s.iloc[i]
        findings.warn(
            f"settings.csv, row {i + 2} (setting_id '{r['setting_id']}'): {r['base_pupils']:g} pupils in "
            f"the base year but only {r['places']:g} places; places below the current roll"
        )
    # a fallback with unlimited places must take every need group in every phase the model places
    fb = s[s["places"].isna()]
    ph = data.phases.set_index("phase")
    for p in data.placed_phases:
        for g in data.need_groups["need_group"]:
            if not any(
                g in r.needs and r.min_age <= ph.loc[p, "max_age"] and r.max_age >= ph.loc[p, "min_age"]
                for r in fb.itertuples()
            ):
                findings.add(
                    DataError(
                        "settings.csv",
                        f"no setting with unlimited places (the out-of-county "
                        f"fallback) takes need group {g} in phase {p}, so some children might have "
                        "nowhere to go",
                        "add an out-of-county setting with empty places that takes every need group and age",
                        column="places",
                    )
                )
                return


def check_commitments(data: PlanningData, findings: Findings, county: shapely.Geometry, districts: set[str]) -> None:
    c, spec, key = data.commitments, schema.COMMITMENTS, "project_id"
    base, last = data.base_year, data.last_year
    s_ids = set(data.settings["setting_id"])
    _ages_and_places(findings, c, spec, "places")
    _locations(findings, c, spec, county, districts)
    expansion = c["project_type"] == "expansion"
    new_settings = set(c.loc[~expansion, "setting_id"])  # a school opening in phases: its later phases expand it
    row_problems(
        findings,
        spec.file,
        c,
        expansion & ~c["setting_id"].isin(s_ids | new_settings),
        key=key,
        column="setting_id",
        problem=lambda r: (
            f"the expansion's setting_id '{r['setting_id']}' is not in settings.csv or a new setting of commitments.csv"
        ),
        fix="use the setting_id of the school being expanded",
    )
    row_problems(
        findings,
        spec.file,
        c,
        ~expansion & c["setting_id"].isin(s_ids),
        key=key,
        column="setting_id",
        problem=lambda r: f"a new setting reuses the setting_id '{r['setting_id']}' of an existing setting",
        fix="give the new setting its own id (or make it an expansion)",
    )
    row_problems(
        findings,
        spec.file,
        c,
        c["opening_year"] <= base,
        key=key,
        column="opening_year",
        problem=lambda r: f"opening_year {r['opening_year']} is not after the base year {base}",
        fix=f"put places open by the base year into settings.csv; commitments open in {base + 1} or later",
    )
    row_problems(
        findings,
        spec.file,
        c,
        c["opening_year"] > last,
        key=key,
        column="opening_year",
        problem=lambda r: (
            f"opening_year {r['opening_year']} is after the last planning year {last} (the "
            "last year of plans.csv): the commitment would never open"
        ),
        fix=f"give a year up to {last}",
    )


def check_options(data: PlanningData, findings: Findings, county: shapely.Geometry, districts: set[str]) -> None:
    o, spec, key = data.options, schema.OPTIONS, "option_id"
    base = data.base_year
    _ages_and_places(findings, o, spec, None)
    _locations(findings, o, spec, county, districts)
    known = set(data.settings["setting_id"]) | set(data.commitments["setting_id"])
    row_problems(
        findings,
        spec.file,
        o,
        (o["option_type"] == "expansion") & ~o["setting_id"].isin(known),
        key=key,
        column="setting_id",
        problem=lambda r: f"the expansion's setting_id '{r['setting_id']}' is not in settings.csv",
        fix="use the setting_id of the school to expand",
    )
    row_problems(
        findings,
        spec.file,
        o,
        o["earliest_start"] <= base,
        key=key,
        column="earliest_start",
        problem=lambda r: f"earliest_start {r['earliest_start']} is not after the base year {base}",
        fix=f"give {base + 1} or later",
    )
    sizes = data.option_sizes
    row_problems(
        findings,
        "option_sizes.csv",
        sizes,
        ~sizes["option_id"].isin(o["option_id"]),
        key=None,
        column="option_id",
        problem=lambda r: f"option_id '{r['option_id']}' is not in options.csv",
        fix="use an option_id from options.csv, or add the option",
    )
    row_problems(
        findings,
        spec.file,
        o,
        ~o["option_id"].isin(sizes["option_id"]),
        key=key,
        column="option_id",
        problem="the option has no sizes in option_sizes.csv",
        fix="add at least one row (places, capital_cost) for it to option_sizes.csv",
    )
    row_problems(
        findings,
        "option_sizes.csv",
        sizes,
        sizes["places"] > schema.MAX_PLACES,
        key="option_id",
        column="places",
        problem=lambda r: f"{r['places']:g} places is more than any school has ({schema.MAX_PLACES:g})",
        fix="correct the number of places",
    )
    row_problems(
        findings,
        "option_sizes.csv",
        sizes,
        sizes["places"] != sizes["places"].round(),
        key="option_id",
        column="places",
        problem=lambda r: f"{r['places']:g} is not a whole number of places",
        fix="give whole places",
    )
    ordered = sizes.reset_index().sort_values(["option_id", "places"])
    cheaper = ordered["capital_cost"] < ordered.groupby("option_id")["capital_cost"].shift() - 1e-6
    mask = pd.Series(False, index=sizes.index)
    mask[ordered.loc[cheaper, "index"]] = True
    row_problems(
        findings,
        "option_sizes.csv",
        sizes,
        mask,
        key="option_id",
        column="capital_cost",
        problem=lambda r: (
            f"{r['places']:g} places cost less capital ({r['capital_cost']:,.0f}) than a smaller "
            "size of the same option"
        ),
        fix="make capital_cost rise with places",
    )
