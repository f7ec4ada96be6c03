"""Two plans side by side on one A4 figure: same extent, scale, marker sizes and opening-year colours, the
projects that differ ringed and named, one shared key."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.axes import Axes

from planner.data.schema import SETTING_LABELS, SETTING_TYPES
from planner.formats import fmt_gbp, year_label
from planner.report.mapkit.figure import attribution_text, new_figure, save_map, title_text
from planner.report.mapkit.furniture import draw_map_frame, draw_notes
from planner.report.mapkit.key import draw_key, entry, section
from planner.report.mapkit.labels import LABEL_COLUMNS, label_districts, label_points
from planner.report.plan_layers import PlanStyle, key_new_places, plan_layers, prepare_projects, short_name, sites
from planner.report.style import A4_LANDSCAPE, EXISTING_FILL, NEW_PLACE_LABELS, SETTING_MARKERS
from planner.report.summaries import existing_settings

if TYPE_CHECKING:
    from planner.data import Geography
    from planner.runfolder import RunTables


MATERIAL = ("only in A", "only in B", "different size and year", "different size")
LIST_MAX = 18  # differences listed by name on the figure; the rest are in differences.csv


def material_differences(diff: pd.DataFrame) -> pd.DataFrame:
    """The differences ringed and numbered on the figure: projects in one plan only, or of another size."""
    m = diff[diff["status"].isin(MATERIAL)].reset_index(drop=True)
    return m.assign(num=range(1, len(m) + 1))


def _diff_labels(projects: pd.DataFrame, material: pd.DataFrame) -> pd.DataFrame:
    """Number labels for the projects of one plan that are material differences."""
    nums = dict(zip(material["project_id"], material["num"], strict=True))
    rows = []
    for x, y, size, g in sites(projects[projects["project_id"].isin(nums)]):
        text = ", ".join(str(nums[p]) for p in sorted(g["project_id"], key=nums.get))
        rows.append(dict(x=x, y=y, text=text, big=True, size=size))
    return pd.DataFrame(rows, columns=LABEL_COLUMNS)


def difference_list(material: pd.DataFrame, diff: pd.DataFrame) -> list[str]:
    """Notes naming the numbered differences, and counting the others."""
    lines = []
    for r in material.head(LIST_MAX).itertuples():
        if r.status in ("only in A", "only in B"):
            side = "a" if r.status == "only in A" else "b"
            places, year = getattr(r, f"places_{side}"), getattr(r, f"opening_year_{side}")
            what = f"{places:,.0f} places, {year_label(int(year))}"
        else:
            what = (
                f"{r.places_a:,.0f} → {r.places_b:,.0f} places, {year_label(int(r.opening_year_a))} → "
                f"{year_label(int(r.opening_year_b))}"
            )
        lines.append(f"{r.num} {short_name(r.name)}: {what} ({r.status})")
    if len(material) > LIST_MAX:
        lines.append(f"... and {len(material) - LIST_MAX} more (differences.csv)")
    rest = diff[~diff["status"].isin(MATERIAL)]["status"].value_counts()
    if len(rest):
        what = {"different year": "another opening year", "different opening size": "another size at opening only"}
        lines.append(
            "Not ringed: "
            + "; ".join(f"{n} project{'s' if n != 1 else ''} with {what.get(s, s)}" for s, n in rest.items())
            + " (fill colour = opening year; see differences.csv)."
        )
    return lines


def _shared_key(ax: Axes, style: PlanStyle, plans: list[pd.DataFrame]) -> None:
    """Key entries on a hidden axes: existing provision, project shapes, the ring, opening years, sizes."""
    section(ax, "Existing provision (grey)")
    for t in SETTING_TYPES:
        entry(
            ax,
            SETTING_LABELS[t],
            marker=SETTING_MARKERS[t],
            markersize=7,
            markerfacecolor=EXISTING_FILL,
            markeredgecolor="white",
        )
    present = set().union(*[set(p.loc[p["kind"] == "option", "project_type"]) for p in plans if len(p)])
    options = {ptype: label for ptype, label in NEW_PLACE_LABELS.items() if ptype in present}
    ring = "In one plan only, or another size (numbered)"
    key_new_places(ax, style, "New places", "Committed project", options, ring)


def _summary(run: RunTables, projects: pd.DataFrame) -> str:
    """The line under a plan's title: what it builds, and its deficit at the end."""
    opt = projects[projects["kind"] == "option"]
    com = projects[projects["kind"] == "commitment"]
    b = run.budget.set_index("year")
    return (
        f"{len(opt)} new projects, {opt['places'].sum():,.0f} places, "
        f"capital {fmt_gbp(opt['capital_cost'].sum())}; "
        f"{len(com)} committed, {com['places'].sum():,.0f} places. Deficit end {year_label(run.last_year)}: "
        f"{fmt_gbp(b.loc[run.last_year, 'cumulative_deficit'])}"
    )


