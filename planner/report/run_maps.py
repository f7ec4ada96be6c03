"""The zone and flow maps of a run: where children are placed in independent or out-of-county settings, how far
they travel, and where the children of one need group go to school. Drawn from the run folder's tables and the
geography."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from planner.data.schema import SETTING_LABELS, ZONE_LEVEL_NAMES
from planner.formats import year_label
from planner.report.mapkit import district_inset, finish_map, new_map, save_map, shade_zones
from planner.report.mapkit.key import entry, section
from planner.report.mapkit.layers import draw_plain_zones, is_new, places_key, places_or_pupils, scatter_settings
from planner.report.style import SETTING_COLOURS, place_size
from planner.report.summaries import settings_in_year, zone_measures

if TYPE_CHECKING:
    from planner.data import Geography
    from planner.runfolder import RunTables

FLOW_MIN_PUPILS = 0.5  # flows smaller than this are left off the flow map (and counted in a note)
FLOW_KEEP = 0.85  # ... but the flows shown carry at least this share of the pupils
FLOW_MAX_WIDTH = 7.0  # points, for the largest flow


def draw_state_settings(ax: Axes, settings: pd.DataFrame, *, legend: bool = True) -> None:
    """Settings in the county in `settings` (one year of settings_by_year, with x/y) by type, area = places;
    new ones (from commitments or options) have a black edge."""
    if legend:
        section(ax, "Settings in the year (black edge: new)")
    label = (lambda t, sub: f"{SETTING_LABELS[t]} ({len(sub)}; {int(is_new(sub).sum())} new)") if legend else None
    scatter_settings(
        ax, settings, lambda sub: place_size(places_or_pupils(sub)), linewidth=0.5, ring_new=True, key=label
    )
    if legend:
        places_key(ax)


def wrap_colourbar_label(fig: Figure, chars: int = 58) -> None:
    """Wrap the colour bar's label to the bar's width, so a long label is not cut at the figure's edge."""
    for cax in fig.axes:
        label = cax.xaxis.label
        text = label.get_text()
        if text and cax.get_position().height < 0.05:
            label.set_text("\n".join(textwrap.wrap(text, chars)))
            label.set_linespacing(1.15)


# ---------------------------------------------------------------------------------------------------------
# zone maps
@dataclass
class ZoneShading:
    """What a zone map shows: values by zone, the colour bar's label, title, notes and colour map options."""

    values: pd.Series
    label: str
    title: str
    notes: list[str]
    options: dict[str, Any] = field(default_factory=dict)


def _top_districts(geo: Geography, values: pd.Series, n: int = 3) -> str:
    by = values.groupby(geo.zones.set_index("zone_id")["district_id"]).sum().sort_values(ascending=False)
    names = geo.district_names
    return "; ".join(f"{names.get(d, d)} {v:,.0f}" for d, v in by.head(n).items() if v > 0)


def _independent_shading(geo: Geography, zm: pd.DataFrame, year: int, level: str) -> ZoneShading:
    values = zm["independent_or_ooc"]
    total = float(zm["pupils"].sum())
    ind, ooc = float(zm["independent"].sum()), float(zm["out_of_county"].sum())
    notes = [
        f"Shading: children of each {level} placed in an independent special school or outside Norfolk in "
        f"{year_label(year)}: {values.sum():,.0f} of {total:,.0f} specialist pupils ({ind:,.0f} independent, "
        f"{ooc:,.0f} out of county; some are both). Most in: {_top_districts(geo, values)}.",
    ]
    return ZoneShading(
        values,
        f"Children in independent or out-of-county settings {year_label(year)}, pupils per {level}",
        f"Where children go to independent or out-of-county settings, {year_label(year)}",
        notes,
    )


def _journey_shading(geo: Geography, zm: pd.DataFrame, year: int, level: str) -> ZoneShading:
    total = float(zm["pupils"].sum())
    mean = float((zm["mean_journey_km"].fillna(0) * zm["pupils"]).sum() / total) if total else float("nan")
    far = zm["mean_journey_km"].sort_values(ascending=False).head(3)
    names = dict(zip(geo.zones["zone_id"], geo.zones["zone_name"], strict=True))
    notes = [
        f"Shading: the mean road journey of the specialist pupils who live in each {level} (pupil-weighted; "
        f"out-of-county journeys as recorded). County mean {mean:.1f} km.",
        "Longest: " + "; ".join(f"{names.get(z, z)} {v:.0f} km" for z, v in far.items()) + ".",
    ]
    return ZoneShading(
        zm["mean_journey_km"],
        f"Mean journey to school {year_label(year)}, road km (specialist pupils of each {level})",
        f"How far children travel to specialist settings, {year_label(year)}",
        notes,
        {"cmap": "PuBu", "cmap_range": (0.05, 0.6)},
    )


