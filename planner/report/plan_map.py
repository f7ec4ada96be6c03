"""plan.png: the plan on one map. Reads the data folder's geography and a run's tidy tables, never the model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pyproj import Transformer

from planner.data.load import PlanningData
from planner.report.maps import (
    A4_LANDSCAPE,
    _entry,
    _section,
    draw_settings,
    finish_map,
    new_map,
    out_of_county_note,
    place_size,
    save_map,
    shade_zones,
    year_label,
)

OPENING_CMAP = "viridis"


def to_bng(df: pd.DataFrame) -> pd.DataFrame:
    t = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    x, y = t.transform(df["lon"].to_numpy(dtype=float), df["lat"].to_numpy(dtype=float))
    return df.assign(x=x, y=y)


def unmet_by_zone(data: PlanningData, placements: pd.DataFrame, year: int) -> pd.Series:
    """Pupils of each home zone placed in independent or out-of-county settings in `year`."""
    p = placements[placements["year"] == year]
    state_local = p["setting_type"].isin(["special", "srb", "ap"]) & ~p["out_of_county"].astype(bool)
    return p[~state_local].groupby("zone_id")["pupils"].sum().reindex(data.zones["zone_id"]).fillna(0.0)


def draw_new_projects(ax, projects: pd.DataFrame, years: tuple[int, int], *, legend: bool = True) -> None:
    """Commitments and chosen options: outlined markers sized by places, coloured by opening year."""
    import matplotlib as mpl
    import matplotlib.colors as mcolors

    if projects.empty:
        return
    pr = to_bng(projects.dropna(subset=["lon", "lat"]))
    cmap = mpl.colormaps[OPENING_CMAP]
    norm = mcolors.Normalize(vmin=years[0], vmax=max(years[1], years[0] + 1))
    markers = {"special": "o", "srb": "s", "ap": "^", "independent": "D"}
    if legend:
        _section(ax, "New places (outline: commitment dashed, option solid)")
    for kind, style in (("commitment", (0, (2, 1))), ("option", "solid")):
        sub = pr[pr["kind"] == kind]
        for st, part in sub.groupby("setting_type"):
            ax.scatter(
                part["x"],
                part["y"],
                s=place_size(part["places"]) * 1.6,
                marker=markers.get(st, "h"),
                facecolors=cmap(norm(part["opening_year"].to_numpy(dtype=float))),
                edgecolors="black",
                linewidths=0.9,
                linestyles=style,
                zorder=7,
                alpha=0.9,
                label="_nolegend_",
            )
    if legend:
        for st in sorted(pr["setting_type"].unique()):
            n = len(pr[pr["setting_type"] == st])
            places = pr.loc[pr["setting_type"] == st, "places"].sum()
            label = {"special": "Special school places", "srb": "Resource base places", "ap": "AP places"}.get(st, st)
            _entry(
                ax,
                f"{label} ({n} projects, {places:,.0f} places)",
                marker=markers.get(st, "h"),
                markersize=9,
                markerfacecolor="#dddddd",
                markeredgecolor="black",
                markeredgewidth=0.8,
            )
        _section(ax, "Opening year (fill colour)")
        for y in sorted({int(years[0]), int((years[0] + years[1]) // 2), int(years[1])}):
            _entry(
                ax,
                year_label(y),
                marker="s",
                markersize=9,
                markerfacecolor=cmap(norm(y)),
                markeredgecolor="black",
                markeredgewidth=0.5,
            )


def plan_map(data: PlanningData, tables: dict[str, pd.DataFrame], path: str | Path, *, title_year: int) -> Path:
    """Districts, existing settings, new projects sized by places and coloured by opening year, and zones
    shaded by unmet local need (pupils in independent or out-of-county settings) in the target year."""
    placements = tables["placements"]
    projects = tables["projects"]
    years = sorted(placements["year"].unique())
    unmet = unmet_by_zone(data, placements, title_year)
    level = {"msoa": "MSOA", "lsoa": "LSOA", "district": "district"}.get(data.zone_level, data.zone_level)
    fig, ax = new_map(A4_LANDSCAPE, bounds=data.districts.total_bounds)
    shade_zones(
        ax,
        data.zones,
        unmet,
        f"Unmet local need {year_label(title_year)}: pupils in independent or out-of-county places per {level}",
    )
    existing = data.settings.copy()
    draw_settings(ax, existing[existing["setting_type"] != "independent"])
    draw_new_projects(ax, projects, (int(years[1]) if len(years) > 1 else int(years[0]), int(years[-1])))
    opt = projects[projects["kind"] == "option"] if len(projects) else projects
    com = projects[projects["kind"] == "commitment"] if len(projects) else projects
    notes = [
        f"The plan: {len(opt)} new projects ({opt['places'].sum():,.0f} places by {years[-1]}) besides "
        f"{len(com)} commitments ({com['places'].sum():,.0f} places). Resource bases may open small and grow; "
        "markers show their places in the last year.",
        f"Shading: children of each zone in independent or out-of-county settings in {year_label(title_year)} "
        f"({unmet.sum():,.0f} in all), the need no state setting in the county meets.",
    ]
    ooc = out_of_county_note(data.settings)
    if ooc:
        notes.append(ooc.replace("Out of county", "Out of county in the base year"))
    finish_map(
        ax, data, title=f"The plan to {year_label(title_year)}: new specialist places and unmet local need", notes=notes
    )
    return save_map(fig, path)
