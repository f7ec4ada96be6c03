"""What a reader uses on the interactive map: hover tooltips, the legend that hides layers, the choice of the
zones' measure, the background-map switch, and the heading and footer around the plot."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.colors as mcolors
from bokeh.models import Checkbox, CustomJS, Div, HoverTool, Legend, LegendItem, Select

from planner.formats import year_label
from planner.report.style import ATTRIBUTION

if TYPE_CHECKING:
    from bokeh.models import ColorBar, GlyphRenderer, TileRenderer
    from bokeh.plotting import figure

    from planner.report.interactive.sources import PointGroup, ZoneLayer
    from planner.report.plan_layers import PlanStyle


def tooltip(rows: list[tuple[str, str]]) -> str:
    """A tooltip: a small table of (label, bokeh field template) rows."""
    cells = "".join(
        f'<tr><td style="color:#555;padding-right:6px;vertical-align:top">{k}</td>'
        f'<td style="max-width:320px;white-space:normal">{v}</td></tr>'
        for k, v in rows
    )
    return f'<table style="font-size:12px;border-collapse:collapse">{cells}</table>'


def zone_hover(p: figure, zones: GlyphRenderer, level: str) -> None:
    """Hovering over a zone shows its name, district and measures."""
    rows = [
        (level, "@zone_name (@zone_id)"),
        ("District", "@district"),
        ("Specialist pupils", "@pupils{0,0}"),
        ("Independent or out of county", "@independent_or_ooc{0,0}"),
        ("Mean journey", "@mean_journey_km{0.0} km"),
    ]
    p.add_tools(HoverTool(renderers=[zones], tooltips=tooltip(rows)))


def point_hover(p: figure, renderers: list[GlyphRenderer], target: int) -> None:
    """Hovering over a setting or project shows what PointDetails put in its source."""
    rows = [
        ("Name", "@name"),
        ("URN", "@urn"),
        ("Type", "@kind"),
        ("District", "@district"),
        ("Places by year", "@places_by_year"),
        ("Opening year", "@opening"),
        ("Capital cost", "@capital"),
        (f"Pupils {year_label(target)} by need", "@needs"),
    ]
    p.add_tools(HoverTool(renderers=renderers, tooltips=tooltip(rows)))


def add_legend(p: figure, groups: list[PointGroup], renderers: list[GlyphRenderer]) -> None:
    """A legend of the marker groups, inside the plot at the top right; a click hides or shows a group."""
    items = [LegendItem(label=g.label, renderers=[r]) for g, r in zip(groups, renderers, strict=True)]
    legend = Legend(
        items=items,
        click_policy="hide",
        location="top_left",
        title="Click to hide or show",
        label_text_font_size="12px",
        title_text_font_size="12px",
        background_fill_alpha=0.85,
    )
    p.add_layout(legend, "center")
    legend.location = "top_right"


def measure_select(zones: GlyphRenderer, colourbar: ColorBar, zl: ZoneLayer) -> Select:
    """A choice of the measure the zones are shaded by; the colour bar follows."""
    select = Select(title="Shade zones by", value=zl.first, width=430, options=list(zl.titles.items()))
    code = """
const k = this.value;
r.glyph.fill_color = {field: k, transform: mappers[k]};
bar.color_mapper = mappers[k];
bar.title = titles[k];
"""
    args = {"r": zones, "bar": colourbar, "mappers": zl.mappers, "titles": zl.titles}
    select.js_on_change("value", CustomJS(args=args, code=code))
    return select


def tiles_switch(tiles: TileRenderer) -> Checkbox:
    """A switch for the background map (off: the page makes no network request)."""
    box = Checkbox(label="Background map (needs internet)", active=False)
    box.js_on_change("active", CustomJS(args={"t": tiles}, code="t.visible = this.active;"))
    return box


def heading(title: str, zones: str, style: PlanStyle) -> Div:
    """The map's title, how to read it, and the opening-year colours (static text with the plot's colours)."""
    swatches = " ".join(
        f'<span style="display:inline-block;width:12px;height:12px;background:{mcolors.to_hex(style.colour(y))};'
        f'border:1px solid #000;vertical-align:middle;margin:0 3px 0 8px"></span>{year_label(y)}'
        for y in style.years
    )
    return Div(
        text=f"<h2 style='margin:4px 0'>{title}</h2>"
        f"<div style='font-size:13px'>Zones: {zones}. Markers: existing provision by type (area = places); new "
        f"places coloured by opening year, stars for committed projects, numbered as in the report. Hover for "
        f"details; click a legend entry to hide or show a layer; scroll to zoom.</div>"
        f"<div style='font-size:13px;margin-top:4px'>Opening year:{swatches}</div>",
        sizing_mode="stretch_width",
    )


def footer() -> Div:
    """The data attribution under the map."""
    return Div(text=f"<div style='font-size:11px;color:#555'>{ATTRIBUTION}</div>", sizing_mode="stretch_width")
