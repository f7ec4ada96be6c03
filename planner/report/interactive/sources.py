"""The data of the interactive map, in web Mercator: zones with their measures and colour mappers, districts,
and one point source per group of settings or projects, with what their tooltips show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, LinearColorMapper

from planner.data.schema import PROJECT_TYPE_LABELS, SETTING_LABELS, SETTING_TYPES
from planner.formats import fmt_gbp, year_label
from planner.report.style import ZONE_CMAP, ZONE_CMAP_RANGE, ZONE_MISSING
from planner.report.summaries import pupils_by_need, with_xy, zone_measures

if TYPE_CHECKING:
    import geopandas as gpd

    from planner.data import Geography
    from planner.report.plan_layers import PlanStyle
    from planner.runfolder import RunTables

WEB = "EPSG:3857"
SIMPLIFY_M = 25.0  # boundary simplification (metres): a smaller page, no visible change at county scale
PROJECT_MARKERS = {"new_school": "hex", "expansion": "circle", "srb": "square", "ap": "triangle"}
OPTION_GROUPS = {
    "new_school": "new special schools",
    "expansion": "school expansions",
    "srb": "new SRBs",
    "ap": "new AP",
}


def _palette(cmap: str, lo: float, hi: float, n: int = 256) -> list[str]:
    cm = mpl.colormaps[cmap]
    return [mcolors.to_hex(cm(v)) for v in np.linspace(lo, hi, n)]


def polygons(geoms: gpd.GeoSeries) -> tuple[list, list]:
    """Bokeh multi_polygons coordinates (xs, ys) of polygons and multipolygons, holes kept."""
    xs, ys = [], []
    for g in geoms:
        parts = list(getattr(g, "geoms", [g]))
        px, py = [], []
        for part in parts:
            rings = [part.exterior, *part.interiors]
            px.append([np.asarray(r.coords)[:, 0].round(1).tolist() for r in rings])
            py.append([np.asarray(r.coords)[:, 1].round(1).tolist() for r in rings])
        xs.append(px)
        ys.append(py)
    return xs, ys


def lines(geoms: gpd.GeoSeries) -> tuple[list, list]:
    """Bokeh multi_line coordinates (xs, ys) of the boundaries of areas."""
    xs, ys = [], []
    for g in geoms:
        b = g.boundary
        for part in getattr(b, "geoms", [b]):
            c = np.asarray(part.coords)
            xs.append(c[:, 0].round(1).tolist())
            ys.append(c[:, 1].round(1).tolist())
    return xs, ys


def simplified(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Areas with simplified boundaries, in web Mercator."""
    out = areas.copy()
    out["geometry"] = out.geometry.simplify(SIMPLIFY_M, preserve_topology=True)
    return out.to_crs(WEB)


# ---------------------------------------------------------------------------------------------------------
# zones
@dataclass
class ZoneLayer:
    """Zones in web Mercator, their measures (the source's columns), colour mappers and titles by measure."""

    zones: gpd.GeoDataFrame
    source: ColumnDataSource
    mappers: dict[str, LinearColorMapper]
    titles: dict[str, str]
    first: str = "independent_or_ooc"  # the measure shown first


def _mapper(values: np.ndarray, cmap: str, lo: float, hi: float) -> LinearColorMapper:
    """A colour mapper from zero to the values' 98th percentile (their top, if no outliers are above it)."""
    finite = values[np.isfinite(values)]
    top = float(np.percentile(finite, 98)) if len(finite) else 1.0
    top = max(top, float(finite.max()) if len(finite) and finite.max() <= 1.25 * top else top, 1e-9)
    palette = _palette(cmap, lo, hi)
    return LinearColorMapper(
        palette=palette, low=0.0, high=top, low_color=ZONE_MISSING, high_color=palette[-1], nan_color=ZONE_MISSING
    )


def zone_layer(geo: Geography, run: RunTables) -> ZoneLayer:
    """The zones with three measures of the target year to shade them by."""
    target = run.target_year
    zones = simplified(geo.zones)
    zm = zone_measures(run.placements, target, zones["zone_id"])
    measures = {
        "independent_or_ooc": (
            f"Children in independent or out-of-county settings {year_label(target)}",
            ZONE_CMAP,
            ZONE_CMAP_RANGE,
        ),
        "mean_journey_km": (f"Mean journey to school {year_label(target)}, road km", "PuBu", (0.05, 0.6)),
        "pupils": (f"Specialist pupils {year_label(target)}", "Greens", (0.05, 0.5)),
    }
    dnames = geo.district_names
    xs, ys = polygons(zones.geometry)
    columns: dict[str, Any] = {
        "xs": xs,
        "ys": ys,
        "zone_id": zones["zone_id"].tolist(),
        "zone_name": zones["zone_name"].tolist(),
        "district": [dnames.get(d, d) for d in zones["district_id"]],
    }
    mappers = {}
    for key, (_, cmap, (lo, hi)) in measures.items():
        v = zm[key].to_numpy(dtype=float)
        columns[key] = np.nan_to_num(v, nan=-1).round(2).tolist()
        mappers[key] = _mapper(v, cmap, lo, hi)
    titles = {k: v[0] for k, v in measures.items()}
    return ZoneLayer(zones, ColumnDataSource(columns), mappers, titles)


