"""map.html: the plan on an interactive map that works with no network (bokeh, its JavaScript inlined).

Why bokeh: officers open the file from a shared drive, often without reliable internet, and CI has none.
folium pages load Leaflet, jQuery and Bootstrap from CDNs, so offline they draw nothing; plotly's map traces
drew no polygons offline in headless Chromium; bokeh with resources=INLINE puts all its JavaScript in the page
and draws the zones from the data in the page. The district and zone boundaries are the base layer; web map
tiles are an option, off by default, for when a network exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import shapely
from bokeh.embed import file_html
from bokeh.layouts import column, row
from bokeh.models import (
    Checkbox,
    ColorBar,
    ColumnDataSource,
    CustomJS,
    Div,
    HoverTool,
    LabelSet,
    Legend,
    LegendItem,
    LinearColorMapper,
    Select,
    WMTSTileSource,
)
from bokeh.plotting import figure
from bokeh.resources import INLINE

from planner.report.maps import ATTRIBUTION, SETTING_COLOURS, SETTING_LABELS, ZONE_CMAP, year_label
from planner.report.plan_map import PlanStyle
from planner.report.run_data import (
    PROJECT_TYPE_LABELS,
    STATE_TYPES,
    ZONE_LEVEL_NAMES,
    RunTables,
    district_names,
    fmt_gbp,
    need_group_names,
    project_refs,
    pupils_by_need,
    with_xy,
    zone_measures,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from bokeh.model import Model

    from planner.data import Geography as PlanningData

WEB = "EPSG:3857"
BOKEH_MARKERS = {"special": "circle", "srb": "square", "ap": "triangle", "independent": "diamond"}
PROJECT_MARKERS = {"new_school": "hex", "expansion": "circle", "srb": "square", "ap": "triangle"}
OPTION_GROUPS = {
    "new_school": "new special schools",
    "expansion": "school expansions",
    "srb": "new SRBs",
    "ap": "new AP",
}
TILE_URL = "https://tile.openstreetmap.org/{Z}/{X}/{Y}.png"
TILE_ATTRIBUTION = "Background map © OpenStreetMap contributors (ODbL)"
SIMPLIFY_M = 25.0  # boundary simplification (metres): a smaller page, no visible change at county scale


def _palette(cmap: str, lo: float, hi: float, n: int = 256) -> list[str]:
    cm = mpl.colormaps[cmap]
    return [mcolors.to_hex(cm(v)) for v in np.linspace(lo, hi, n)]


def _polygons(geoms: gpd.GeoSeries) -> tuple[list, list]:
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


def _lines(geoms: gpd.GeoSeries) -> tuple[list, list]:
    xs, ys = [], []
    for g in geoms:
        b = g.boundary
        for part in getattr(b, "geoms", [b]):
            c = np.asarray(part.coords)
            xs.append(c[:, 0].round(1).tolist())
            ys.append(c[:, 1].round(1).tolist())
    return xs, ys


def _places_by_year(sby: pd.DataFrame) -> pd.Series:
    """Per setting: 'places 2024/25: 20; 2025/26: 38; ...' (whole places)."""
    out = {}
    for sid, g in sby.sort_values("year").groupby("setting_id"):
        out[sid] = "; ".join(
            f"{year_label(int(y))}: {p:,.0f}" for y, p in zip(g["year"], g["places"].fillna(0), strict=True)
        )
    return pd.Series(out, dtype=object)


def _needs_text(pbn: pd.DataFrame, names: dict[str, str]) -> pd.Series:
    out = {}
    for sid, r in pbn.iterrows():
        parts = [f"{g} {v:,.0f}" for g, v in r.items() if v >= 0.5]
        out[sid] = "; ".join(parts) if parts else "none"
    return pd.Series(out, dtype=object)


def _tooltip(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f'<tr><td style="color:#555;padding-right:6px;vertical-align:top">{k}</td>'
        f'<td style="max-width:320px;white-space:normal">{v}</td></tr>'
        for k, v in rows
    )
    return f'<table style="font-size:12px;border-collapse:collapse">{cells}</table>'


def interactive_map(data: PlanningData, run: RunTables, *, height: int = 760) -> Model:
    """The interactive plan map (a bokeh layout): zones shaded by a chosen measure, districts, settings by type
    and the plan's new places, with a legend to hide layers and hover details."""
    target, base, last = run.target_year, run.base_year, run.last_year
    level = ZONE_LEVEL_NAMES.get(data.zone_level, data.zone_level)
    dnames = district_names(data)
    gnames = need_group_names(data)

    # zones and their measures
    zones = data.zones.copy()
    zones["geometry"] = zones.geometry.simplify(SIMPLIFY_M, preserve_topology=True)
    zones = zones.to_crs(WEB)
    zm = zone_measures(run.placements, target, zones["zone_id"])
    measures = {
        "independent_or_ooc": (
            f"Children in independent or out-of-county settings {year_label(target)}",
            ZONE_CMAP,
            (0.0, 0.45),
        ),
        "mean_journey_km": (f"Mean journey to school {year_label(target)}, road km", "PuBu", (0.05, 0.6)),
        "pupils": (f"Specialist pupils {year_label(target)}", "Greens", (0.05, 0.5)),
    }
    zxs, zys = _polygons(zones.geometry)
    zsrc: dict[str, Any] = {
        "xs": zxs,
        "ys": zys,
        "zone_id": zones["zone_id"].tolist(),
        "zone_name": zones["zone_name"].tolist(),
        "district": [dnames.get(d, d) for d in zones["district_id"]],
    }
    mappers = {}
    for key, (_, cmap, (lo, hi)) in measures.items():
        v = zm[key].to_numpy(dtype=float)
        zsrc[key] = np.nan_to_num(v, nan=-1).round(2).tolist()
        finite = v[np.isfinite(v)]
        top = float(np.percentile(finite, 98)) if len(finite) else 1.0
        top = max(top, float(finite.max()) if len(finite) and finite.max() <= 1.25 * top else top, 1e-9)
        mappers[key] = LinearColorMapper(
            palette=_palette(cmap, lo, hi),
            low=0.0,
            high=top,
            low_color="#eeeeee",
            high_color=_palette(cmap, lo, hi)[-1],
            nan_color="#eeeeee",
        )
    zsource = ColumnDataSource(zsrc)

    minx, miny, maxx, maxy = zones.total_bounds
    pad = 0.03 * (maxx - minx)
    p = figure(
        x_axis_type="mercator",
        y_axis_type="mercator",
        x_range=(minx - pad, maxx + pad),
        y_range=(miny - pad, maxy + pad),
        match_aspect=True,
        sizing_mode="stretch_width",
        height=height,
        tools="pan,wheel_zoom,box_zoom,reset,save",
        active_scroll="wheel_zoom",
        toolbar_location="above",
        background_fill_color="#f7fbff",
        border_fill_color="white",
    )
    p.axis.visible = False
    p.grid.visible = False

    tiles = p.add_tile(WMTSTileSource(url=TILE_URL, attribution=TILE_ATTRIBUTION))
    tiles.visible = False  # no requests unless switched on (offline, a tile request is a console error)
    tiles.alpha = 0.6

    first = "independent_or_ooc"
    zr = p.multi_polygons(
        "xs",
        "ys",
        source=zsource,
        fill_color={"field": first, "transform": mappers[first]},
        fill_alpha=0.85,
        line_color="white",
        line_width=0.6,
        name="zones",
    )
    p.add_tools(
        HoverTool(
            renderers=[zr],
            tooltips=_tooltip(
                [
                    (level, "@zone_name (@zone_id)"),
                    ("District", "@district"),
                    ("Specialist pupils", "@pupils{0,0}"),
                    ("Independent or out of county", "@independent_or_ooc{0,0}"),
                    ("Mean journey", "@mean_journey_km{0.0} km"),
                ]
            ),
        )
    )
    colourbar = ColorBar(
        color_mapper=mappers[first],
        title=measures[first][0],
        orientation="horizontal",
        location="bottom_left",
        width=320,
        height=12,
        padding=8,
        title_text_font_size="12px",
        major_label_text_font_size="11px",
    )
    p.add_layout(colourbar, "below")

    # districts
    d = data.districts.copy()
    d["geometry"] = d.geometry.simplify(SIMPLIFY_M, preserve_topology=True)
    d = d.to_crs(WEB)
    dxs, dys = _lines(d.geometry)
    p.multi_line(dxs, dys, line_color="#333333", line_width=1.4, name="districts")
    pts = [g.representative_point() if g.area < 4e8 else shapely.Point(g.centroid) for g in d.geometry]
    labels = ColumnDataSource(
        {"x": [pt.x for pt in pts], "y": [pt.y for pt in pts], "name": d["district_name"].tolist()}
    )
    p.add_layout(
        LabelSet(
            x="x",
            y="y",
            text="name",
            source=labels,
            text_font_size="13px",
            text_font_style="bold",
            text_color="#222222",
            text_align="center",
            background_fill_color="white",
            background_fill_alpha=0.55,
        )
    )

    # settings: base-year existing provision, by type, and the plan's projects
    sby = run.settings_by_year
    pby = _places_by_year(sby)
    pbn = pupils_by_need(run.placements, target)
    needs_txt = _needs_text(pbn, gnames)
    projects = project_refs(run.projects)
    s_last = sby[sby["year"] == base]
    s_last = s_last[(s_last["origin"] == "existing") & ~s_last["out_of_county"].astype(bool)]
    s_last = with_xy(s_last, WEB).dropna(subset=["x", "y"])
    style = PlanStyle.for_projects(projects, first=run.years[1] if len(run.years) > 1 else base, last=last)
    legend_items: list[LegendItem] = []
    hover_rows = [
        ("Name", "@name"),
        ("URN", "@urn"),
        ("Type", "@kind"),
        ("District", "@district"),
        ("Places by year", "@places_by_year"),
        ("Opening year", "@opening"),
        ("Capital cost", "@capital"),
        (f"Pupils {year_label(target)} by need", "@needs"),
    ]
    hover_renderers = []
    for t in (*STATE_TYPES, "independent"):
        sub = s_last[s_last["setting_type"] == t]
        if sub.empty:
            continue
        exp = projects[(projects["setting_id"].isin(sub["setting_id"]))] if len(projects) else projects
        src = ColumnDataSource(
            {
                "x": sub["x"].tolist(),
                "y": sub["y"].tolist(),
                "size": (np.sqrt(np.clip(sub["places"].fillna(sub["pupils"]).to_numpy(float), 4, 300)) * 1.6 + 4)
                .round(1)
                .tolist(),
                "name": sub["name"].astype(str).tolist(),
                "urn": [str(int(u)) if pd.notna(u) else "–" for u in sub["urn"]],
                "kind": [
                    SETTING_LABELS[t] + (" (expanded by the plan)" if sid in set(exp["setting_id"]) else "")
                    for sid in sub["setting_id"]
                ],
                "district": [dnames.get(x, x) for x in sub["district_id"]],
                "places_by_year": [pby.get(s, "") for s in sub["setting_id"]],
                "opening": ["existing"] * len(sub),
                "capital": ["–"] * len(sub),
                "needs": [needs_txt.get(s, "none") for s in sub["setting_id"]],
            }
        )
        r = p.scatter(
            "x",
            "y",
            source=src,
            size="size",
            marker=BOKEH_MARKERS[t],
            fill_color=SETTING_COLOURS[t],
            line_color="white",
            line_width=0.8,
            fill_alpha=0.9,
            name=f"existing-{t}",
        )
        hover_renderers.append(r)
        legend_items.append(LegendItem(label=f"{SETTING_LABELS[t]} ({len(sub)})", renderers=[r]))

    if len(projects):
        pr = with_xy(projects, WEB).dropna(subset=["x", "y"])
        groups = [("commitment", None, "Committed projects")] + [
            ("option", t, f"Plan: {label}") for t, label in OPTION_GROUPS.items()
        ]
        for kind, ptype, label in groups:
            sub = pr[pr["kind"] == kind]
            if ptype is not None:
                sub = sub[sub["project_type"] == ptype]
            if sub.empty:
                continue
            src = ColumnDataSource(
                {
                    "x": sub["x"].tolist(),
                    "y": sub["y"].tolist(),
                    "size": (np.sqrt(sub["places"].to_numpy(float).clip(4, 300)) * 2.2 + 6).round(1).tolist(),
                    "marker": [
                        "star" if kind == "commitment" else PROJECT_MARKERS.get(t, "circle")
                        for t in sub["project_type"]
                    ],
                    "colour": [mcolors.to_hex(style.colour(y)) for y in sub["opening_year"]],
                    "name": [f"{int(r.ref)}. {r.name}" for r in sub.itertuples()],
                    "urn": [str(int(u)) if pd.notna(u) else "–" for u in sub["urn"]],
                    "kind": [
                        f"{'Commitment' if kind == 'commitment' else 'Plan'}: {PROJECT_TYPE_LABELS.get(t, t)}"
                        for t in sub["project_type"]
                    ],
                    "district": [dnames.get(x, x) for x in sub["district_id"]],
                    "places_by_year": [pby.get(s, "") for s in sub["setting_id"]],
                    "opening": [
                        f"{year_label(int(y))} with {a:,.0f} places"
                        for y, a in zip(sub["opening_year"], sub["places_at_opening"], strict=True)
                    ],
                    "capital": [fmt_gbp(c, 2) for c in sub["capital_cost"]],
                    "needs": [needs_txt.get(s, "none") for s in sub["setting_id"]],
                }
            )
            r = p.scatter(
                "x",
                "y",
                source=src,
                size="size",
                marker="marker",
                fill_color="colour",
                line_color="black",
                line_width=1.0,
                name=f"projects-{kind}-{ptype or 'all'}",
            )
            hover_renderers.append(r)
            places = sub["places"].sum()
            legend_items.append(LegendItem(label=f"{label} ({len(sub)}; {places:,.0f} places)", renderers=[r]))
    p.add_tools(HoverTool(renderers=hover_renderers, tooltips=_tooltip(hover_rows)))
    legend = Legend(
        items=legend_items,
        click_policy="hide",
        location="top_left",
        title="Click to hide or show",
        label_text_font_size="12px",
        title_text_font_size="12px",
        background_fill_alpha=0.85,
    )
    p.add_layout(legend, "center")
    legend.location = "top_right"

    # opening-year key (static text with the same colours)
    swatches = " ".join(
        f'<span style="display:inline-block;width:12px;height:12px;background:{mcolors.to_hex(style.colour(y))};'
        f'border:1px solid #000;vertical-align:middle;margin:0 3px 0 8px"></span>{year_label(y)}'
        for y in style.years
    )

    select = Select(title="Shade zones by", value=first, width=430, options=[(k, v[0]) for k, v in measures.items()])
    select.js_on_change(
        "value",
        CustomJS(
            args={"r": zr, "bar": colourbar, "mappers": mappers, "titles": {k: v[0] for k, v in measures.items()}},
            code="""
const k = this.value;
r.glyph.fill_color = {field: k, transform: mappers[k]};
bar.color_mapper = mappers[k];
bar.title = titles[k];
""",
        ),
    )
    tiles_box = Checkbox(label="Background map (needs internet)", active=False)
    tiles_box.js_on_change("active", CustomJS(args={"t": tiles}, code="t.visible = this.active;"))
    scen = run.scenario_name
    head = Div(
        text=f"<h2 style='margin:4px 0'>The plan to {year_label(last)} ({scen}): settings and new places</h2>"
        f"<div style='font-size:13px'>Zones: {len(zones)} {level}s. Markers: existing provision by type (area = "
        f"places); new places coloured by opening year, stars for committed projects, numbered as in the report. "
        f"Hover for details; click a legend entry to hide or show a layer; scroll to zoom.</div>"
        f"<div style='font-size:13px;margin-top:4px'>Opening year:{swatches}</div>",
        sizing_mode="stretch_width",
    )
    foot = Div(text=f"<div style='font-size:11px;color:#555'>{ATTRIBUTION}</div>", sizing_mode="stretch_width")
    return column(head, row(select, tiles_box), p, foot, sizing_mode="stretch_width")


def write_map_html(data: PlanningData, run: RunTables, path: str | Path) -> Path:
    """map.html: the interactive map as one self-contained page (bokeh JavaScript inlined; no network)."""
    path = Path(path)
    layout = interactive_map(data, run)
    title = f"Plan map: {run.scenario_name} ({year_label(run.last_year)})"
    path.write_text(file_html(layout, resources=INLINE, title=title), encoding="utf-8")
    return path
