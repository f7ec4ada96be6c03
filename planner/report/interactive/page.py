"""The interactive map of a run, put together from its steps (sources, layers, tooltips, widgets, layout), and
map.html, the page that holds it alone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bokeh.embed import file_html
from bokeh.layouts import column, row
from bokeh.resources import INLINE

from planner.data.schema import ZONE_LEVEL_NAMES
from planner.formats import year_label
from planner.report.interactive.layers import (
    add_colourbar,
    add_districts,
    add_projects,
    add_settings,
    add_tiles,
    add_zones,
    new_plot,
)
from planner.report.interactive.sources import PointDetails, project_groups, setting_groups, zone_layer
from planner.report.interactive.widgets import (
    add_legend,
    footer,
    heading,
    measure_select,
    point_hover,
    tiles_switch,
    zone_hover,
)
from planner.report.plan_layers import PlanStyle
from planner.report.summaries import project_refs

if TYPE_CHECKING:
    from bokeh.model import Model

    from planner.data import Geography
    from planner.runfolder import RunTables

MAP_HEIGHT = 760  # pixels, in map.html


def interactive_map(geo: Geography, run: RunTables, *, height: int = MAP_HEIGHT) -> Model:
    """The interactive plan map (a bokeh layout): zones shaded by a chosen measure, districts, settings by type
    and the plan's new places, with a legend to hide layers and hover details."""
    level = ZONE_LEVEL_NAMES.get(geo.zone_level, geo.zone_level)
    zl = zone_layer(geo, run)
    p = new_plot(tuple(zl.zones.total_bounds), height)
    tiles = add_tiles(p)
    zones = add_zones(p, zl)
    zone_hover(p, zones, level)
    colourbar = add_colourbar(p, zl)
    add_districts(p, geo.districts)

    projects = project_refs(run.projects)
    style = PlanStyle.for_run_years(projects, years=run.years)
    details = PointDetails(geo, run)
    settings, built = setting_groups(run, details, projects), project_groups(details, projects, style)
    renderers = [*add_settings(p, settings), *add_projects(p, built)]
    point_hover(p, renderers, run.target_year)
    add_legend(p, [*settings, *built], renderers)

    title = f"The plan to {year_label(run.last_year)} ({run.scenario_name}): settings and new places"
    head = heading(title, f"{len(zl.zones)} {level}s", style)
    controls = row(measure_select(zones, colourbar, zl), tiles_switch(tiles))
    return column(head, controls, p, footer(), sizing_mode="stretch_width")


def write_map_html(geo: Geography, run: RunTables, path: str | Path) -> Path:
    """map.html: the interactive map as one self-contained page (bokeh JavaScript inlined; no network)."""
    path = Path(path)
    title = f"Plan map: {run.scenario_name} ({year_label(run.last_year)})"
    path.write_text(file_html(interactive_map(geo, run), resources=INLINE, title=title), encoding="utf-8")
    return path
