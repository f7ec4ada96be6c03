"""What a map shows: zones (shaded by a measure, or plain), district and county boundaries, settings by type,
and the data folder's committed projects and candidate sites. Each layer adds its own key entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import geopandas as gpd
import matplotlib as mpl
import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable

from planner.data.schema import SETTING_LABELS, SETTING_TYPES
from planner.report.mapkit.figure import colourbar_rect
from planner.report.mapkit.key import entry, section, size_entries
from planner.report.style import (
    COMMITMENT_LABELS,
    COMMITMENT_MARKER,
    COUNTY_EDGE,
    DISTRICT_EDGE,
    OPTION_LABELS,
    OPTION_MARKERS,
    PROJECT_SIZE,
    SETTING_COLOURS,
    SETTING_MARKERS,
    ZONE_CMAP,
    ZONE_CMAP_RANGE,
    ZONE_EDGE,
    ZONE_FILL,
    ZONE_MISSING,
    place_size,
)

if TYPE_CHECKING:
    from matplotlib.colorbar import Colorbar


# ---------------------------------------------------------------------------------------------------------
# zones and boundaries
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
    vals = _zone_values(zones_gdf, values)
    base = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    lo, hi = cmap_range
    cm = mcolors.LinearSegmentedColormap.from_list(f"{base.name}_pale", base(np.linspace(lo, hi, 256)))
    cm = cm.with_extremes(bad=ZONE_MISSING)
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
    if colourbar:
        _colourbar(ax, ScalarMappable(norm=norm, cmap=cm), label, extend)
    return cm


def _zone_values(zones_gdf: gpd.GeoDataFrame, values: pd.Series | Sequence[float] | np.ndarray) -> np.ndarray:
    """`values` in the order of the zones: a Series by zone_id is matched to them."""
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
    return vals


def _colourbar(ax: Axes, sm: ScalarMappable, label: str, extend: str) -> Colorbar:
    """A horizontal colour bar in the map's footer (or panel), labelled with the measure and its units."""
    fig = ax.figure
    rect = colourbar_rect(ax)
    if rect is not None:
        cb = fig.colorbar(sm, cax=fig.add_axes(rect), orientation="horizontal", extend=extend)
    else:
        cb = fig.colorbar(sm, ax=ax, orientation="horizontal", shrink=0.5, pad=0.02, fraction=0.04, extend=extend)
    cb.set_label(label, fontsize=8.5)
    cb.ax.tick_params(labelsize=8, length=3, width=0.5)
    cb.outline.set_linewidth(0.5)
    return cb


def draw_plain_zones(ax: Axes, zones: gpd.GeoDataFrame) -> None:
    """The zones as a neutral background with thin white boundaries."""
    zones.plot(ax=ax, color=ZONE_FILL, edgecolor="white", linewidth=0.35 if len(zones) < 300 else 0.2, zorder=1)


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


# ---------------------------------------------------------------------------------------------------------
# settings
def in_county(settings: pd.DataFrame) -> pd.DataFrame:
    """The settings with a place on the map: a location, and not out of county."""
    df = settings[settings["x"].notna() & settings["y"].notna()]
    return df[~df["out_of_county"].astype(bool)] if "out_of_county" in df.columns else df


def places_or_pupils(settings: pd.DataFrame) -> pd.Series:
    """Places of each setting; its pupils where it has no places (independent schools, say)."""
    return settings["places"].where(settings["places"].notna() & (settings["places"] > 0), settings["pupils"])


def is_new(settings: pd.DataFrame) -> np.ndarray:
    """True for settings a commitment or an option added (origin other than 'existing')."""
    if "origin" not in settings.columns:
        return np.zeros(len(settings), bool)
    return (settings["origin"] != "existing").to_numpy()