ZONE_MEASURES = {"independent": _independent_shading, "journey": _journey_shading}


def zone_map(geo: Geography, run: RunTables, path: str | Path, measure: str, year: int | None = None) -> Path:
    """Zones shaded by a measure of where their children are placed in `year` (default: the target year):
    measure 'independent' (children in independent or out-of-county settings) or 'journey' (mean journey, road
    km), with the settings of that year on top."""
    if measure not in ZONE_MEASURES:
        raise ValueError(f"zone_map: measure must be 'independent' or 'journey', not {measure!r}")
    year = year or run.target_year
    level = ZONE_LEVEL_NAMES.get(geo.zone_level, geo.zone_level)
    shading = ZONE_MEASURES[measure](geo, zone_measures(run.placements, year, geo.zones["zone_id"]), year, level)
    settings = settings_in_year(run.settings_by_year, year)
    notes = [
        *shading.notes,
        f"Markers: the settings open in {year_label(year)} (state special, SRB, AP and independent), new ones with "
        "a black edge. Out-of-county settings have no place on the map.",
    ]

    def inset_layers(iax: Axes) -> None:
        shade_zones(iax, geo.zones, shading.values, "", colourbar=False, **shading.options)
        draw_state_settings(iax, settings, legend=False)

    fig, ax = new_map(bounds=geo.districts.total_bounds)
    shade_zones(ax, geo.zones, shading.values, shading.label, **shading.options)
    draw_state_settings(ax, settings)
    inset = district_inset(geo.districts, inset_layers, "Norwich")
    finish_map(ax, geo.districts, title=shading.title, notes=notes, inset=inset)
    wrap_colourbar_label(fig)
    return save_map(fig, path)


# ---------------------------------------------------------------------------------------------------------
# flow maps
def _nice(v: float) -> float:
    if v <= 0:
        return 1.0
    e = 10 ** np.floor(np.log10(v))
    for m in (1, 2, 5, 10):
        if m * e >= v * 0.999:
            return float(m * e)
    return float(10 * e)


@dataclass
class Flows:
    """One need group's flows from home zones to settings in a year, as the flow map draws them."""

    shown: pd.DataFrame  # zone_id, setting_id, setting_type, pupils, x, y (home), sx, sy (setting)
    at: pd.DataFrame  # settings in the county: setting_id, setting_type, pupils, x, y
    total: float  # pupils of the group
    dropped: float  # pupils in the flows left off
    cut: float  # the smallest flow shown
    out_of_county: float  # pupils placed outside the county
    top: float  # a round number at least the largest flow: the widest line

    def width(self, v: np.ndarray | float) -> np.ndarray:
        """Line width (points) of a flow of `v` pupils: area-like, so small flows stay visible."""
        return np.maximum(0.35, FLOW_MAX_WIDTH * np.sqrt(np.asarray(v, dtype=float) / self.top))


def flows_of(geo: Geography, run: RunTables, need_group: str, year: int) -> Flows:
    """The flows of `need_group` in `year`, leaving off the smallest (fractions of a pupil) but showing at least
    FLOW_KEEP of the pupils."""
    p = run.placements
    p = p[(p["year"] == year) & (p["need_group"] == need_group)]
    flows = p.groupby(["zone_id", "setting_id", "setting_type", "out_of_county"], as_index=False)["pupils"].sum()
    settings = settings_in_year(run.settings_by_year, year).set_index("setting_id")
    ooc = float(flows.loc[flows["out_of_county"].astype(bool), "pupils"].sum())
    local = flows[~flows["out_of_county"].astype(bool)]
    local = local.join(geo.zones.set_index("zone_id")[["x", "y"]], on="zone_id").join(
        settings[["x", "y"]].rename(columns={"x": "sx", "y": "sy"}), on="setting_id"
    )
    local = local.dropna(subset=["x", "y", "sx", "sy"])
    share = local["pupils"].sort_values(ascending=False).cumsum() / max(float(local["pupils"].sum()), 1e-9)
    needed = share.shift(fill_value=0.0) < FLOW_KEEP
    small = (local["pupils"] < FLOW_MIN_PUPILS) & ~needed.reindex(local.index)
    shown = local[~small].sort_values("pupils")
    at = local.groupby(["setting_id", "setting_type"], as_index=False)["pupils"].sum()
    return Flows(
        shown=shown,
        at=at.join(settings[["x", "y"]], on="setting_id").dropna(subset=["x", "y"]),
        total=float(flows["pupils"].sum()),
        dropped=float(local.loc[small, "pupils"].sum()),
        cut=float(shown["pupils"].min()) if len(shown) else FLOW_MIN_PUPILS,
        out_of_county=ooc,
        top=_nice(float(shown["pupils"].max()) if len(shown) else 1.0),
    )


