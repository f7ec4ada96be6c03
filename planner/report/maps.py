"""Static maps at print quality: the building blocks every plan map reuses, and the data map.

Coordinates are British National Grid metres (EPSG:27700), so distances on the map are true to scale.
A map is a figure with the map axes, a panel on the right for the key and a footer under the map for the
colour bar and notes. Build one with ``new_map``, draw layers (``shade_zones``, ``draw_settings``,
``draw_projects``) and end with ``finish_map``, which adds the districts and their names, the north arrow,
scale bar, key, notes, title and attribution; ``save_map`` writes the file. Colours and markers are defined
once here, so every later map uses the same ones.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import matplotlib as mpl
import matplotlib.colors as mcolors
import matplotlib.patheffects as pe
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Rectangle
from shapely.ops import nearest_points, polylabel

if TYPE_CHECKING:
    from planner.data import Geography as PlanningData

Rect = tuple[float, float, float, float]  # figure fraction: left, bottom, width, height

# ---------------------------------------------------------------------------------------------------------
# one look for every map
A4_LANDSCAPE = (11.69, 8.27)  # inches
A4_PORTRAIT = (8.27, 11.69)
DPI = 200

ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right; Contains ONS data © Crown copyright; "
    "Contains public sector information licensed under the OGL v3.0."
)

SETTING_TYPES = ("special", "srb", "ap", "independent")
SETTING_LABELS = {
    "special": "State special school",
    "srb": "Specialist resource base (SRB)",
    "ap": "Alternative provision (AP)",
    "independent": "Independent special school",
}
# Okabe-Ito colours (safe for colour-blind readers), all darker than the pale zone shading.
SETTING_COLOURS = {
    "special": "#0a5fa8",  # blue
    "srb": "#009e73",  # bluish green
    "ap": "#d55e00",  # vermilion
    "independent": "#8e3b8e",  # purple
}
SETTING_MARKERS = {"special": "o", "srb": "s", "ap": "^", "independent": "D"}

# committed projects: filled stars in the colour of their setting type
COMMITMENT_MARKER = "*"
COMMITMENT_LABELS = {
    "new_school": "New special school",
    "expansion": "Special school expansion",
    "srb": "New SRB",
    "ap": "New AP",
}
# candidate options: hollow markers in the colour of their setting type
OPTION_MARKERS = {"new_school": "p", "expansion": "o", "srb": "s", "ap": "^"}
OPTION_LABELS = {
    "new_school": "New special school site",
    "expansion": "Expansion of a special school",
    "srb": "SRB at a host school",
    "ap": "AP at a host school",
}

ZONE_CMAP = "YlOrBr"  # zone shading; only its pale part, so markers stay visible on it
ZONE_CMAP_RANGE = (0.0, 0.45)
ZONE_EDGE = "#ffffff"
DISTRICT_EDGE = "#4a4a4a"
COUNTY_EDGE = "#111111"
LABEL_COLOUR = "#1a1a1a"
NOTE_BOX = dict(boxstyle="round,pad=0.5", facecolor="#f6f6f6", edgecolor="#bbbbbb", linewidth=0.6)
HALO = [pe.withStroke(linewidth=3.2, foreground="white")]

SIZE_PER_PLACE = 0.75  # marker area (points^2) per place
SIZE_MIN, SIZE_MAX = 14.0, 190.0
PROJECT_SIZE = 150.0  # marker area of committed projects and options (points^2)

LEGEND_SECTION = "legend-section"  # gid of the empty legend entries that head a group of the key
_GAP = 0.012  # between regions of the figure (figure fraction)
MAP_MARGIN = 0.03  # room around the mapped area, as a share of its larger side


def place_size(places: Iterable[float], scale: float = SIZE_PER_PLACE) -> np.ndarray:
    """Marker area (points^2) for a number of places: area proportional to places, clipped to stay legible."""
    p = np.nan_to_num(np.asarray(list(places), dtype=float))
    return np.clip(p * scale, SIZE_MIN, SIZE_MAX)


def year_label(year: int) -> str:
    """The academic year ending in `year`: 2025 -> '2024/25' (the January 2025 census)."""
    return f"{year - 1}/{str(year)[-2:]}"


# ---------------------------------------------------------------------------------------------------------
# figure and its regions
def new_map(
    figsize: tuple[float, float] = A4_LANDSCAPE,
    *,
    bounds: Sequence[float] | None = None,
    panel: float | None = None,
    footer: float | None = None,
) -> tuple[Figure, Axes]:
    """A figure and its map axes. `panel`: share of the width kept on the right for the key and an inset;
    `footer`: least share of the height kept under the map for the colour bar and notes (defaults suit A4
    landscape or portrait). Given the `bounds` to be mapped (BNG metres), the map is as tall as their shape
    needs, under the title, and the footer takes the rest."""
    landscape = figsize[0] >= figsize[1]
    panel = (0.235 if landscape else 0.0) if panel is None else panel
    footer = (0.15 if landscape else 0.3) if footer is None else footer
    fig = Figure(figsize=figsize, dpi=DPI, facecolor="white")  # not pyplot: no global state, any backend
    FigureCanvasAgg(fig)
    top = 1 - 0.6 / figsize[1]  # room for the title
    bottom = 0.03 + footer if footer > 0 else 0.045
    left = 0.012
    width = 1 - left - 0.012 - (panel + _GAP if panel > 0 else 0)
    if bounds is not None:
        x0, y0, x1, y1 = _padded(bounds, MAP_MARGIN)
        height = width * figsize[0] * (y1 - y0) / (x1 - x0) / figsize[1]
        bottom = max(bottom, top - height)
    ax = fig.add_axes((left, bottom, width, top - bottom))
    ax.set_aspect("equal")
    ax.set_axis_off()  # no ticks or axis labels; a thin frame is drawn by finish_map
    return fig, ax


def _panel(ax: Axes) -> Rect | None:
    """The region right of the map, from its top to the foot of the figure, or None."""
    pos = ax.get_position()
    left, bottom = pos.x1 + _GAP, 0.045
    return (left, bottom, 0.988 - left, pos.y1 - bottom) if 0.988 - left > 0.08 else None


def _footer(ax: Axes) -> Rect | None:
    """The region under the map (above the attribution line), or None."""
    pos = ax.get_position()
    bottom, top = 0.04, pos.y0 - _GAP
    return (pos.x0, bottom, pos.width, top - bottom) if top - bottom > 0.05 else None


def _colourbar_rect(ax: Axes) -> Rect | None:
    footer, panel = _footer(ax), _panel(ax)
    if footer is not None:
        left, bottom, width, height = footer
        return (left + 0.015, bottom + height - 0.06, min(width * 0.36, 0.3), 0.022)
    if panel is not None:
        left, bottom, width, _ = panel
        return (left + 0.01, bottom + 0.04, width - 0.03, 0.022)
    return None


def _padded(bounds: Sequence[float], margin: float) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    pad = margin * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def _fit(bounds: Sequence[float], rect: Rect, fig: Figure, margin: float) -> tuple[float, float, float, float]:
    """`bounds` plus a margin, widened in one direction to the shape of `rect` (figure fraction)."""
    minx, miny, maxx, maxy = _padded(bounds, margin)
    fig_w, fig_h = fig.get_size_inches()
    box_ratio = (rect[3] * fig_h) / (rect[2] * fig_w)  # height / width of the box
    w, h = maxx - minx, maxy - miny
    if h / w < box_ratio:  # the area is wider than the box: add height
        extra = (w * box_ratio - h) / 2
        return minx, miny - extra, maxx, maxy + extra
    extra = (h / box_ratio - w) / 2
    return minx - extra, miny, maxx + extra, maxy


def _set_extent(ax: Axes, bounds: Sequence[float], margin: float = MAP_MARGIN) -> None:
    """Fit the axes to `bounds` (BNG metres) plus a margin, equal aspect, filling the axes box."""
    pos = ax.get_position()
    minx, miny, maxx, maxy = _fit(bounds, (pos.x0, pos.y0, pos.width, pos.height), ax.figure, margin)
    ax.set_autoscale_on(False)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")


def _section(ax: Axes, title: str) -> None:
    """Start a titled group of the key."""
    (h,) = ax.plot([], [], linestyle="none", label=title)
    h.set_gid(LEGEND_SECTION)


def _entry(ax: Axes, label: str, **style: Any) -> None:
    """A key entry without data (a proxy), so the key shows one clear marker per type."""
    style.setdefault("linestyle", "none")
    ax.plot([], [], label=label, **style)


# ---------------------------------------------------------------------------------------------------------
# layers
def shade_zones(
    ax: Axes,
    zones_gdf: gpd.GeoDataFrame,
    values: pd.Series | Sequence[float] | np.ndarray,
    label: str,
    cmap: str | mcolors.Colormap = ZONE_CMAP,
    *,
    vmin: float | None = None,
    vmax: float | None = None,
    cmap_range: tuple[float, float] = ZONE_CMAP_RANGE,
    edgecolor: str = ZONE_EDGE,
    linewidth: float = 0.3,
    colourbar: bool = True,
) -> mcolors.Colormap:
    """Shade zones by `values` with a colour bar labelled `label` (put the units in it).

    `values`: a Series indexed by zone_id, or values in the order of `zones_gdf`. Returns the colour map used.
    With `colourbar=False` (an inset, say) no colour bar is drawn.
    """
    if (
        isinstance(values, pd.Series)
        and "zone_id" in zones_gdf.columns
        and values.index.isin(zones_gdf["zone_id"]).any()
    ):
        vals = values.reindex(zones_gdf["zone_id"]).to_numpy(dtype=float)
    else:
        vals = np.asarray(values, dtype=float)
    if len(vals) != len(zones_gdf):
        raise ValueError(f"shade_zones: {len(vals)} values for {len(zones_gdf)} zones")
    base = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    lo, hi = cmap_range
    cm = mcolors.LinearSegmentedColormap.from_list(f"{base.name}_pale", base(np.linspace(lo, hi, 256)))
    cm = cm.with_extremes(bad="#eeeeee")
    lowest, highest = float(np.nanmin(vals)), float(np.nanmax(vals))
    if vmin is None:
        vmin = 0.0 if lowest >= 0 else lowest  # counts start from zero
    extend = "neither"
    if vmax is None:
        vmax = highest
        top = float(np.nanpercentile(vals, 98))
        if highest > 1.25 * top:  # a few outliers would wash out the rest: cap the scale and say so
            vmax, extend = top, "max"
    norm = mcolors.Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1)
    zones_gdf.plot(ax=ax, color=cm(norm(vals)), edgecolor=edgecolor, linewidth=linewidth, zorder=1)
    if not colourbar:
        return cm
    sm = ScalarMappable(norm=norm, cmap=cm)
    fig = ax.figure
    rect = _colourbar_rect(ax)
    if rect is not None:
        cb = fig.colorbar(sm, cax=fig.add_axes(rect), orientation="horizontal", extend=extend)
    else:
        cb = fig.colorbar(sm, ax=ax, orientation="horizontal", shrink=0.5, pad=0.02, fraction=0.04, extend=extend)
    cb.set_label(label, fontsize=8.5)
    cb.ax.tick_params(labelsize=8, length=3, width=0.5)
    cb.outline.set_linewidth(0.5)
    return cm


def draw_settings(
    ax: Axes,
    settings_df: pd.DataFrame,
    *,
    scale_by_places: bool = True,
    types: Sequence[str] = SETTING_TYPES,
    legend: bool = True,
    size: float = 60.0,
) -> None:
    """Mark the settings that have a location, by type (filled markers); area proportional to places if
    `scale_by_places` (else `size`). Out-of-county settings have no location and are left out."""
    df = settings_df[settings_df["x"].notna() & settings_df["y"].notna()]
    if "out_of_county" in df.columns:
        df = df[~df["out_of_county"].astype(bool)]
    if legend:
        _section(ax, "Existing provision")
    for t in types:
        sub = df[df["setting_type"] == t]
        if sub.empty:
            continue
        if scale_by_places:
            places = sub["places"].fillna(sub["base_pupils"]) if "base_pupils" in sub else sub["places"]
            s = place_size(places)
        else:
            s = np.full(len(sub), size)
        order = np.argsort(-s, kind="stable")  # big ones first, so small ones stay visible on top
        ax.scatter(
            sub["x"].to_numpy()[order],
            sub["y"].to_numpy()[order],
            s=s[order],
            marker=SETTING_MARKERS[t],
            c=SETTING_COLOURS[t],
            edgecolors="white",
            linewidths=0.6,
            zorder=4,
            label="_nolegend_",
        )
        if legend:
            _entry(
                ax,
                f"{SETTING_LABELS[t]} ({len(sub)})",
                marker=SETTING_MARKERS[t],
                markersize=8 if t != "independent" else 6.5,
                markerfacecolor=SETTING_COLOURS[t],
                markeredgecolor="white",
                markeredgewidth=0.6,
            )
    if legend and scale_by_places:
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


def draw_projects(
    ax: Axes,
    df: pd.DataFrame,
    kind: str = "commitments",
    *,
    legend: bool = True,
    size: float = PROJECT_SIZE,
) -> None:
    """Mark committed projects (kind='commitments': filled stars) or candidate options (kind='options': hollow
    markers, one per location and type), coloured by setting type, with a key entry per type."""
    if kind not in ("commitments", "options"):
        raise ValueError("draw_projects: kind must be 'commitments' or 'options'")
    type_col = "project_type" if kind == "commitments" else "option_type"
    sub = df[df["x"].notna() & df["y"].notna()]
    if sub.empty:
        return
    if kind == "options":
        sub = sub.drop_duplicates([type_col, "setting_type", "x", "y"])
    if legend:
        _section(ax, "Committed projects (number, places)" if kind == "commitments" else "Candidate sites (options)")
    for ptype, setting_type in sub[[type_col, "setting_type"]].drop_duplicates().itertuples(index=False):
        part = sub[(sub[type_col] == ptype) & (sub["setting_type"] == setting_type)]
        colour = SETTING_COLOURS.get(setting_type, "#444444")
        n = len(part)
        if kind == "commitments":
            ax.scatter(
                part["x"],
                part["y"],
                s=size * 1.5,
                marker=COMMITMENT_MARKER,
                c=colour,
                edgecolors="black",
                linewidths=0.6,
                zorder=6,
                label="_nolegend_",
            )
            what = COMMITMENT_LABELS.get(ptype, str(ptype).replace("_", " ").capitalize())
            places = f", {part['places'].sum():,.0f} places" if "places" in part.columns else ""
            text = f"{what} ({n}{places})"
            style = dict(marker=COMMITMENT_MARKER, markersize=12.5, markerfacecolor=colour, markeredgecolor="black")
            style["markeredgewidth"] = 0.6
        else:
            marker = OPTION_MARKERS.get(ptype, "h")
            ax.scatter(
                part["x"],
                part["y"],
                s=size if ptype != "expansion" else size * 1.5,
                marker=marker,
                facecolors="none",
                edgecolors=colour,
                linewidths=1.3,
                zorder=5,
                label="_nolegend_",
            )
            what = OPTION_LABELS.get(ptype, str(ptype).replace("_", " ").capitalize())
            text = f"{what} ({n})"
            style = dict(marker=marker, markersize=9.5, markerfacecolor="none", markeredgecolor=colour)
            style["markeredgewidth"] = 1.3
        if legend:
            _entry(ax, text, **style)


# ---------------------------------------------------------------------------------------------------------
# districts and their names
def _marker_points(ax: Axes) -> np.ndarray:
    """Positions (data coordinates) of every scatter marker on the axes."""
    pts = [np.asarray(c.get_offsets(), dtype=float) for c in ax.collections if isinstance(c, PathCollection)]
    pts = [p for p in pts if len(p)]
    return np.vstack(pts) if pts else np.empty((0, 2))


def _boxes(cx: np.ndarray, cy: np.ndarray, w: float, h: float) -> np.ndarray:
    return shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _score(cx: np.ndarray, cy: np.ndarray, w: float, h: float, pts: np.ndarray, placed: list) -> np.ndarray:
    """Lower is better: markers under the label, and (heavily) overlap with labels already placed."""
    if len(pts):
        under = (np.abs(pts[None, :, 0] - cx[:, None]) < w * 0.55) & (np.abs(pts[None, :, 1] - cy[:, None]) < h * 0.6)
        score = under.sum(axis=1) * 1.5
    else:
        score = np.zeros(len(cx))
    boxes = _boxes(cx, cy, w, h)
    for other in placed:
        score = score + shapely.intersects(boxes, other) * 100.0
    return score


def _inner_point(poly: shapely.Geometry) -> shapely.Point:
    """The point deepest inside an area (of its largest part)."""
    parts = list(getattr(poly, "geoms", [poly]))
    biggest = max(parts, key=lambda g: g.area)
    return polylabel(biggest, tolerance=50.0) if biggest.area > 0 else poly.representative_point()


def label_districts(
    ax: Axes,
    districts: gpd.GeoDataFrame,
    *,
    name_col: str = "district_name",
    fontsize: float = 10.5,
    avoid: Sequence[shapely.Geometry] = (),
    leader: bool = True,
) -> list[shapely.Geometry]:
    """Name each district inside it, clear of markers and other labels. A district too small for its name
    (Norwich, say) gets it alongside, joined by a leader line (or no name if not `leader`). Returns the label
    boxes (data coordinates)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    per_px = (x1 - x0) / ax.get_window_extent(renderer).width  # metres per pixel (equal aspect)
    pts = _marker_points(ax)
    county = shapely.union_all(districts.geometry.to_numpy())
    placed: list[shapely.Geometry] = list(avoid)
    style: dict[str, Any] = dict(
        fontsize=fontsize,
        fontweight="bold",
        color=LABEL_COLOUR,
        ha="center",
        va="center",
        zorder=8,
        path_effects=HALO,
        linespacing=1.0,
    )

    def measure(text: str) -> tuple[float, float]:
        probe = ax.text(0, 0, text, **style)
        ext = probe.get_window_extent(renderer)
        probe.remove()
        return (ext.width + 8) * per_px, (ext.height + 6) * per_px  # a little room around the letters

    deferred = []
    for _, row in districts.assign(_area=districts.geometry.area).sort_values("_area", ascending=False).iterrows():
        poly, raw = row.geometry, str(row[name_col])
        name = "\n".join(textwrap.wrap(raw, 16))
        w, h = measure(name)
        step = max(min(w, h) / 4, 300.0)
        minx, miny, maxx, maxy = poly.bounds
        gx, gy = np.meshgrid(np.arange(minx, maxx, step), np.arange(miny, maxy, step))
        cx, cy = gx.ravel(), gy.ravel()
        shapely.prepare(poly)
        inside = shapely.contains(poly, _boxes(cx, cy, w, h))
        if not inside.any():
            deferred.append((poly, raw))
            continue
        cx, cy = cx[inside], cy[inside]
        depth = shapely.distance(shapely.points(cx, cy), poly.boundary) / max(w, h)
        score = _score(cx, cy, w, h, pts, placed) - np.minimum(depth, 1.0) * 2.0  # prefer the middle
        i = int(np.argmin(score))
        ax.text(cx[i], cy[i], name, **style)
        placed.append(_boxes(cx[i : i + 1], cy[i : i + 1], w, h)[0])
    for poly, raw in deferred if leader else []:
        name = "\n".join(textwrap.wrap(raw, 9))
        w, h = measure(name)
        placed.append(_leader_label(ax, poly, name, w, h, pts, placed, county, style))
    return placed


