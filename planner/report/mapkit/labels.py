"""Names on a map, placed clear of markers and of each other: districts named inside them (or beside a small
one, with a leader line), and labels of points (project numbers) moved away with a leader line when crowded."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from shapely.ops import nearest_points, polylabel

from planner.report.mapkit.figure import HALO
from planner.report.style import LABEL_COLOUR

LABEL_COLUMNS = ["x", "y", "text", "big", "size"]  # what label_points places: big labels first, size: marker area


def marker_points(ax: Axes) -> np.ndarray:
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


# ---------------------------------------------------------------------------------------------------------
# districts
def label_districts(
    ax: Axes,
    districts: gpd.GeoDataFrame,
    *,
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
    pts = marker_points(ax)
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
        poly, raw = row.geometry, str(row["district_name"])
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
# points
def _obstacles(ax: Axes) -> list[shapely.Geometry]:
    """Pixel shapes of what labels must not cover: the texts already on the axes (district names, scale bar,
    north arrow), a little padded, and short lines (leader lines of district names)."""
    r = ax.figure.canvas.get_renderer()
    out: list[shapely.Geometry] = []
    for t in ax.texts:
        if t.get_visible() and t.get_text().strip():
            e = t.get_window_extent(r)
            out.append(shapely.box(e.x0 - 3, e.y0 - 3, e.x1 + 3, e.y1 + 3))
    for line in ax.lines:
        xy = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
        if 2 <= len(xy) <= 10 and np.isfinite(xy).all():
            out.append(shapely.LineString(ax.transData.transform(xy)).buffer(2))
    return out


def label_points(
    ax: Axes,
    labels: pd.DataFrame,
    *,
    fontsize: float = 7.0,
    within: Sequence[float] | None = None,
) -> int:
    """Put each label (x, y in data coordinates; text, big, size: the marker's area) near its point, clear of the
    markers on the axes, other labels and the map's texts, with a thin leader line when it had to move away.
    `within`: only points inside these bounds. Big labels are placed first. Returns the number drawn."""
    if labels.empty:
        return 0
    lab = labels
    if within is not None:
        x0, y0, x1, y1 = within
        lab = lab[(lab["x"] >= x0) & (lab["x"] <= x1) & (lab["y"] >= y0) & (lab["y"] <= y1)]
    lab = lab.sort_values(["big", "size"], ascending=False)
    avoid = marker_points(ax)
    pts = ax.transData.transform(avoid) if len(avoid) else np.empty((0, 2))
    taken = _obstacles(ax)
    style = dict(fontsize=fontsize, color=LABEL_COLOUR, zorder=9, path_effects=HALO, linespacing=1.0)
    for r in lab.itertuples():
        _label_point(ax, r, pts, taken, style)
    return len(lab)


def _label_point(ax: Axes, r: Any, pts: np.ndarray, taken: list[shapely.Geometry], style: dict[str, Any]) -> None:
    """Place one label (a row of label_points) at the best of the positions round its marker; pixels."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    dpi_scale = fig.dpi / 72.0
    to_data = ax.transData.inverted().transform
    px, py = ax.transData.transform((r.x, r.y))
    probe = ax.text(0, 0, r.text, fontweight="bold" if r.big else "normal", **style)
    ext = probe.get_window_extent(renderer)
    probe.remove()
    w, h = ext.width + 2, ext.height + 2
    rad = np.sqrt(r.size) / 2 * dpi_scale + 2  # marker radius, pixels
    best, best_score = None, np.inf
    for k, dist in enumerate((rad, rad + 9 * dpi_scale, rad + 22 * dpi_scale, rad + 40 * dpi_scale)):
        for a in np.deg2rad(np.arange(0, 360, 30)):
            cx, cy = px + np.cos(a) * (dist + w / 2), py + np.sin(a) * (dist + h / 2)
            box = shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            score = k * 1.5 + (0.3 if np.sin(a) < -0.5 else 0.0)  # near, and rather beside or above
            inside = frame.x0 + 4 < cx - w / 2 and cx + w / 2 < frame.x1 - 4
            if not (inside and frame.y0 + 4 < cy - h / 2 and cy + h / 2 < frame.y1 - 4):
                score += 1000
            score += 60 * sum(box.intersects(t) for t in taken)
            if len(pts):
                under = (np.abs(pts[:, 0] - cx) < w / 2 + 3) & (np.abs(pts[:, 1] - cy) < h / 2 + 3)
                score += 4 * int(under.sum())
            if score < best_score:
                best, best_score = (cx, cy, k, box), score
    assert best is not None
    cx, cy, k, box = best
    dx, dy = to_data((cx, cy))
    ax.text(dx, dy, r.text, ha="center", va="center", fontweight="bold" if r.big else "normal", **style)
    taken.append(box)
    if k >= 2:  # moved away: a leader line from the label to the marker
        edge = nearest_points(box.exterior, shapely.Point(px, py))[0]
        (ex, ey), (mx, my) = to_data((edge.x, edge.y)), to_data((px, py))
        ax.plot([ex, mx], [ey, my], color="#333333", lw=0.6, zorder=8.5)