def _flow_layers(ax: Axes, geo: Geography, f: Flows, *, key: bool) -> None:
    """Plain zones, the flow lines (colour: the setting's type), home zone centres and settings sized by pupils."""
    draw_plain_zones(ax, geo.zones)
    if len(f.shown):
        segs = np.stack([f.shown[["x", "y"]].to_numpy(), f.shown[["sx", "sy"]].to_numpy()], axis=1)
        colours = [SETTING_COLOURS.get(t, "#444444") for t in f.shown["setting_type"]]
        lines = LineCollection(
            segs,
            linewidths=f.width(f.shown["pupils"].to_numpy()),
            colors=colours,
            alpha=0.55,
            capstyle="round",
            zorder=3.5,
        )
        ax.add_collection(lines)
    ax.scatter(geo.zones["x"], geo.zones["y"], s=6, c="#333333", zorder=4.2, linewidths=0, label="_nolegend_")
    if key:
        section(ax, "Settings (area = the group's pupils)")
    label = (lambda t, sub: f"{SETTING_LABELS[t]} ({len(sub)}; {sub['pupils'].sum():,.0f} pupils)") if key else None
    scatter_settings(
        ax,
        f.at,
        lambda sub: place_size(sub["pupils"], 1.5),
        zorder=5,
        largest_first=False,
        key=label,
        key_size=(7.5, 7.5),
        key_edge=None,
    )
    if not key:
        return
    level = ZONE_LEVEL_NAMES.get(geo.zone_level, geo.zone_level)
    centre = dict(marker="o", markersize=3, markerfacecolor="#333333", markeredgecolor="#333333")
    entry(ax, f"Home {level} (population-weighted centre)", **centre)
    section(ax, "Line width = pupils")
    for v in sorted({f.top, _nice(f.top / 4), _nice(f.top / 20)}, reverse=True):
        if v >= FLOW_MIN_PUPILS:
            ax.add_line(Line2D([], [], color="#777777", lw=float(f.width(v)), label=f"{v:,.0f} pupils"))


def flow_map(geo: Geography, run: RunTables, path: str | Path, need_group: str, year: int | None = None) -> Path:
    """Lines from home zones to settings for one need group in `year` (default: the target year), width by
    pupils, colour by setting type; settings sized by the group's pupils there."""
    year = year or run.target_year
    level = ZONE_LEVEL_NAMES.get(geo.zone_level, geo.zone_level)
    gname = geo.need_group_names.get(need_group, need_group)
    f = flows_of(geo, run, need_group, year)
    fig, ax = new_map(bounds=geo.districts.total_bounds)
    _flow_layers(ax, geo, f, key=True)
    notes = [
        f"{gname} ({need_group}): {f.total:,.0f} specialist pupils in {year_label(year)}, all phases. A line joins "
        f"each home {level} to a setting its children attend; its colour is the setting's type.",
        f"Left off: {f.dropped:,.0f} pupils ({f.dropped / max(f.total, 1e-9):.0%}) in the smallest flows (under "
        f"{f.cut:.2g} pupils each), and {f.out_of_county:,.0f} pupils placed outside Norfolk.",
    ]
    title = f"Where children with {gname.lower()} needs go to school, {year_label(year)}"
    inset = district_inset(geo.districts, lambda iax: _flow_layers(iax, geo, f, key=False), "Norwich")
    finish_map(ax, geo.districts, title=title, notes=notes, inset=inset)
    return save_map(fig, path)