def scatter_settings(
    ax: Axes,
    settings: pd.DataFrame,
    area: Callable[[pd.DataFrame], np.ndarray],
    *,
    fill: str | None = None,
    linewidth: float = 0.6,
    ring_new: bool = False,
    zorder: float = 4,
    largest_first: bool = True,
    key: Callable[[str, pd.DataFrame], str] | None = None,
    key_size: tuple[float, float] = (7.5, 6.0),
    key_edge: float | None = 0.5,
) -> None:
    """Mark the settings in the county by type (marker shape), filled with `fill` or the type's colour, white
    edged (black and thicker for new ones if `ring_new`); `area(settings of a type)` gives marker areas, big ones
    drawn first (under) if `largest_first`. `key(type, its settings)` labels a key entry per type (marker size
    `key_size`: others, independent; edge width `key_edge`, None the default)."""
    df = in_county(settings)
    for t in SETTING_TYPES:
        sub = df[df["setting_type"] == t]
        if sub.empty:
            continue
        s = area(sub)
        order = np.argsort(-s, kind="stable") if largest_first else np.arange(len(sub))
        colour = fill or SETTING_COLOURS[t]
        edge, width = "white", linewidth
        if ring_new:
            new = is_new(sub)[order]
            edge, width = np.where(new, "black", "white"), np.where(new, 0.8, linewidth)
        ax.scatter(
            sub["x"].to_numpy()[order],
            sub["y"].to_numpy()[order],
            s=s[order],
            marker=SETTING_MARKERS[t],
            c=colour,
            edgecolors=edge,
            linewidths=width,
            zorder=zorder,
            label="_nolegend_",
        )
        if key is not None:
            entry(
                ax,
                key(t, sub),
                marker=SETTING_MARKERS[t],
                markersize=key_size[t == "independent"],
                markerfacecolor=colour,
                markeredgecolor="white",
                markeredgewidth=key_edge,
            )


def places_key(ax: Axes) -> None:
    """Key entries for settings' marker sizes (area proportional to places)."""
    size_entries(
        ax,
        (25, 100, 200),
        place_size,
        lambda p: f"{p} places",
        markerfacecolor="#c4c4c4",
        markeredgecolor="#6f6f6f",
        markeredgewidth=0.5,
    )


def draw_settings(ax: Axes, settings: pd.DataFrame, *, legend: bool = True) -> None:
    """Settings of a data folder (base year) by type in their colours, area proportional to places (base-year
    pupils where none). Out-of-county settings have no location and are left out."""

    def area(sub: pd.DataFrame) -> np.ndarray:
        return place_size(sub["places"].fillna(sub["base_pupils"]) if "base_pupils" in sub else sub["places"])

    if legend:
        section(ax, "Existing provision")
    label = (lambda t, sub: f"{SETTING_LABELS[t]} ({len(sub)})") if legend else None
    scatter_settings(ax, settings, area, key=label, key_size=(8.0, 6.5), key_edge=0.6)
    if legend:
        places_key(ax)


# ---------------------------------------------------------------------------------------------------------
# a data folder's projects
def draw_projects(
    ax: Axes, df: pd.DataFrame, kind: str = "commitments", *, legend: bool = True, size: float = PROJECT_SIZE
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
        section(ax, "Committed projects (number, places)" if kind == "commitments" else "Candidate sites (options)")
    for ptype, setting_type in sub[[type_col, "setting_type"]].drop_duplicates().itertuples(index=False):
        part = sub[(sub[type_col] == ptype) & (sub["setting_type"] == setting_type)]
        colour = SETTING_COLOURS.get(setting_type, "#444444")
        what = str(ptype).replace("_", " ").capitalize()
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
            places = f", {part['places'].sum():,.0f} places" if "places" in part.columns else ""
            text = f"{COMMITMENT_LABELS.get(ptype, what)} ({len(part)}{places})"
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
            text = f"{OPTION_LABELS.get(ptype, what)} ({len(part)})"
            style = dict(marker=marker, markersize=9.5, markerfacecolor="none", markeredgecolor=colour)
            style["markeredgewidth"] = 1.3
        if legend:
            entry(ax, text, **style)
