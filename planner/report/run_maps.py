"""The zone and flow maps of a run: where children are placed in independent or out-of-county settings, how far
they travel, and where the children of one need group go to school. Read from the run folder's tables.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from planner.report.maps import (
    A4_LANDSCAPE,
    SETTING_COLOURS,
    SETTING_LABELS,
    SETTING_MARKERS,
    Inset,
    _entry,
    _section,
    finish_map,
    new_map,
    place_size,
    save_map,
    shade_zones,
    year_label,
)
from planner.report.plan_map import draw_plain_zones
from planner.report.run_data import (
    STATE_TYPES,
    ZONE_LEVEL_NAMES,
    RunTables,
    district_names,
    need_group_names,
    settings_in_year,
    zone_measures,
)

if TYPE_CHECKING:
    from planner.data import Geography as PlanningData

FLOW_MIN_PUPILS = 0.5  # flows smaller than this are left off the flow map (and counted in a note)
FLOW_KEEP = 0.85  # ... but the flows shown carry at least this share of the pupils
FLOW_MAX_WIDTH = 7.0  # points, for the largest flow


def draw_state_settings(
    ax: Axes, settings: pd.DataFrame, *, legend: bool = True, types: tuple[str, ...] = (*STATE_TYPES, "independent")
) -> None:
    """Settings in the county in `settings` (one year of settings_by_year, with x/y) by type, area = places;
    new ones (from commitments or options) have a black edge."""
    df = settings[settings["x"].notna() & ~settings["out_of_county"].astype(bool)]
    if legend:
        _section(ax, "Settings in the year (black edge: new)")
    for t in types:
        sub = df[df["setting_type"] == t]
        if sub.empty:
            continue
        places = sub["places"].where(sub["places"].notna() & (sub["places"] > 0), sub["pupils"])
        s = place_size(places)
        new = (sub["origin"] != "existing").to_numpy() if "origin" in sub.columns else np.zeros(len(sub), bool)
        order = np.argsort(-s, kind="stable")
        ax.scatter(
            sub["x"].to_numpy()[order],
            sub["y"].to_numpy()[order],
            s=s[order],
            marker=SETTING_MARKERS[t],
            c=SETTING_COLOURS[t],
            edgecolors=np.where(new[order], "black", "white"),
            linewidths=np.where(new[order], 0.8, 0.5),
            zorder=4,
            label="_nolegend_",
        )
        if legend:
            _entry(
                ax,
                f"{SETTING_LABELS[t]} ({len(sub)}; {int(new.sum())} new)",
                marker=SETTING_MARKERS[t],
                markersize=7.5 if t != "independent" else 6,
                markerfacecolor=SETTING_COLOURS[t],
                markeredgecolor="white",
                markeredgewidth=0.5,
            )
    if legend:
        _section(ax, "Marker area = places")
        for p in (25, 100, 200):
            _entry(
                ax,
                f"{p} places",
                marker="o",
                markersize=float(np.sqrt(place_size([p])[0])),
                markerfacecolor="#c4c4c4",
                markeredgecolor="#6f6f6f",
                markeredgewidth=0.5,
            )


def wrap_colourbar_label(fig: Figure, chars: int = 58) -> None:
    """Wrap the colour bar's label to the bar's width, so a long label is not cut at the figure's edge."""
    for cax in fig.axes:
        label = cax.xaxis.label
        text = label.get_text()
        if text and cax.get_position().height < 0.05:
            label.set_text("\n".join(textwrap.wrap(text, chars)))
            label.set_linespacing(1.15)


def _inset(data: PlanningData, draw, name: str = "Norwich") -> Inset | None:
    if name not in set(data.districts["district_name"]):
        return None
    return Inset(draw=draw, focus=name, title=f"{name} area (dashed box)")


def _top_districts(data: PlanningData, values: pd.Series, zones_to_district: pd.Series, n: int = 3) -> str:
    by = values.groupby(zones_to_district).sum().sort_values(ascending=False)
    names = district_names(data)
    return "; ".join(f"{names.get(d, d)} {v:,.0f}" for d, v in by.head(n).items() if v > 0)