def _leader_label(
    ax: Axes,
    poly: shapely.Geometry,
    name: str,
    w: float,
    h: float,
    pts: np.ndarray,
    placed: list,
    county: shapely.Geometry,
    style: dict[str, Any],
) -> shapely.Geometry:
    """Put a label beside a small area, joined to it by a thin line: near it, clear of markers and labels,
    off the county if possible (over the sea or a neighbour)."""
    anchor = _inner_point(poly)
    (ax0, ax1), (ay0, ay1) = ax.get_xlim(), ax.get_ylim()
    frame = shapely.box(ax0, ay0, ax1, ay1).buffer(-0.3 * h)
    reach = max(w, h) + np.sqrt(poly.area)
    aa, rr = np.meshgrid(np.deg2rad(np.arange(0, 360, 10)), reach * np.array([0.6, 0.8, 1.0, 1.25, 1.5]))
    cx = anchor.x + (rr * np.cos(aa)).ravel()
    cy = anchor.y + (rr * np.sin(aa)).ravel()
    boxes = _boxes(cx, cy, w, h)
    score = _score(cx, cy, w, h, pts, placed)
    score = score + shapely.intersects(boxes, poly) * 50.0 + ~shapely.within(boxes, frame) * 500.0
    score = score + shapely.intersects(boxes, county) * 3.0 + rr.ravel() / reach  # off the county, and near
    i = int(np.argmin(score))
    box = boxes[i]
    ax.text(cx[i], cy[i], name, **style)
    edge = nearest_points(box.exterior, anchor)[0]
    ax.plot([edge.x, anchor.x], [edge.y, anchor.y], color=LABEL_COLOUR, lw=0.9, zorder=7.5, path_effects=HALO)
    ax.plot([anchor.x], [anchor.y], marker="o", markersize=3, color=LABEL_COLOUR, zorder=7.6)
    return box


