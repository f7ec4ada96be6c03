"""The glyphs of the interactive map: the plot, optional web tiles, zones shaded by a measure with their colour
bar, district boundaries and names, and settings and projects as markers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shapely
from bokeh.models import ColorBar, ColumnDataSource, LabelSet, WMTSTileSource
from bokeh.plotting import figure

from planner.report.interactive.sources import PointGroup, ZoneLayer, lines, simplified
from planner.report.style import SETTING_COLOURS

if TYPE_CHECKING:
    import geopandas as gpd
    from bokeh.models import GlyphRenderer, TileRenderer

TILE_URL = "https://tile.openstreetmap.org/{Z}/{X}/{Y}.png"
TILE_ATTRIBUTION = "Background map © OpenStreetMap contributors (ODbL)"
WEB_MAP = {  # a plot in web Mercator as wide as the page, zoomed by scrolling
    "x_axis_type": "mercator",
    "y_axis_type": "mercator",
    "match_aspect": True,
    "sizing_mode": "stretch_width",
    "tools": "pan,wheel_zoom,box_zoom,reset,save",
    "active_scroll": "wheel_zoom",
    "toolbar_location": "above",
    "background_fill_color": "#f7fbff",
    "border_fill_color": "white",
}
DISTRICT_NAME_STYLE = {  # bold, on a half-white box
    "text_font_size": "13px",
    "text_font_style": "bold",
    "text_color": "#222222",
    "text_align": "center",
    "background_fill_color": "white",
    "background_fill_alpha": 0.55,
}
BOKEH_MARKERS = {"special": "circle", "srb": "square", "ap": "triangle", "independent": "diamond"}


def new_plot(bounds: tuple[float, float, float, float], height: int) -> figure:
    """A map plot of `bounds` (web Mercator) with a margin, no axes, zoom by scrolling."""
    minx, miny, maxx, maxy = bounds
    pad = 0.03 * (maxx - minx)
    p = figure(x_range=(minx - pad, maxx + pad), y_range=(miny - pad, maxy + pad), height=height, **WEB_MAP)
    p.axis.visible = False
    p.grid.visible = False
    return p


def add_tiles(p: figure) -> TileRenderer:
    """Web map tiles, hidden: no requests unless switched on (offline, a tile request is a console error)."""
    tiles = p.add_tile(WMTSTileSource(url=TILE_URL, attribution=TILE_ATTRIBUTION))
    tiles.visible = False
    tiles.alpha = 0.6
    return tiles


def add_zones(p: figure, zl: ZoneLayer) -> GlyphRenderer:
    """The zones, shaded by the first measure."""
    return p.multi_polygons(
        "xs",
        "ys",
        source=zl.source,
        fill_color={"field": zl.first, "transform": zl.mappers[zl.first]},
        fill_alpha=0.85,
        line_color="white",
        line_width=0.6,
        name="zones",
    )


def add_colourbar(p: figure, zl: ZoneLayer) -> ColorBar:
    """The colour bar of the zones' measure, under the map."""
    colourbar = ColorBar(
        color_mapper=zl.mappers[zl.first],
        title=zl.titles[zl.first],
        orientation="horizontal",
        location="bottom_left",
        width=320,
        height=12,
        padding=8,
        title_text_font_size="12px",
        major_label_text_font_size="11px",
    )
    p.add_layout(colourbar, "below")
    return colourbar


def add_districts(p: figure, districts: gpd.GeoDataFrame) -> None:
    """District boundaries and their names (at a point inside each)."""
    d = simplified(districts)
    xs, ys = lines(d.geometry)
    p.multi_line(xs, ys, line_color="#333333", line_width=1.4, name="districts")
    pts = [g.representative_point() if g.area < 4e8 else shapely.Point(g.centroid) for g in d.geometry]
    names = ColumnDataSource(
        {"x": [pt.x for pt in pts], "y": [pt.y for pt in pts], "name": d["district_name"].tolist()}
    )
    p.add_layout(LabelSet(x="x", y="y", text="name", source=names, **DISTRICT_NAME_STYLE))


def add_settings(p: figure, groups: list[PointGroup]) -> list[GlyphRenderer]:
    """Existing settings: a marker shape and colour per setting type, white edged."""
    out = []
    for g in groups:
        t = g.setting_type
        out.append(
            p.scatter(
                "x",
                "y",
                source=g.source,
                size="size",
                marker=BOKEH_MARKERS[t],
                fill_color=SETTING_COLOURS[t],
                line_color="white",
                line_width=0.8,
                fill_alpha=0.9,
                name=g.key,
            )
        )
    return out


def add_projects(p: figure, groups: list[PointGroup]) -> list[GlyphRenderer]:
    """Projects: marker shape by project type (stars for commitments), filled with their opening year's colour."""
    return [
        p.scatter(
            "x",
            "y",
            source=g.source,
            size="size",
            marker="marker",
            fill_color="colour",
            line_color="black",
            line_width=1.0,
            name=g.key,
        )
        for g in groups
    ]