def zone_map(data: PlanningData, run: RunTables, path: str | Path, measure: str, year: int | None = None) -> Path:
    """Zones shaded by a measure of where their children are placed in `year` (default: the target year):
    measure 'independent' (children in independent or out-of-county settings) or 'journey' (mean journey, road
    km), with the settings of that year on top."""
    year = year or run.target_year
    level = ZONE_LEVEL_NAMES.get(data.zone_level, data.zone_level)
    zm = zone_measures(run.placements, year, data.zones["zone_id"])
    settings = settings_in_year(run.settings_by_year, year)
    z2d = data.zones.set_index("zone_id")["district_id"]
    total = float(zm["pupils"].sum())
    if measure == "independent":
        values = zm["independent_or_ooc"]
        label = f"Children in independent or out-of-county settings {year_label(year)}, pupils per {level}"
        title = f"Where children go to independent or out-of-county settings, {year_label(year)}"
        ind, ooc = float(zm["independent"].sum()), float(zm["out_of_county"].sum())
        notes = [
            f"Shading: children of each {level} placed in an independent special school or outside Norfolk in "
            f"{year_label(year)}: {values.sum():,.0f} of {total:,.0f} specialist pupils ({ind:,.0f} independent, "
            f"{ooc:,.0f} out of county; some are both). Most in: {_top_districts(data, values, z2d)}.",
        ]
        kw: dict = {}
    elif measure == "journey":
        values = zm["mean_journey_km"]
        label = f"Mean journey to school {year_label(year)}, road km (specialist pupils of each {level})"
        title = f"How far children travel to specialist settings, {year_label(year)}"
        mean = float((zm["mean_journey_km"].fillna(0) * zm["pupils"]).sum() / total) if total else float("nan")
        far = zm["mean_journey_km"].sort_values(ascending=False).head(3)
        names = dict(zip(data.zones["zone_id"], data.zones["zone_name"], strict=True))
        notes = [
            f"Shading: the mean road journey of the specialist pupils who live in each {level} (pupil-weighted; "
            f"out-of-county journeys as recorded). County mean {mean:.1f} km.",
            "Longest: " + "; ".join(f"{names.get(z, z)} {v:.0f} km" for z, v in far.items()) + ".",
        ]
        kw = {"cmap": "PuBu", "cmap_range": (0.05, 0.6)}
    else:
        raise ValueError(f"zone_map: measure must be 'independent' or 'journey', not {measure!r}")
    notes.append(
        f"Markers: the settings open in {year_label(year)} (state special, SRB, AP and independent), new ones with a "
        "black edge. Out-of-county settings have no place on the map."
    )

    def layers(ax: Axes, key: bool) -> None:
        if not key:
            shade_zones(ax, data.zones, values, "", colourbar=False, **kw)
        draw_state_settings(ax, settings, legend=key)

    fig, ax = new_map(A4_LANDSCAPE, bounds=data.districts.total_bounds)
    shade_zones(ax, data.zones, values, label, **kw)
    layers(ax, True)
    finish_map(ax, data, title=title, notes=notes, inset=_inset(data, lambda iax: layers(iax, False)))
    wrap_colourbar_label(fig)
    return save_map(fig, path)


def _nice(v: float) -> float:
    if v <= 0:
        return 1.0
    e = 10 ** np.floor(np.log10(v))
    for m in (1, 2, 5, 10):
        if m * e >= v * 0.999:
            return float(m * e)
    return float(10 * e)