# ---------------------------------------------------------------------------------------------------------
# map furniture
def _nice_length(span_m: float) -> float:
    """A round scale-bar length, about a fifth of the map width (metres)."""
    for km in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if km * 1000 >= span_m / 6:
            return km * 1000.0
    return 1_000_000.0


def draw_scale_bar(
    ax: Axes, length_m: float | None = None, *, loc: tuple[float, float] = (0.94, 0.035), fontsize: float = 8
) -> shapely.Geometry:
    """A black-and-white scale bar in km (BNG metres are true ground distance to within 0.1% here), its right
    end at `loc` (axes fraction). Returns the box it takes up (data coordinates)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    length = length_m or _nice_length(x1 - x0)
    height = (y1 - y0) * 0.011
    right = x0 + loc[0] * (x1 - x0)
    left, base = right - length, y0 + loc[1] * (y1 - y0)
    quarter = length / 4
    for i, (start, span) in enumerate([(0, quarter), (quarter, quarter), (2 * quarter, 2 * quarter)]):
        face = "black" if i % 2 == 0 else "white"
        ax.add_patch(Rectangle((left + start, base), span, height, fc=face, ec="black", lw=0.7, zorder=9))
    km = length / 1000
    for frac in (0, 0.5, 1):
        ax.text(
            left + frac * length,
            base + height * 1.7,
            f"{km * frac:g}",
            ha="center",
            va="bottom",
            fontsize=fontsize,
            zorder=9,
            path_effects=HALO,
        )
    ax.text(right + quarter * 0.25, base + height / 2, "km", ha="left", va="center", fontsize=fontsize, zorder=9)
    return shapely.box(left - quarter, base - height, right + quarter * 1.5, base + height * 5)


def draw_north_arrow(ax: Axes, *, loc: tuple[float, float] = (0.965, 0.85), size: float = 0.07) -> shapely.Geometry:
    """A north arrow (grid north, within 2 degrees of true north in East Anglia), its foot at `loc` (axes
    fraction). Returns the box it takes up (data coordinates)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    length = size * (y1 - y0)
    x, y = x0 + loc[0] * (x1 - x0), y0 + loc[1] * (y1 - y0)
    ax.add_patch(
        FancyArrow(
            x,
            y,
            0,
            length,
            width=length * 0.13,
            head_width=length * 0.45,
            head_length=length * 0.45,
            length_includes_head=True,
            fc="black",
            ec="black",
            zorder=9,
        )
    )
    ax.text(x, y + length * 1.05, "N", ha="center", va="bottom", fontsize=11, fontweight="bold", zorder=9)
    return shapely.box(x - length * 0.5, y - length * 0.1, x + length * 0.5, y + length * 1.6)