# ---------------------------------------------------------------------------------------------------------
# settings and projects
def _places_by_year(sby: pd.DataFrame) -> pd.Series:
    """Per setting: 'places 2024/25: 20; 2025/26: 38; ...' (whole places)."""
    out = {}
    for sid, g in sby.sort_values("year").groupby("setting_id"):
        out[sid] = "; ".join(
            f"{year_label(int(y))}: {p:,.0f}" for y, p in zip(g["year"], g["places"].fillna(0), strict=True)
        )
    return pd.Series(out, dtype=object)


def _needs_text(pbn: pd.DataFrame) -> pd.Series:
    """Per setting: its pupils by need group ('CI 12; SEMH 3'), or 'none'."""
    out = {}
    for sid, r in pbn.iterrows():
        parts = [f"{g} {v:,.0f}" for g, v in r.items() if v >= 0.5]
        out[sid] = "; ".join(parts) if parts else "none"
    return pd.Series(out, dtype=object)


@dataclass
class PointGroup:
    """One group of markers in the legend: its label, data source and how it is drawn."""

    key: str  # names the renderer: existing-<type> or projects-<kind>-<type>
    label: str
    source: ColumnDataSource
    setting_type: str = ""  # of a group of existing settings


class PointDetails:
    """What the tooltips of settings and projects show that is the same for both: URN, district, places by year
    and pupils by need group in the target year."""

    def __init__(self, geo: Geography, run: RunTables) -> None:
        self.dnames = geo.district_names
        self.places = _places_by_year(run.settings_by_year)
        self.needs = _needs_text(pupils_by_need(run.placements, run.target_year))

    def source(
        self,
        sub: pd.DataFrame,
        size: np.ndarray,
        *,
        name: list[str],
        kind: list[str],
        opening: list[str],
        capital: list[str],
        **style: list[str],
    ) -> ColumnDataSource:
        """Points of `sub` (x, y in web Mercator) with marker sizes, `style` columns (marker, colour), and what
        the tooltip shows."""
        return ColumnDataSource(
            {
                "x": sub["x"].tolist(),
                "y": sub["y"].tolist(),
                "size": size.round(1).tolist(),
                **style,
                "name": name,
                "urn": [str(int(u)) if pd.notna(u) else "–" for u in sub["urn"]],
                "kind": kind,
                "district": [self.dnames.get(x, x) for x in sub["district_id"]],
                "places_by_year": [self.places.get(s, "") for s in sub["setting_id"]],
                "opening": opening,
                "capital": capital,
                "needs": [self.needs.get(s, "none") for s in sub["setting_id"]],
            }
        )


def setting_groups(run: RunTables, details: PointDetails, projects: pd.DataFrame) -> list[PointGroup]:
    """Existing provision in the county in the base year, a group per setting type."""
    sby = run.settings_by_year
    s = sby[sby["year"] == run.base_year]
    s = s[(s["origin"] == "existing") & ~s["out_of_county"].astype(bool)]
    s = with_xy(s, WEB).dropna(subset=["x", "y"])
    expanded = set(projects["setting_id"]) if len(projects) else set()
    out = []
    for t in SETTING_TYPES:
        sub = s[s["setting_type"] == t]
        if sub.empty:
            continue
        size = np.sqrt(np.clip(sub["places"].fillna(sub["pupils"]).to_numpy(float), 4, 300)) * 1.6 + 4
        source = details.source(
            sub,
            size,
            name=sub["name"].astype(str).tolist(),
            kind=[
                SETTING_LABELS[t] + (" (expanded by the plan)" if sid in expanded else "") for sid in sub["setting_id"]
            ],
            opening=["existing"] * len(sub),
            capital=["–"] * len(sub),
        )
        out.append(PointGroup(f"existing-{t}", f"{SETTING_LABELS[t]} ({len(sub)})", source, setting_type=t))
    return out


def project_groups(details: PointDetails, projects: pd.DataFrame, style: PlanStyle) -> list[PointGroup]:
    """The committed projects, and the options the plan builds a group per project type."""
    if not len(projects):
        return []
    pr = with_xy(projects, WEB).dropna(subset=["x", "y"])
    groups = [("commitment", None, "Committed projects")] + [
        ("option", t, f"Plan: {label}") for t, label in OPTION_GROUPS.items()
    ]
    out = []
    for kind, ptype, label in groups:
        sub = pr[pr["kind"] == kind]
        if ptype is not None:
            sub = sub[sub["project_type"] == ptype]
        if sub.empty:
            continue
        who = "Commitment" if kind == "commitment" else "Plan"
        source = details.source(
            sub,
            np.sqrt(sub["places"].to_numpy(float).clip(4, 300)) * 2.2 + 6,
            marker=["star" if kind == "commitment" else PROJECT_MARKERS.get(t, "circle") for t in sub["project_type"]],
            colour=[mcolors.to_hex(style.colour(y)) for y in sub["opening_year"]],
            name=[f"{int(r.ref)}. {r.name}" for r in sub.itertuples()],
            kind=[f"{who}: {PROJECT_TYPE_LABELS.get(t, t)}" for t in sub["project_type"]],
            opening=[
                f"{year_label(int(y))} with {a:,.0f} places"
                for y, a in zip(sub["opening_year"], sub["places_at_opening"], strict=True)
            ],
            capital=[fmt_gbp(c, 2) for c in sub["capital_cost"]],
        )
        places = sub["places"].sum()
        out.append(
            PointGroup(f"projects-{kind}-{ptype or 'all'}", f"{label} ({len(sub)}; {places:,.0f} places)", source)
        )
    return out
