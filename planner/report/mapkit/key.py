"""A map's key (legend): layers add entries without data under titled sections; draw_key lays the sections out
in a region of the figure, top down, flowing into another column when it is full."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.lines import Line2D

from planner.report.mapkit.figure import Rect

LEGEND_SECTION = "legend-section"  # gid of the empty legend entries that head a group of the key


def section(ax: Axes, title: str) -> None:
    """Start a titled group of the key."""
    (h,) = ax.plot([], [], linestyle="none", label=title)
    h.set_gid(LEGEND_SECTION)


def entry(ax: Axes, label: str, **style: Any) -> None:
    """A key entry without data (a proxy), so the key shows one clear marker per type."""
    style.setdefault("linestyle", "none")
    ax.plot([], [], label=label, **style)


def size_entries(
    ax: Axes,
    places: Iterable[int],
    area: Callable[[list[float]], np.ndarray],
    label: Callable[[int], str],
    **style: Any,
) -> None:
    """A section of round markers showing how marker area stands for places (`area`: points^2 of places)."""
    section(ax, "Marker area = places")
    for p in places:
        entry(ax, label(p), marker="o", markersize=float(np.sqrt(area([p])[0])), **style)


def key_groups(ax: Axes) -> list[tuple[str, list[Any], list[str]]]:
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
    left, _, width, _ = rect
    groups = key_groups(ax)
    out: list[Legend] = []
    for size in (fontsize, fontsize * 0.93, fontsize * 0.86, fontsize * 0.8):
        out, col_right = _key_blocks(ax, groups, rect, size)
        if col_right <= left + width + 0.005 or size == fontsize * 0.8:
            return out
        for leg in out:
            leg.remove()
    return out


def _key_blocks(
    ax: Axes, groups: list[tuple[str, list[Any], list[str]]], rect: Rect, size: float
) -> tuple[list[Legend], float]:
    """The key's blocks in type of `size`, and the right edge of the last column (figure fraction)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_fig = fig.transFigure.inverted()
    left, bottom, _, height = rect
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
    return out, col_right


def key_bottom(legends: Sequence[Legend]) -> float | None:
    """The lowest edge of the key (figure fraction), or None if there is no key."""
    if not legends:
        return None
    fig = legends[0].figure
    to_fig = fig.transFigure.inverted()
    return min(leg.get_window_extent(fig.canvas.get_renderer()).transformed(to_fig).y0 for leg in legends)