def _key_groups(ax: Axes) -> list[tuple[str, list[Any], list[str]]]:
    """The key entries of the axes, grouped under their section headings."""
    groups: list[tuple[str, list[Any], list[str]]] = []
    for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
        if isinstance(h, Line2D) and h.get_gid() == LEGEND_SECTION:
            groups.append((lab, [], []))
        else:
            if not groups:
                groups.append(("", [], []))
            groups[-1][1].append(h)
            groups[-1][2].append(lab)
    return [g for g in groups if g[1]]


def draw_key(ax: Axes, rect: Rect, *, fontsize: float = 8.3) -> list[Legend]:
    """Draw the key (legend) of the axes in `rect` (figure fraction): one titled block per section, top down,
    flowing into another column when the rect is full, in smaller type if it would run off the figure."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_fig = fig.transFigure.inverted()
    left, bottom, width, height = rect
    groups = _key_groups(ax)
    for size in (fontsize, fontsize * 0.93, fontsize * 0.86, fontsize * 0.8):
        x, y, col_right = left, bottom + height, left
        out: list[Legend] = []
        for title, handles, labels in groups:
            leg = fig.legend(
                handles,
                labels,
                loc="upper left",
                bbox_to_anchor=(x, y),
                title=title or None,
                alignment="left",
                fontsize=size,
                title_fontsize=size + 0.7,
                frameon=False,
                borderaxespad=0.0,
                borderpad=0.0,
                labelspacing=0.5,
                handlelength=1.5,
                handletextpad=0.6,
            )
            if title:
                leg.get_title().set_fontweight("bold")
            box = leg.get_window_extent(renderer).transformed(to_fig)
            if box.y0 < bottom and y < bottom + height:  # no room left in this column: start another
                x, y = col_right + 0.015, bottom + height
                leg.set_bbox_to_anchor((x, y))
                box = leg.get_window_extent(renderer).transformed(to_fig)
            col_right = max(col_right, box.x1)
            y = box.y0 - 0.022
            out.append(leg)
        if col_right <= left + width + 0.005 or size == fontsize * 0.8:
            return out
        for leg in out:
            leg.remove()
    return out


def key_bottom(legends: Sequence[Legend]) -> float | None:
    """The lowest edge of the key (figure fraction), or None if there is no key."""
    if not legends:
        return None
    fig = legends[0].figure
    to_fig = fig.transFigure.inverted()
    return min(leg.get_window_extent(fig.canvas.get_renderer()).transformed(to_fig).y0 for leg in legends)


def _notes(fig: Figure, notes: Sequence[str], rect: Rect, fontsize: float = 7.8) -> None:
    """Notes in a shaded box at the top left of `rect` (figure fraction), wrapped to its width."""
    left, bottom, width, height = rect
    chars = max(30, int(width * fig.get_size_inches()[0] * 72 / (fontsize * 0.56)))
    bullet = len(notes) > 1
    text = "\n".join(
        textwrap.fill(n, chars, initial_indent="• " if bullet else "", subsequent_indent="   " if bullet else "")
        for n in notes
    )
    fig.text(left + 0.006, bottom + height - 0.006, text, ha="left", va="top", fontsize=fontsize, bbox=NOTE_BOX)


def _closed(geoms: gpd.GeoSeries, close_m: float) -> gpd.GeoSeries:
    """Geometries closed over gaps narrower than 2 x `close_m` (rivers the boundary files leave out)."""
    if close_m <= 0:
        return geoms
    return geoms.buffer(close_m, quad_segs=4).buffer(-close_m, quad_segs=4)


def draw_boundaries(ax: Axes, districts: gpd.GeoDataFrame, *, close_m: float = 250.0) -> None:
    """District boundaries (thin) and the county outline (thicker). Both are closed over rivers narrower than
    2 x `close_m`, which the clipped boundary files leave out, so a river inside a district draws no line."""
    closed = _closed(districts.geometry, close_m)
    closed.boundary.plot(ax=ax, color=DISTRICT_EDGE, linewidth=0.8, zorder=3)
    county = gpd.GeoSeries([shapely.union_all(closed.to_numpy())], crs=districts.crs)
    _closed(county, close_m).boundary.plot(ax=ax, color=COUNTY_EDGE, linewidth=1.2, zorder=3)


@dataclass
class Inset:
    """A larger-scale view of a crowded area, drawn in the key panel under the key.

    `draw(ax)` draws the map's layers again on the inset axes (without key entries or colour bar); `focus` is a
    district name or bounds (BNG metres), widened by `pad_m`. Its extent is outlined on the main map.
    """

    draw: Callable[[Axes], None]
    focus: str | Sequence[float]
    pad_m: float = 1500.0
    title: str | None = None


def _focus_bounds(districts: gpd.GeoDataFrame, inset: Inset, name_col: str = "district_name") -> np.ndarray:
    if isinstance(inset.focus, str):
        hit = districts[districts[name_col] == inset.focus]
        if hit.empty:
            raise ValueError(f"inset: no district named {inset.focus!r}")
        b = np.asarray(hit.total_bounds, dtype=float)
    else:
        b = np.asarray(inset.focus, dtype=float)
    return b + np.array([-inset.pad_m, -inset.pad_m, inset.pad_m, inset.pad_m])


def _draw_inset(ax: Axes, districts: gpd.GeoDataFrame, inset: Inset, rect: Rect, extent: Sequence[float]) -> Axes:
    """Draw `inset` in `rect` (figure fraction) showing `extent` (BNG metres) and return its axes."""
    fig = ax.figure
    iax = fig.add_axes(rect)
    iax.set_axis_off()
    inset.draw(iax)
    draw_boundaries(iax, districts)
    iax.set_autoscale_on(False)
    iax.set_xlim(extent[0], extent[2])
    iax.set_ylim(extent[1], extent[3])
    iax.set_aspect("equal")
    iax.add_patch(Rectangle((0, 0), 1, 1, transform=iax.transAxes, fill=False, ec="#222222", lw=0.9, zorder=10))
    frame = shapely.box(*extent)
    inner = frame.buffer(-0.02 * (extent[2] - extent[0]))
    clipped = districts.assign(geometry=districts.geometry.intersection(inner))
    clipped = clipped[~clipped.geometry.is_empty & (clipped.geometry.area > 0.03 * frame.area)]
    avoid = [draw_scale_bar(iax, loc=(0.88, 0.03), fontsize=7)]
    if inset.title:
        t = iax.text(
            0.5, 0.995, inset.title, transform=iax.transAxes, ha="center", va="top", fontsize=8.3,
            fontweight="bold", zorder=11, bbox=dict(boxstyle="square,pad=0.35", fc="white", ec="none", alpha=0.9),
        )  # fmt: skip
        ext = t.get_window_extent(fig.canvas.get_renderer()).transformed(iax.transData.inverted())
        avoid.append(shapely.box(ext.x0, ext.y0, ext.x1, ext.y1))
    label_districts(iax, clipped, fontsize=8.5, avoid=avoid, leader=False)
    return iax


@dataclass
class MapLayout:
    """What finish_map drew: the key's legends, the inset axes and the panel region left free."""

    legends: list[Legend] = field(default_factory=list)
    inset_ax: Axes | None = None
    free: Rect | None = None