def _draw_plan(
    ax: Axes, geo: Geography, run: RunTables, projects: pd.DataFrame, style: PlanStyle, material: pd.DataFrame
) -> None:
    """One of the two plans, its material differences ringed and numbered, with its summary above it."""
    existing = existing_settings(run.settings_by_year, run.base_year)
    plan_layers(ax, geo.zones, existing, projects, style, legend=False, highlight=set(material["project_id"]))
    avoid = draw_map_frame(ax, geo.districts, scale_fontsize=7, arrow_size=0.09)
    label_districts(ax, geo.districts, fontsize=7.5, avoid=avoid)
    label_points(ax, _diff_labels(projects, material), fontsize=6.3)
    ax.text(
        0.0,
        1.01,
        _summary(run, projects),
        transform=ax.transAxes,
        fontsize=7.2,
        va="bottom",
        ha="left",
        color="#333333",
    )


def plans_side_by_side(
    geo: Geography, a: RunTables, b: RunTables, diff: pd.DataFrame, path: str | Path, *, names: tuple[str, str]
) -> Path:
    """plans.png: plan A (left) and plan B (right) with the same scale and colours; projects in the difference
    table ringed and labelled with name, places and opening year."""
    pa, pb = prepare_projects(a.projects), prepare_projects(b.projects)
    material = material_differences(diff)
    years_a, years_b = a.years, b.years
    first = min(years_a[1] if len(years_a) > 1 else years_a[0], years_b[1] if len(years_b) > 1 else years_b[0])
    style = PlanStyle.for_projects(pa, pb, first=first, last=max(a.last_year, b.last_year))
    fig = new_figure(A4_LANDSCAPE)
    x0, y0, x1, y1 = geo.districts.total_bounds
    width = 0.482
    height = width * A4_LANDSCAPE[0] * (y1 - y0) * 1.06 / ((x1 - x0) * 1.06) / A4_LANDSCAPE[1]
    top = 1 - 0.95 / A4_LANDSCAPE[1]
    for i, (run, pr, name) in enumerate(((a, pa, names[0]), (b, pb, names[1]))):
        ax = fig.add_axes((0.012 + i * (width + 0.012), top - height, width, height))
        ax.set_axis_off()
        ax.set_title(f"{'AB'[i]}: {name}", fontsize=11.5, fontweight="bold", loc="left", pad=16)
        _draw_plan(ax, geo, run, pr, style, material)

    key_ax = fig.add_axes((0, 0, 0.001, 0.001))
    key_ax.set_axis_off()
    _shared_key(key_ax, style, [pa, pb])
    key_top = top - height - 0.035
    draw_key(key_ax, (0.015, 0.05, 0.47, key_top - 0.05), fontsize=7.4)
    notes = [
        "Same scale, marker sizes and opening-year colours on both maps; markers show places in the last year. "
        "Ringed and numbered: projects in one plan only, or of another size" + (":" if len(material) else " (none).")
    ]
    notes += difference_list(material, diff)
    draw_notes(fig, notes, (0.5, 0.05, 0.49, key_top - 0.05), fontsize=7.0)
    title_text(fig, f"Two plans compared: {names[0]} (A) and {names[1]} (B)")
    attribution_text(fig)
    return save_map(fig, path)
