"""plan.png: the plan on one map. Reads the data folder's geography and a run's tidy tables, never the model.

Existing provision is grey (marker shape by type); the new places of the plan are coloured by opening year:
committed projects as stars, the options the plan builds by project type, all sized by places and numbered.
The layers are drawn by functions the comparison figure reuses with one shared style, so two plans side by
side have the same scale and colours.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes

from planner.report.maps import (
    A4_LANDSCAPE,
    COMMITMENT_MARKER,
    HALO,
    LABEL_COLOUR,
    OPTION_MARKERS,
    SETTING_LABELS,
    SETTING_MARKERS,
    ZONE_CMAP,
    ZONE_CMAP_RANGE,
    Inset,
    _entry,
    _notes,
    _section,
    finish_map,
    new_map,
    place_size,
    save_map,
    shade_zones,
    year_label,
)
from planner.report.run_data import STATE_TYPES, existing_settings, project_refs, with_xy, zone_measures

if TYPE_CHECKING:
    import geopandas as gpd

    from planner.data import Geography as PlanningData

OPENING_CMAP = "viridis"
OPENING_RANGE = (0.0, 0.92)  # the palest yellow-green is too faint on the pale zones
ZONE_FILL = "#f2f0ea"  # neutral zones: the plan map's colours are the opening years
EXISTING_FILL = "#8c8c8c"
NEW_SIZE_PER_PLACE = 2.2  # marker area (points^2) per place of a new project
NEW_SIZE_MIN, NEW_SIZE_MAX = 34.0, 420.0
STAR_BOOST = 1.7  # a star covers less of its box than a square: draw it larger for the same places
BIG_PROJECT_PLACES = 50  # projects this big (and new schools, expansions) are named on the map
HIGHLIGHT = "#d6006e"  # ring round projects that differ between two compared plans


def new_size(places: Iterable[float]) -> np.ndarray:
    """Marker area (points^2) of a new project with `places` places."""
    p = np.nan_to_num(np.asarray(list(places), dtype=float))
    return np.clip(p * NEW_SIZE_PER_PLACE, NEW_SIZE_MIN, NEW_SIZE_MAX)


@dataclass(frozen=True)
class PlanStyle:
    """The colours of opening years, shared by every map of one report or comparison."""

    years: tuple[int, ...]

    @classmethod
    def for_years(cls, first: int, last: int) -> PlanStyle:
        return cls(tuple(range(int(first), int(last) + 1)))

    @classmethod
    def for_projects(cls, *projects: pd.DataFrame, first: int | None = None, last: int | None = None) -> PlanStyle:
        """A style covering the opening years of all `projects` (and `first`..`last` if given)."""
        ys = [int(y) for p in projects if len(p) for y in p["opening_year"].dropna()]
        lo = min([*ys, *([first] if first is not None else [])], default=first or 2026)
        hi = max([*ys, *([last] if last is not None else [])], default=last or lo)
        return cls.for_years(lo, hi)

    def colour(self, year: float) -> tuple[float, float, float, float]:
        cmap = mpl.colormaps[OPENING_CMAP]
        if len(self.years) <= 1:
            return cmap(OPENING_RANGE[0])
        i = min(max(int(year) - self.years[0], 0), len(self.years) - 1)
        lo, hi = OPENING_RANGE
        return cmap(lo + (hi - lo) * i / (len(self.years) - 1))

    def colours(self, years: Iterable[float]) -> np.ndarray:
        return np.array([self.colour(y) for y in years]).reshape(-1, 4)


# ---------------------------------------------------------------------------------------------------------
# layers
def draw_plain_zones(ax: Axes, zones: gpd.GeoDataFrame) -> None:
    """The zones as a neutral background with thin white boundaries."""
    zones.plot(ax=ax, color=ZONE_FILL, edgecolor="white", linewidth=0.35 if len(zones) < 300 else 0.2, zorder=1)


def draw_existing(ax: Axes, settings: pd.DataFrame, *, legend: bool = True, types: Sequence[str] = ()) -> None:
    """Existing provision in the county in grey, marker shape by setting type, area proportional to places."""
    df = settings[settings["x"].notna() & ~settings["out_of_county"].astype(bool)]
    if legend:
        _section(ax, "Existing provision (grey)")
    for t in types or ("special", "srb", "ap", "independent"):
        sub = df[df["setting_type"] == t]
        if sub.empty:
            continue
        places = sub["places"].where(sub["places"].notna() & (sub["places"] > 0), sub["pupils"])
        s = place_size(places)
        order = np.argsort(-s, kind="stable")
        ax.scatter(
            sub["x"].to_numpy()[order],
            sub["y"].to_numpy()[order],
            s=s[order],
            marker=SETTING_MARKERS[t],
            c=EXISTING_FILL,
            edgecolors="white",
            linewidths=0.5,
            zorder=4,
            label="_nolegend_",
        )
        if legend:
            _entry(
                ax,
                f"{SETTING_LABELS[t]} ({len(sub)})",
                marker=SETTING_MARKERS[t],
                markersize=7.5 if t != "independent" else 6,
                markerfacecolor=EXISTING_FILL,
                markeredgecolor="white",
                markeredgewidth=0.5,
            )


def _marker(row: Any) -> str:
    return COMMITMENT_MARKER if row.kind == "commitment" else OPTION_MARKERS.get(row.project_type, "h")


def draw_new_projects(
    ax: Axes, projects: pd.DataFrame, style: PlanStyle, *, highlight: Iterable[str] = (), legend: bool = True
) -> None:
    """Committed projects (stars) and built options (shape by project type), filled with the colour of their
    opening year, area proportional to their places in the last year; big ones under small ones. Projects
    whose id is in `highlight` get a ring."""
    pr = projects[projects["x"].notna()] if len(projects) else projects
    highlight = set(highlight)
    if len(pr):
        size = new_size(pr["places"]) * np.where(pr["kind"] == "commitment", STAR_BOOST, 1.0)
        pr = pr.assign(msize=size).sort_values("msize", ascending=False, kind="stable")
        for r in pr.itertuples():
            if r.project_id in highlight:
                ax.scatter(
                    [r.x],
                    [r.y],
                    s=r.msize * 2.6 + 120,
                    marker="o",
                    facecolors="none",
                    edgecolors=HIGHLIGHT,
                    linewidths=1.6,
                    zorder=6.5,
                    label="_nolegend_",
                )
            ax.scatter(
                [r.x],
                [r.y],
                s=r.msize,
                marker=_marker(r),
                c=[style.colour(r.opening_year)],
                edgecolors="black",
                linewidths=0.8,
                zorder=7,
                label="_nolegend_",
            )
    if legend:
        key_new_projects(ax, style, projects, highlight=bool(highlight))


def key_new_projects(ax: Axes, style: PlanStyle, projects: pd.DataFrame, *, highlight: bool = False) -> None:
    """Key entries for new places: marker shapes, opening-year colours and marker sizes."""
    _section(ax, "New places (numbered)")
    grey = dict(markerfacecolor="#dcdcdc", markeredgecolor="black", markeredgewidth=0.7)
    com = projects[projects["kind"] == "commitment"] if len(projects) else projects
    if len(com):
        _entry(
            ax, f"Committed project ({len(com)}; {com['places'].sum():,.0f} places)", marker="*", markersize=12, **grey
        )
    opt = projects[projects["kind"] == "option"] if len(projects) else projects
    labels = {"new_school": "New special school", "expansion": "School expansion", "srb": "New SRB", "ap": "New AP"}
    for ptype, label in labels.items():
        sub = opt[opt["project_type"] == ptype] if len(opt) else opt
        if len(sub):
            _entry(
                ax,
                f"{label} ({len(sub)}; {sub['places'].sum():,.0f} places)",
                marker=OPTION_MARKERS[ptype],
                markersize=8.5,
                **grey,
            )
    if highlight:
        _entry(
            ax,
            "Differs from the other plan",
            marker="o",
            markersize=12,
            markerfacecolor="none",
            markeredgecolor=HIGHLIGHT,
            markeredgewidth=1.6,
        )
    _section(ax, "Opening year (fill)")
    for y in style.years:
        _entry(
            ax,
            year_label(y),
            marker="s",
            markersize=8.5,
            markerfacecolor=style.colour(y),
            markeredgecolor="black",
            markeredgewidth=0.5,
        )
    _section(ax, "Marker area = places")
    for p in (16, 50, 170):
        _entry(
            ax,
            size_label(p),
            marker="o",
            markersize=float(np.sqrt(new_size([p])[0])),
            markerfacecolor="#dcdcdc",
            markeredgecolor="black",
            markeredgewidth=0.6,
        )


def size_label(places: int) -> str:
    """A key label for a marker of `places` new places, pushed right (en spaces) clear of a marker wider than
    the key's handle column."""
    overflow = (float(np.sqrt(new_size([places])[0])) - 12.5) / 2  # points beyond the handle, each side
    return "\u2002" * max(0, int(np.ceil(overflow / 4.0))) + f"{places} new places"