def finish_map(
    ax: Axes,
    data_or_districts: PlanningData | gpd.GeoDataFrame,
    title: str = "",
    *,
    notes: Sequence[str] = (),
    inset: Inset | None = None,
    attribution: str = ATTRIBUTION,
    key: bool = True,
    labels: bool = True,
) -> MapLayout:
    """Districts outlined and named, north arrow, scale bar, key, optional inset, notes, title, attribution."""
    districts = getattr(data_or_districts, "districts", data_or_districts)
    fig = ax.figure
    layout = MapLayout()
    draw_boundaries(ax, districts)
    _set_extent(ax, districts.total_bounds)
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, ec="#9a9a9a", lw=0.6, zorder=10))
    avoid = [draw_scale_bar(ax), draw_north_arrow(ax)]

    panel, footer = _panel(ax), _footer(ax)
    if key and panel is not None:
        layout.legends = draw_key(ax, panel)
    elif key and footer is not None:
        fl, fb, fw, fh = footer
        layout.legends = draw_key(ax, (fl + fw * 0.45, fb, fw * 0.55, fh))
    if panel is not None:
        low = key_bottom(layout.legends) if layout.legends else None
        pl, pb, pw, ph = panel
        top = (low - 0.035) if low is not None else pb + ph
        layout.free = (pl, pb, pw, top - pb) if top - pb > 0.05 else None

    inset_at = None
    if inset is not None and layout.free is not None:
        rect, layout.free = layout.free, None
        extent = _fit(_focus_bounds(districts, inset), rect, fig, 0.0)
        x0, y0, x1, y1 = extent
        box = Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="#222222", lw=1.0, ls=(0, (4, 2)), zorder=7)
        ax.add_patch(box)
        avoid.append(shapely.box(*extent).boundary)
        inset_at = (rect, extent)
    if labels:
        label_districts(ax, districts, avoid=avoid)
    if inset_at is not None:
        layout.inset_ax = _draw_inset(ax, districts, inset, *inset_at)

    if notes:
        if footer is not None:
            fl, fb, fw, fh = footer
            cb = _colourbar_rect(ax)
            x = fl if panel is None else fl + fw * 0.42
            w = fw * (0.43 if panel is None else 0.58)
            top = cb[1] - 0.045 if panel is None and cb is not None else fb + fh
            _notes(fig, notes, (x, fb, w, top - fb))
        elif layout.free is not None:
            _notes(fig, notes, layout.free)
    if title:
        fig.text(0.012, 1 - 0.18 / fig.get_size_inches()[1], title, ha="left", va="top", fontsize=14, fontweight="bold")
    fig.text(0.012, 0.012, attribution, ha="left", va="bottom", fontsize=6.8, color="#555555")
    return layout


