"""What frames a map: scale bar, north arrow, notes, an inset of a crowded area, and finish_map, which puts
them round the layers with the boundaries, district names, key, title and attribution."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import FancyArrow, Rectangle

from planner.report.mapkit.figure import (
    HALO,
    Rect,
    attribution_text,
    colourbar_rect,
    fit,
    footer_rect,
    frame_axes,
    panel_rect,
    set_extent,
    show_extent,
    title_text,
)
from planner.report.mapkit.key import draw_key, key_bottom
from planner.report.mapkit.labels import label_districts
from planner.report.mapkit.layers import draw_boundaries
from planner.report.style import NOTE_BOX


# ---------------------------------------------------------------------------------------------------------
# scale bar and north arrow
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
    arrow = FancyArrow(
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
    ax.add_patch(arrow)
    ax.text(x, y + length * 1.05, "N", ha="center", va="bottom", fontsize=11, fontweight="bold", zorder=9)
    return shapely.box(x - length * 0.5, y - length * 0.1, x + length * 0.5, y + length * 1.6)


def draw_map_frame(
    ax: Axes, districts: gpd.GeoDataFrame, *, scale_fontsize: float = 8, arrow_size: float = 0.07
) -> list[shapely.Geometry]:
    """The boundaries, the map fitted to the county, its frame, scale bar and north arrow; returns the boxes of
    the scale bar and arrow (for labels to avoid)."""
    draw_boundaries(ax, districts)
    set_extent(ax, districts.total_bounds)
    frame_axes(ax)
    return [draw_scale_bar(ax, fontsize=scale_fontsize), draw_north_arrow(ax, size=arrow_size)]


# ---------------------------------------------------------------------------------------------------------
# notes
def draw_notes(fig: Figure, notes: Sequence[str], rect: Rect, fontsize: float = 7.8) -> None:
    """Notes in a shaded box at the top left of `rect` (figure fraction), wrapped to its width."""
    left, bottom, width, height = rect
    chars = max(30, int(width * fig.get_size_inches()[0] * 72 / (fontsize * 0.56)))
    bullet = len(notes) > 1
    text = "\n".join(
        textwrap.fill(n, chars, initial_indent="• " if bullet else "", subsequent_indent="   " if bullet else "")
        for n in notes
    )
    fig.text(left + 0.006, bottom + height - 0.006, text, ha="left", va="top", fontsize=fontsize, bbox=NOTE_BOX)


def footer_notes(ax: Axes, notes: Sequence[str]) -> None:
    """Notes across the whole footer under the map (a map without a colour bar)."""
    rect = footer_rect(ax, least=0.04)
    if rect is not None:
        draw_notes(ax.figure, notes, rect)


def _map_notes(ax: Axes, notes: Sequence[str], free: Rect | None) -> None:
    """Notes in the footer beside the colour bar (or the key), else in the panel's free region."""
    footer, panel = footer_rect(ax), panel_rect(ax)
    if footer is not None:
        fl, fb, fw, fh = footer
        cb = colourbar_rect(ax)
        x = fl if panel is None else fl + fw * 0.42
        w = fw * (0.43 if panel is None else 0.58)
        top = cb[1] - 0.045 if panel is None and cb is not None else fb + fh
        draw_notes(ax.figure, notes, (x, fb, w, top - fb))
    elif free is not None:
        draw_notes(ax.figure, notes, free)


# ---------------------------------------------------------------------------------------------------------
# inset
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


def district_inset(districts: gpd.GeoDataFrame, draw: Callable[[Axes], None], name: str) -> Inset | None:
    """An inset of the district `name` (with its title), or None if there is no such district ('' for none)."""
    if not name or name not in set(districts["district_name"]):
        return None
    return Inset(draw=draw, focus=name, title=f"{name} area (dashed box)")


def _focus_bounds(districts: gpd.GeoDataFrame, inset: Inset) -> np.ndarray:
    if isinstance(inset.focus, str):
        hit = districts[districts["district_name"] == inset.focus]
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
    show_extent(iax, extent)
    frame_axes(iax, "#222222", 0.9)
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


# ---------------------------------------------------------------------------------------------------------
# finishing a map
@dataclass
class MapLayout:
    """What finish_map drew: the key's legends, the inset axes and the panel region left free."""

    legends: list[Legend] = field(default_factory=list)
    inset_ax: Axes | None = None
    free: Rect | None = None


def _draw_map_key(ax: Axes) -> MapLayout:
    """The key in the panel (or the footer's right part); the panel region under it is left free."""
    layout = MapLayout()
    panel, footer = panel_rect(ax), footer_rect(ax)
    if panel is not None:
        layout.legends = draw_key(ax, panel)
    elif footer is not None:
        fl, fb, fw, fh = footer
        layout.legends = draw_key(ax, (fl + fw * 0.45, fb, fw * 0.55, fh))
    if panel is not None:
        low = key_bottom(layout.legends) if layout.legends else None
        pl, pb, pw, ph = panel
        top = (low - 0.035) if low is not None else pb + ph
        layout.free = (pl, pb, pw, top - pb) if top - pb > 0.05 else None
    return layout


def finish_map(
    ax: Axes,
    districts: gpd.GeoDataFrame,
    title: str = "",
    *,
    notes: Sequence[str] = (),
    inset: Inset | None = None,
) -> MapLayout:
    """Districts outlined and named, north arrow, scale bar, key, optional inset, notes, title, attribution."""
    fig = ax.figure
    avoid = draw_map_frame(ax, districts)
    layout = _draw_map_key(ax)
    inset_at = None
    if inset is not None and layout.free is not None:
        rect, layout.free = layout.free, None
        extent = fit(_focus_bounds(districts, inset), rect, fig, 0.0)
        x0, y0, x1, y1 = extent
        box = Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="#222222", lw=1.0, ls=(0, (4, 2)), zorder=7)
        ax.add_patch(box)
        avoid.append(shapely.box(*extent).boundary)
        inset_at = (rect, extent)
    label_districts(ax, districts, avoid=avoid)
    if inset is not None and inset_at is not None:
        layout.inset_ax = _draw_inset(ax, districts, inset, *inset_at)
    if notes:
        _map_notes(ax, notes, layout.free)
    if title:
        title_text(fig, title)
    attribution_text(fig)
    return layout
