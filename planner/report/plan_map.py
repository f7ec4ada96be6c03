"""plan.png: the plan on one A4 map, from a run's tidy tables and the geography (never the model or a data
folder): existing provision, committed projects and the new projects the plan builds, sized by places,
coloured by opening year and numbered (big ones named), zones shaded by unmet local need; Norwich enlarged."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.axes import Axes

from planner.data.schema import SETTING_TYPES
from planner.formats import year_label
from planner.report.mapkit import MapLayout, district_inset, finish_map, new_map, save_map
from planner.report.mapkit.furniture import footer_notes
from planner.report.mapkit.labels import label_points
from planner.report.plan_layers import PlanStyle, UnmetShading, plan_layers, prepare_projects, site_labels
from planner.report.summaries import existing_settings, zone_measures

if TYPE_CHECKING:
    from planner.data import Geography


def plan_notes(projects: pd.DataFrame, last_year: int, existing: pd.DataFrame) -> list[str]:
    """What the plan builds, how to read the numbers, and the settings the map cannot show."""
    opt = projects[projects["kind"] == "option"]
    com = projects[projects["kind"] == "commitment"]
    grow = opt[(opt["places"] - opt["places_at_opening"]).abs() > 0.5]
    notes = [
        f"The plan builds {len(opt)} new projects ({opt['places'].sum():,.0f} places by {year_label(last_year)}) "
        f"besides {len(com)} committed projects ({com['places'].sum():,.0f} places). Markers show places in the "
        f"last year; {len(grow)} resource bases or AP open smaller and grow.",
        "Numbers are project references: the projects table in report.html and plan.xlsx lists every project "
        "with its places by year and capital cost.",
    ]
    ooc = existing[existing["out_of_county"].astype(bool)] if len(existing) else existing
    if len(ooc):
        notes.append(
            f"Not on the map: {len(ooc)} out-of-county settings, with {ooc['pupils'].sum():,.0f} Norfolk pupils "
            "in the base year."
        )
    return notes


def settings_of_year(sby: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every setting of `year`, in the county or out of it (settings_by_year rows)."""
    s = sby[sby["year"] == year]
    return s[s["setting_type"].isin(SETTING_TYPES)]


def _label_plan(ax: Axes, layout: MapLayout, projects: pd.DataFrame) -> None:
    """Number the projects: those in the inset's area on the inset, the others on the map."""
    labels = site_labels(projects)
    outside = labels
    if layout.inset_ax is not None:
        iax = layout.inset_ax
        (ix0, ix1), (iy0, iy1) = iax.get_xlim(), iax.get_ylim()
        label_points(iax, labels, fontsize=6.5, within=(ix0, iy0, ix1, iy1))
        if len(labels):
            inside = labels["x"].between(ix0, ix1) & labels["y"].between(iy0, iy1)
            outside = labels[~inside]
    label_points(ax, outside, fontsize=7.0)


def plan_map(
    geo: Geography, tables: dict[str, pd.DataFrame], path: str | Path, *, title_year: int, inset: str = "Norwich"
) -> Path:
    """The plan on one A4 map: existing provision, committed projects and the new projects the plan builds, sized
    by places, coloured by opening year and numbered (big ones named); `inset` enlarged under the key."""
    projects = prepare_projects(tables["projects"])
    sby = tables["settings_by_year"]
    years = sorted(int(y) for y in sby["year"].unique())
    base, last = years[0], years[-1]
    existing = existing_settings(sby, base)
    style = PlanStyle.for_run_years(projects, years=years)
    unmet = None
    if "placements" in tables and len(tables["placements"]):
        zm = zone_measures(tables["placements"], title_year, geo.zones["zone_id"])
        unmet = UnmetShading(zm["independent_or_ooc"], title_year)
    fig, ax = new_map(bounds=geo.districts.total_bounds)
    plan_layers(ax, geo.zones, existing, projects, style, unmet=unmet)
    spec = district_inset(
        geo.districts,
        lambda iax: plan_layers(iax, geo.zones, existing, projects, style, legend=False, unmet=unmet),
        inset,
    )
    title = (
        f"The plan to {year_label(last)}: new specialist places by opening year "
        f"(budget target {year_label(title_year)})"
    )
    _label_plan(ax, finish_map(ax, geo.districts, title=title, inset=spec), projects)
    notes = plan_notes(projects, last, settings_of_year(sby, base))
    if unmet is not None:
        notes.append(
            f"Zone shading: unmet local need, the zone's children placed in independent or out-of-county settings "
            f"in {year_label(title_year)} ({unmet.values.sum():,.0f} in all)."
        )
    footer_notes(ax, notes)
    return save_map(fig, path)