def save_map(fig: Figure, path: str | Path, dpi: int = DPI) -> Path:
    """Save the figure (PNG, or by the path's suffix) at `dpi`, close it (free its memory), return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fig.savefig(path, dpi=dpi, facecolor="white")
    finally:
        close_map(fig)
    return path


def close_map(fig: Figure) -> None:
    """Close a map figure: drop it from pyplot if pyplot manages it, and clear it."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)
    fig.clear()


# ---------------------------------------------------------------------------------------------------------
# the data map
def base_year_demand(data: PlanningData, projection: str = "central") -> pd.Series:
    """Specialist demand in the base year by zone_id (pupils), summed over need groups and phases."""
    from planner.data.demand import zone_demand

    zd = zone_demand(data, projection)
    base = zd[zd["year"] == data.base_year].groupby("zone_id")["demand"].sum()
    return base.reindex(data.zones["zone_id"]).fillna(0.0)


def out_of_county_note(settings: pd.DataFrame) -> str | None:
    """A sentence on base-year pupils placed outside the county, who have no place on the map."""
    if "out_of_county" not in settings.columns:
        return None
    ooc = settings[settings["out_of_county"].astype(bool)]
    if ooc.empty:
        return None
    where = {
        "special": "in other councils' special schools",
        "independent": "in independent special schools",
        "srb": "in other councils' resource bases",
        "ap": "in alternative provision",
    }
    pupils = ooc.groupby("setting_type", sort=False)["base_pupils"].sum()
    parts = [f"{n:,.0f} pupils {where.get(t, t)}" for t, n in pupils.items()]
    return "Out of county (not on the map): " + "; ".join(parts) + "."