# ---------------------------------------------------------------------------------------------------------
# labels
def _is_big(r: Any) -> bool:
    return r.project_type in ("new_school", "expansion") or float(r.places) >= BIG_PROJECT_PLACES


def short_name(name: str) -> str:
    """A project name short enough for a map label."""
    for old, new in (
        ("Local First Inclusion school", "LFI school"),
        (" Primary School", " Primary"),
        (" Primary Academy", " Primary"),
        ("Expand ", ""),
        (" School expansion", " expansion"),
    ):
        name = name.replace(old, new)
    return name


def site_labels(projects: pd.DataFrame, *, names: bool = True) -> pd.DataFrame:
    """One label per location: the project numbers there, and for big projects a short name and places."""
    rows = []
    pr = projects[projects["x"].notna()] if len(projects) else projects
    for _, g in pr.groupby([pr["x"].round(0), pr["y"].round(0)], sort=False):
        g = g.sort_values("ref")
        refs = ", ".join(str(int(r)) for r in g["ref"])
        big = [r for r in g.itertuples() if _is_big(r)]
        if names and big:
            r = big[0]
            expansion = r.project_type == "expansion" and isinstance(r.setting_name, str) and r.setting_name
            name = short_name(r.setting_name if expansion else r.name)
            places = sum(float(b.places) for b in big)
            text = "\n".join(textwrap.wrap(f"{refs} {name} ({'+' if expansion else ''}{places:,.0f})", 24))
        else:
            text = refs
        size = float(new_size(g["places"]).max() * (STAR_BOOST if (g["kind"] == "commitment").any() else 1.0))
        rows.append(dict(x=float(g["x"].iloc[0]), y=float(g["y"].iloc[0]), text=text, big=bool(big), size=size))
    return pd.DataFrame(rows, columns=["x", "y", "text", "big", "size"])


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
    avoid_points: np.ndarray | None = None,
) -> int:
    """Put each label near its point (x, y in data coordinates), clear of markers, other labels and the map's
    texts, with a thin leader line when it had to move away. `within`: only points inside these bounds.
    Big labels are placed first. Returns the number of labels drawn."""
    if labels.empty:
        return 0
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    to_data = ax.transData.inverted().transform
    frame = ax.get_window_extent(renderer)
    lab = labels
    if within is not None:
        x0, y0, x1, y1 = within
        lab = lab[(lab["x"] >= x0) & (lab["x"] <= x1) & (lab["y"] >= y0) & (lab["y"] <= y1)]
    lab = lab.sort_values(["big", "size"], ascending=False)
    pts = to_px(avoid_points) if avoid_points is not None and len(avoid_points) else np.empty((0, 2))
    taken = _obstacles(ax)
    dpi_scale = fig.dpi / 72.0
    style = dict(fontsize=fontsize, color=LABEL_COLOUR, zorder=9, path_effects=HALO, linespacing=1.0)
    n = 0
    for r in lab.itertuples():
        px, py = to_px((r.x, r.y))
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
                if not (
                    frame.x0 + 4 < cx - w / 2
                    and cx + w / 2 < frame.x1 - 4
                    and frame.y0 + 4 < cy - h / 2
                    and cy + h / 2 < frame.y1 - 4
                ):
                    score += 1000
                score += 60 * sum(box.intersects(t) for t in taken)
                if len(pts):
                    inside = (np.abs(pts[:, 0] - cx) < w / 2 + 3) & (np.abs(pts[:, 1] - cy) < h / 2 + 3)
                    score += 4 * int(inside.sum())
                if score < best_score:
                    best, best_score = (cx, cy, k, box), score
        assert best is not None
        cx, cy, k, box = best
        dx, dy = to_data((cx, cy))
        ax.text(dx, dy, r.text, ha="center", va="center", fontweight="bold" if r.big else "normal", **style)
        taken.append(box)
        if k >= 2:  # moved away: a leader line from the label to the marker
            edge = shapely.ops.nearest_points(box.exterior, shapely.Point(px, py))[0]
            (ex, ey), (mx, my) = to_data((edge.x, edge.y)), to_data((px, py))
            ax.plot([ex, mx], [ey, my], color="#333333", lw=0.6, zorder=8.5)
        n += 1
    return n