def flow_map(data: PlanningData, run: RunTables, path: str | Path, need_group: str, year: int | None = None) -> Path:
    """Lines from home zones to settings for one need group in `year` (default: the target year), width by
    pupils, colour by setting type; settings sized by the group's pupils there."""
    year = year or run.target_year
    level = ZONE_LEVEL_NAMES.get(data.zone_level, data.zone_level)
    gname = need_group_names(data).get(need_group, need_group)
    p = run.placements
    p = p[(p["year"] == year) & (p["need_group"] == need_group)]
    flows = p.groupby(["zone_id", "setting_id", "setting_type", "out_of_county"], as_index=False)["pupils"].sum()
    total = float(flows["pupils"].sum())
    settings = settings_in_year(run.settings_by_year, year).set_index("setting_id")
    zxy = data.zones.set_index("zone_id")[["x", "y"]]
    ooc = float(flows.loc[flows["out_of_county"].astype(bool), "pupils"].sum())
    local = flows[~flows["out_of_county"].astype(bool)]
    local = local.join(zxy, on="zone_id").join(
        settings[["x", "y"]].rename(columns={"x": "sx", "y": "sy"}), on="setting_id"
    )
    local = local.dropna(subset=["x", "y", "sx", "sy"])
    # leave off the smallest flows (fractions of a pupil), but show at least FLOW_KEEP of the pupils
    share = local["pupils"].sort_values(ascending=False).cumsum() / max(float(local["pupils"].sum()), 1e-9)
    needed = share.shift(fill_value=0.0) < FLOW_KEEP
    small = (local["pupils"] < FLOW_MIN_PUPILS) & ~needed.reindex(local.index)
    shown = local[~small].sort_values("pupils")
    dropped = float(local.loc[small, "pupils"].sum())
    cut = float(shown["pupils"].min()) if len(shown) else FLOW_MIN_PUPILS
    biggest = float(shown["pupils"].max()) if len(shown) else 1.0
    top = _nice(biggest)

    def width(v: np.ndarray | float) -> np.ndarray:
        return np.maximum(0.35, FLOW_MAX_WIDTH * np.sqrt(np.asarray(v, dtype=float) / top))

    at = local.groupby(["setting_id", "setting_type"], as_index=False)["pupils"].sum()
    at = at.join(settings[["x", "y"]], on="setting_id").dropna(subset=["x", "y"])

    def layers(ax: Axes, key: bool) -> None:
        draw_plain_zones(ax, data.zones)
        if len(shown):
            segs = np.stack([shown[["x", "y"]].to_numpy(), shown[["sx", "sy"]].to_numpy()], axis=1)
            colours = [SETTING_COLOURS.get(t, "#444444") for t in shown["setting_type"]]
            ax.add_collection(
                LineCollection(
                    segs,
                    linewidths=width(shown["pupils"].to_numpy()),
                    colors=colours,
                    alpha=0.55,
                    capstyle="round",
                    zorder=3.5,
                )
            )
        ax.scatter(data.zones["x"], data.zones["y"], s=6, c="#333333", zorder=4.2, linewidths=0, label="_nolegend_")
        for t in (*STATE_TYPES, "independent"):
            sub = at[at["setting_type"] == t]
            if len(sub):
                ax.scatter(
                    sub["x"],
                    sub["y"],
                    s=place_size(sub["pupils"], 1.5),
                    marker=SETTING_MARKERS[t],
                    c=SETTING_COLOURS[t],
                    edgecolors="white",
                    linewidths=0.6,
                    zorder=5,
                    label="_nolegend_",
                )
        if not key:
            return
        _section(ax, "Settings (area = the group's pupils)")
        for t in (*STATE_TYPES, "independent"):
            sub = at[at["setting_type"] == t]
            if len(sub):
                _entry(
                    ax,
                    f"{SETTING_LABELS[t]} ({len(sub)}; {sub['pupils'].sum():,.0f} pupils)",
                    marker=SETTING_MARKERS[t],
                    markersize=7.5,
                    markerfacecolor=SETTING_COLOURS[t],
                    markeredgecolor="white",
                )
        _entry(
            ax,
            f"Home {level} (population-weighted centre)",
            marker="o",
            markersize=3,
            markerfacecolor="#333333",
            markeredgecolor="#333333",
        )
        _section(ax, "Line width = pupils")
        for v in sorted({top, _nice(top / 4), _nice(top / 20)}, reverse=True):
            if v >= FLOW_MIN_PUPILS:
                ax.add_line(Line2D([], [], color="#777777", lw=float(width(v)), label=f"{v:,.0f} pupils"))

    fig, ax = new_map(A4_LANDSCAPE, bounds=data.districts.total_bounds)
    layers(ax, True)
    notes = [
        f"{gname} ({need_group}): {total:,.0f} specialist pupils in {year_label(year)}, all phases. A line joins "
        f"each home {level} to a setting its children attend; its colour is the setting's type.",
        f"Left off: {dropped:,.0f} pupils ({dropped / max(total, 1e-9):.0%}) in the smallest flows (under "
        f"{cut:.2g} pupils each), and {ooc:,.0f} pupils placed outside Norfolk.",
    ]
    title = f"Where children with {gname.lower()} needs go to school, {year_label(year)}"
    finish_map(ax, data, title=title, notes=notes, inset=_inset(data, lambda iax: layers(iax, False)))
    return save_map(fig, path)