def _data_layers(ax: Axes, data: PlanningData, demand: pd.Series, *, key: bool) -> None:
    """The layers of the data map: zones by demand, existing settings, committed projects, option sites."""
    if not key:  # an inset: same colours as the main map, no colour bar or key entries
        shade_zones(ax, data.zones, demand, "", colourbar=False)
    draw_settings(ax, data.settings, legend=key)
    draw_projects(ax, data.commitments, kind="commitments", legend=key)
    draw_projects(ax, data.options, kind="options", legend=key)


def data_map(
    data: PlanningData, path: str | Path, projection: str = "central", *, area: str = "Norfolk", inset: str = "Norwich"
) -> Path:
    """The data map: zones shaded by base-year specialist demand, the districts, existing settings, committed
    projects and candidate option sites, with key, notes, scale bar, north arrow and attribution; `inset` names
    a crowded district to show enlarged under the key ("" for none). Returns the path written."""
    demand = base_year_demand(data, projection)
    level = {"msoa": "MSOA", "lsoa": "LSOA", "district": "district"}.get(data.zone_level, data.zone_level)
    year = year_label(data.base_year)
    fig, ax = new_map(A4_LANDSCAPE, bounds=data.districts.total_bounds)
    shade_zones(ax, data.zones, demand, f"Specialist demand {year}, pupils per {level} (estimate)")
    _data_layers(ax, data, demand, key=True)
    placed = data.phases[data.phases["placed_by_model"]]
    ages = f" aged {int(placed['min_age'].min())}-{int(placed['max_age'].max())}" if len(placed) else ""
    notes = [
        f"Demand: {demand.sum():,.0f} pupils{ages} with plans were in a specialist place in {year} (January "
        f"{data.base_year} census). The county figure is shared between the {len(data.zones)} {level}s by "
        "children aged 0-15 (Census 2021): an estimate, as no public source gives plans by small area.",
    ]
    c, o = data.commitments, data.options
    if len(c) or len(o):
        opening = c["opening_year"].dropna().astype(int)
        when = f", opening {year_label(opening.min())} to {year_label(opening.max())}" if len(opening) else ""
        notes.append(
            f"Committed: {len(c)} projects, {c['places'].sum():,.0f} places{when}. Options: {len(o)} candidate "
            f"projects at {o[['x', 'y']].drop_duplicates().shape[0]} locations (a location may offer several "
            "designations and sizes); the model chooses among them."
        )
    ooc = out_of_county_note(data.settings)
    if ooc:
        notes.append(ooc)
    spec = None
    if inset and inset in set(data.districts["district_name"]):
        spec = Inset(
            draw=lambda iax: _data_layers(iax, data, demand, key=False),
            focus=inset,
            title=f"{inset} area (dashed box)",
        )
    title = f"{area}: base-year ({year}) demand for specialist places and existing provision"
    finish_map(ax, data, title=title, notes=notes, inset=spec)
    return save_map(fig, path)