def _marker_xy(ax: Axes) -> np.ndarray:
    from planner.report.maps import _marker_points

    return _marker_points(ax)


# ---------------------------------------------------------------------------------------------------------
# the plan map
def plan_layers(
    ax: Axes,
    zones: gpd.GeoDataFrame,
    existing: pd.DataFrame,
    projects: pd.DataFrame,
    style: PlanStyle,
    *,
    legend: bool = True,
    highlight: Iterable[str] = (),
    unmet: UnmetShading | None = None,
) -> None:
    """Zones (shaded by unmet local need when given), existing provision and the plan's new places."""
    if unmet is None:
        draw_plain_zones(ax, zones)
    else:
        shade_zones(ax, zones, unmet.values, "", colourbar=False, vmin=0.0, vmax=unmet.vmax)
    draw_existing(ax, existing, legend=legend)
    draw_new_projects(ax, projects, style, legend=legend, highlight=highlight)
    if unmet is not None and legend:
        _section(ax, f"Zones: unmet local need {year_label(unmet.year)}")
        for v in unmet.steps():
            _entry(
                ax, f"{v:,.0f} pupils", marker="s", markersize=9,
                color=unmet.colour(v), markeredgecolor="#999999",
            )  # fmt: skip


@dataclass
class UnmetShading:
    """Zones shaded by their children placed in independent or out-of-county settings in one year."""

    values: pd.Series  # by zone_id
    year: int

    @property
    def vmax(self) -> float:
        return max(float(self.values.max()), 1.0)

    def steps(self) -> list[float]:
        return [0.0, self.vmax / 2, self.vmax]

    def colour(self, v: float) -> Any:
        base = mpl.colormaps[ZONE_CMAP]
        lo, hi = ZONE_CMAP_RANGE
        return base(lo + (hi - lo) * min(max(v / self.vmax, 0.0), 1.0))


