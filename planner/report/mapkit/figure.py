"""A map's figure and its regions: the map axes, the panel on the right (key, inset), the footer under the map
(colour bar, notes); fitting the axes to an area; title, attribution; saving and closing.

Coordinates are British National Grid metres (EPSG:27700), so distances on the map are true to scale.
Regions are figure fractions (left, bottom, width, height).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path

import matplotlib.patheffects as pe
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from planner.report.style import A4_LANDSCAPE, ATTRIBUTION, DPI

Rect = tuple[float, float, float, float]  # figure fraction: left, bottom, width, height
Bounds = tuple[float, float, float, float]  # BNG metres: minx, miny, maxx, maxy

HALO = [pe.withStroke(linewidth=3.2, foreground="white")]  # white outline: text stays legible on any colour
GAP = 0.012  # between regions of the figure (figure fraction)
MAP_MARGIN = 0.03  # room around the mapped area, as a share of its larger side


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A white figure at print resolution, not managed by pyplot (no global state, any backend)."""
    fig = Figure(figsize=figsize, dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


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
    fig = new_figure(figsize)
    top = 1 - 0.6 / figsize[1]  # room for the title
    bottom = 0.03 + footer if footer > 0 else 0.045
    left = 0.012
    width = 1 - left - 0.012 - (panel + GAP if panel > 0 else 0)
    if bounds is not None:
        x0, y0, x1, y1 = padded(bounds, MAP_MARGIN)
        height = width * figsize[0] * (y1 - y0) / (x1 - x0) / figsize[1]
        bottom = max(bottom, top - height)
    ax = fig.add_axes((left, bottom, width, top - bottom))
    ax.set_aspect("equal")
    ax.set_axis_off()  # no ticks or axis labels; a thin frame is drawn by frame_axes
    return fig, ax


def panel_rect(ax: Axes) -> Rect | None:
    """The region right of the map, from its top to the foot of the figure, or None."""
    pos = ax.get_position()
    left, bottom = pos.x1 + GAP, 0.045
    return (left, bottom, 0.988 - left, pos.y1 - bottom) if 0.988 - left > 0.08 else None


def footer_rect(ax: Axes, *, least: float = 0.05) -> Rect | None:
    """The region under the map (above the attribution line), or None if lower than `least`."""
    pos = ax.get_position()
    bottom, top = 0.04, pos.y0 - GAP
    return (pos.x0, bottom, pos.width, top - bottom) if top - bottom > least else None


def colourbar_rect(ax: Axes) -> Rect | None:
    """Where a map's colour bar goes: the top left of the footer, else the foot of the panel."""
    footer, panel = footer_rect(ax), panel_rect(ax)
    if footer is not None:
        left, bottom, width, height = footer
        return (left + 0.015, bottom + height - 0.06, min(width * 0.36, 0.3), 0.022)
    if panel is not None:
        left, bottom, width, _ = panel
        return (left + 0.01, bottom + 0.04, width - 0.03, 0.022)
    return None


def padded(bounds: Sequence[float], margin: float) -> Bounds:
    """`bounds` widened on every side by `margin` times their larger side."""
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    pad = margin * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def fit(bounds: Sequence[float], rect: Rect, fig: Figure, margin: float) -> Bounds:
    """`bounds` plus a margin, widened in one direction to the shape of `rect` (figure fraction)."""
    minx, miny, maxx, maxy = padded(bounds, margin)
    fig_w, fig_h = fig.get_size_inches()
    box_ratio = (rect[3] * fig_h) / (rect[2] * fig_w)  # height / width of the box
    w, h = maxx - minx, maxy - miny
    if h / w < box_ratio:  # the area is wider than the box: add height
        extra = (w * box_ratio - h) / 2
        return minx, miny - extra, maxx, maxy + extra
    extra = (h / box_ratio - w) / 2
    return minx - extra, miny, maxx + extra, maxy


def show_extent(ax: Axes, extent: Sequence[float]) -> None:
    """Show exactly `extent` (BNG metres) on the axes, equal aspect."""
    ax.set_autoscale_on(False)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")


def set_extent(ax: Axes, bounds: Sequence[float], margin: float = MAP_MARGIN) -> None:
    """Fit the axes to `bounds` (BNG metres) plus a margin, equal aspect, filling the axes box."""
    pos = ax.get_position()
    show_extent(ax, fit(bounds, (pos.x0, pos.y0, pos.width, pos.height), ax.figure, margin))


def frame_axes(ax: Axes, colour: str = "#9a9a9a", linewidth: float = 0.6) -> None:
    """A thin frame round the axes."""
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, ec=colour, lw=linewidth, zorder=10))


def title_text(fig: Figure, title: str) -> None:
    """The figure's title, at its top left."""
    fig.text(0.012, 1 - 0.18 / fig.get_size_inches()[1], title, ha="left", va="top", fontsize=14, fontweight="bold")


def attribution_text(fig: Figure, text: str = ATTRIBUTION) -> None:
    """The data attribution, in small type at the foot of the figure."""
    fig.text(0.012, 0.012, text, ha="left", va="bottom", fontsize=6.8, color="#555555")


def save_map(fig: Figure, path: str | Path, dpi: int = DPI) -> Path:
    """Save the figure (PNG, or by the path's suffix) at `dpi`, close it (free its memory), return the path. A PNG is
    stored with a palette of 256 colours: a map or chart looks the same at a third of the size (reports are
    e-mailed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.suffix.lower() == ".png":
            buffer = io.BytesIO()
            fig.savefig(buffer, dpi=dpi, facecolor="white", format="png")
            buffer.seek(0)
            with Image.open(buffer) as image:
                image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
        else:
            fig.savefig(path, dpi=dpi, facecolor="white")
    finally:
        close_map(fig)
    return path


def close_map(fig: Figure) -> None:
    """Close a map figure: drop it from pyplot if pyplot manages it, and clear it."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)
    fig.clear()
