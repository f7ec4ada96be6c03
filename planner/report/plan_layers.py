"""The layers of a plan on a map, shared by plan.png and the comparison of two plans: existing provision in grey
(marker shape by type), the new places coloured by opening year (committed projects as stars, the options
built by project type), all sized by places and numbered, with their key. One PlanStyle colours every map of
a report or comparison, so two plans side by side have the same scale and colours."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from planner.data.schema import SETTING_LABELS
from planner.formats import year_label
from planner.report.mapkit.key import entry, section, size_entries
from planner.report.mapkit.labels import LABEL_COLUMNS
from planner.report.mapkit.layers import draw_plain_zones, places_or_pupils, scatter_settings, shade_zones
from planner.report.style import (
    COMMITMENT_MARKER,
    EXISTING_FILL,
    HIGHLIGHT,
    NEW_PLACE_LABELS,
    OPENING_CMAP,
    OPENING_RANGE,
    OPTION_MARKERS,
    STAR_BOOST,
    ZONE_CMAP,
    ZONE_CMAP_RANGE,
    new_size,
    place_size,
)
from planner.report.summaries import project_refs, with_xy

if TYPE_CHECKING:
    import geopandas as gpd

BIG_PROJECT_PLACES = 50  # projects this big (and new schools, expansions) are named on the map
KEY_GREY = dict(markerfacecolor="#dcdcdc", markeredgecolor="black", markeredgewidth=0.7)  # new places' shapes


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

    @classmethod
    def for_run_years(cls, *projects: pd.DataFrame, years: list[int]) -> PlanStyle:
        """A style from the first planned year (after the base year) to the last of `years`, and the projects'."""
        return cls.for_projects(*projects, first=years[1] if len(years) > 1 else years[0], last=years[-1])

    def colour(self, year: float) -> tuple[float, float, float, float]:
        cmap = mpl.colormaps[OPENING_CMAP]
        if len(self.years) <= 1:
            return cmap(OPENING_RANGE[0])
        i = min(max(int(year) - self.years[0], 0), len(self.years) - 1)
        lo, hi = OPENING_RANGE
        return cmap(lo + (hi - lo) * i / (len(self.years) - 1))


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


# ---------------------------------------------------------------------------------------------------------
# layers
def prepare_projects(projects: pd.DataFrame | None) -> pd.DataFrame:
    """Projects numbered (project_refs) with x/y in BNG metres."""
    if projects is None or projects.empty:
        columns = [
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
        return project_refs(pd.DataFrame(columns=columns)).assign(x=pd.Series(dtype=float), y=pd.Series(dtype=float))
    return with_xy(project_refs(projects))


def draw_existing(ax: Axes, settings: pd.DataFrame, *, legend: bool = True) -> None:
    """Existing provision in the county in grey, marker shape by setting type, area proportional to places."""
    if legend:
        section(ax, "Existing provision (grey)")
    label = (lambda t, sub: f"{SETTING_LABELS[t]} ({len(sub)})") if legend else None
    scatter_settings(
        ax, settings, lambda sub: place_size(places_or_pupils(sub)), fill=EXISTING_FILL, linewidth=0.5, key=label
    )


def project_marker(row: Any) -> str:
    """The marker of a project: a star if committed, else by project type."""
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
                marker=project_marker(r),
                c=[style.colour(r.opening_year)],
                edgecolors="black",
                linewidths=0.8,
                zorder=7,
                label="_nolegend_",
            )
    if legend:
        key_plan_projects(ax, style, projects, highlight=bool(highlight))


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
        section(ax, f"Zones: unmet local need {year_label(unmet.year)}")
        for v in unmet.steps():
            entry(ax, f"{v:,.0f} pupils", marker="s", markersize=9, color=unmet.colour(v), markeredgecolor="#999999")


# ---------------------------------------------------------------------------------------------------------
# key
def key_new_places(
    ax: Axes, style: PlanStyle, title: str, committed: str | None, options: dict[str, str], ring: str | None
) -> None:
    """Key entries for new places under `title`: the committed projects' star (labelled `committed`), the shape
    of each project type in `options` (type: label), the ring (labelled `ring`), opening-year colours and
    marker sizes."""
    section(ax, title)
    if committed:
        entry(ax, committed, marker=COMMITMENT_MARKER, markersize=12, **KEY_GREY)
    for ptype, label in options.items():
        entry(ax, label, marker=OPTION_MARKERS[ptype], markersize=8.5, **KEY_GREY)
    if ring:
        ring_style = dict(markerfacecolor="none", markeredgecolor=HIGHLIGHT, markeredgewidth=1.6)
        entry(ax, ring, marker="o", markersize=12, **ring_style)
    section(ax, "Opening year (fill)")
    for y in style.years:
        year_style = dict(markerfacecolor=style.colour(y), markeredgecolor="black", markeredgewidth=0.5)
        entry(ax, year_label(y), marker="s", markersize=8.5, **year_style)
    size_entries(
        ax, (16, 50, 170), new_size, size_label, markerfacecolor="#dcdcdc", markeredgecolor="black", markeredgewidth=0.6
    )


def key_plan_projects(ax: Axes, style: PlanStyle, projects: pd.DataFrame, *, highlight: bool = False) -> None:
    """Key entries for the new places of one plan, with their numbers and places."""

    def counted(label: str, sub: pd.DataFrame) -> str:
        return f"{label} ({len(sub)}; {sub['places'].sum():,.0f} places)"

    com = projects[projects["kind"] == "commitment"] if len(projects) else projects
    opt = projects[projects["kind"] == "option"] if len(projects) else projects
    options = {}
    for ptype, label in NEW_PLACE_LABELS.items():
        sub = opt[opt["project_type"] == ptype] if len(opt) else opt
        if len(sub):
            options[ptype] = counted(label, sub)
    committed = counted("Committed project", com) if len(com) else None
    ring = "Differs from the other plan" if highlight else None
    key_new_places(ax, style, "New places (numbered)", committed, options, ring)


def size_label(places: int) -> str:
    """A key label for a marker of `places` new places, pushed right (en spaces) clear of a marker wider than
    the key's handle column."""
    overflow = (float(np.sqrt(new_size([places])[0])) - 12.5) / 2  # points beyond the handle, each side
    return "\u2002" * max(0, int(np.ceil(overflow / 4.0))) + f"{places} new places"


# ---------------------------------------------------------------------------------------------------------
# labels
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


def sites(projects: pd.DataFrame, order: str | None = None) -> Iterator[tuple[float, float, float, pd.DataFrame]]:
    """The locations of projects: x, y (of the first project there, in `order` if given), the area of the biggest
    marker there (points^2), and its projects."""
    pr = projects[projects["x"].notna()] if len(projects) else projects
    for _, g in pr.groupby([pr["x"].round(0), pr["y"].round(0)], sort=False):
        g = g.sort_values(order) if order else g
        size = float(new_size(g["places"]).max() * (STAR_BOOST if (g["kind"] == "commitment").any() else 1.0))
        yield float(g["x"].iloc[0]), float(g["y"].iloc[0]), size, g


def _is_big(r: Any) -> bool:
    return r.project_type in ("new_school", "expansion") or float(r.places) >= BIG_PROJECT_PLACES


def site_labels(projects: pd.DataFrame, *, names: bool = True) -> pd.DataFrame:
    """One label per location: the project numbers there, and for big projects a short name and places."""
    rows = []
    for x, y, size, g in sites(projects, "ref"):
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
        rows.append(dict(x=x, y=y, text=text, big=bool(big), size=size))
    return pd.DataFrame(rows, columns=LABEL_COLUMNS)