def prepare_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects numbered (project_refs) with x/y in BNG metres."""
    if projects is None or projects.empty:
        return project_refs(
            pd.DataFrame(
                columns=[
                    "project_id",
                    "kind",
                    "project_type",
                    "opening_year",
                    "district_id",
                    "name",
                    "places",
                    "places_at_opening",
                    "lon",
                    "lat",
                ]
            )
        ).assign(x=pd.Series(dtype=float), y=pd.Series(dtype=float))
    return with_xy(project_refs(projects))


def plan_notes(projects: pd.DataFrame, last_year: int, existing: pd.DataFrame) -> list[str]:
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


def plan_map(
    data: PlanningData, tables: dict[str, pd.DataFrame], path: str | Path, *, title_year: int, inset: str = "Norwich"
) -> Path:
    """The plan on one A4 map: existing provision, committed projects and the new projects the plan builds, sized
    by places, coloured by opening year and numbered (big ones named); Norwich enlarged under the key."""
    projects = prepare_projects(tables["projects"])
    sby = tables["settings_by_year"]
    years = sorted(int(y) for y in sby["year"].unique())
    base, last = years[0], years[-1]
    existing = existing_settings(sby, base)
    style = PlanStyle.for_projects(projects, first=years[1] if len(years) > 1 else base, last=last)
    unmet = None
    if "placements" in tables and len(tables["placements"]):
        zm = zone_measures(tables["placements"], title_year, data.zones["zone_id"])
        unmet = UnmetShading(zm["independent_or_ooc"], title_year)
    fig, ax = new_map(A4_LANDSCAPE, bounds=data.districts.total_bounds)
    plan_layers(ax, data.zones, existing, projects, style, unmet=unmet)
    spec = None
    if inset and inset in set(data.districts["district_name"]):
        spec = Inset(
            draw=lambda iax: plan_layers(iax, data.zones, existing, projects, style, legend=False, unmet=unmet),
            focus=inset,
            title=f"{inset} area (dashed box)",
        )
    title = (
        f"The plan to {year_label(last)}: new specialist places by opening year "
        f"(budget target {year_label(title_year)})"
    )
    layout = finish_map(ax, data, title=title, inset=spec)
    labels = site_labels(projects)
    inset_box = None
    if layout.inset_ax is not None:
        iax = layout.inset_ax
        (ix0, ix1), (iy0, iy1) = iax.get_xlim(), iax.get_ylim()
        inset_box = (ix0, iy0, ix1, iy1)
        label_points(iax, labels, fontsize=6.5, within=inset_box, avoid_points=_marker_xy(iax))
    outside = labels
    if inset_box is not None and len(labels):
        x0, y0, x1, y1 = inset_box
        inside = labels["x"].between(x0, x1) & labels["y"].between(y0, y1)
        outside = labels[~inside]
    label_points(ax, outside, fontsize=7.0, avoid_points=_marker_xy(ax))
    notes = plan_notes(projects, last, settings_with_ooc(sby, base))
    if unmet is not None:
        notes.append(
            f"Zone shading: unmet local need, the zone's children placed in independent or out-of-county settings "
            f"in {year_label(title_year)} ({unmet.values.sum():,.0f} in all)."
        )
    _footer_notes(ax, notes)
    return save_map(fig, path)


def settings_with_ooc(sby: pd.DataFrame, year: int) -> pd.DataFrame:
    s = sby[sby["year"] == year]
    return s[s["setting_type"].isin([*STATE_TYPES, "independent"])]


def _footer_notes(ax: Axes, notes: Sequence[str]) -> None:
    """Notes across the footer under the map (no colour bar on this map)."""
    pos = ax.get_position()
    bottom, top = 0.04, pos.y0 - 0.012
    if top - bottom > 0.04:
        _notes(ax.figure, notes, (pos.x0, bottom, pos.width, top - bottom))


__all__ = [
    "PlanStyle",
    "draw_existing",
    "draw_new_projects",
    "draw_plain_zones",
    "label_points",
    "plan_layers",
    "plan_map",
    "prepare_projects",
    "site_labels",
]
