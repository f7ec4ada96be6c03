"""The data map: a data folder's base year on one A4 map, drawn from the tables the caller hands in (the data
layer computes them; nothing here reads a data folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from planner.data.schema import ZONE_LEVEL_NAMES
from planner.formats import year_label
from planner.report.mapkit import (
    district_inset,
    draw_projects,
    draw_settings,
    finish_map,
    new_map,
    save_map,
    shade_zones,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from planner.data import Geography


@dataclass
class DataMapTables:
    """What the data map draws of a data folder; x and y in British National Grid metres."""

    base_year: int
    demand: pd.Series  # base-year specialist demand by zone_id, pupils (an estimate)
    settings: pd.DataFrame  # setting_type, x, y, places, base_pupils, out_of_county
    commitments: pd.DataFrame  # project_type, setting_type, x, y, places, opening_year
    options: pd.DataFrame  # option_type, setting_type, x, y
    ages: tuple[int, int] | None = None  # youngest and oldest age the model places


OUT_OF_COUNTY_WHERE = {
    "special": "in other councils' special schools",
    "independent": "in independent special schools",
    "srb": "in other councils' resource bases",
    "ap": "in alternative provision",
}


def out_of_county_note(settings: pd.DataFrame) -> str | None:
    """A sentence on base-year pupils placed outside the county, who have no place on the map."""
    if "out_of_county" not in settings.columns:
        return None
    ooc = settings[settings["out_of_county"].astype(bool)]
    if ooc.empty:
        return None
    pupils = ooc.groupby("setting_type", sort=False)["base_pupils"].sum()
    parts = [f"{n:,.0f} pupils {OUT_OF_COUNTY_WHERE.get(t, t)}" for t, n in pupils.items()]
    return "Out of county (not on the map): " + "; ".join(parts) + "."


def data_notes(geo: Geography, tables: DataMapTables) -> list[str]:
    """The data map's notes: how demand is estimated, the committed projects and options, out of county."""
    level = ZONE_LEVEL_NAMES.get(geo.zone_level, geo.zone_level)
    year = year_label(tables.base_year)
    ages = f" aged {tables.ages[0]}-{tables.ages[1]}" if tables.ages else ""
    notes = [
        f"Demand: {tables.demand.sum():,.0f} pupils{ages} with plans were in a specialist place in {year} (January "
        f"{tables.base_year} census). The county figure is shared between the {len(geo.zones)} {level}s by "
        "children aged 0-15 (Census 2021): an estimate, as no public source gives plans by small area.",
    ]
    c, o = tables.commitments, tables.options
    if len(c) or len(o):
        opening = c["opening_year"].dropna().astype(int)
        when = f", opening {year_label(opening.min())} to {year_label(opening.max())}" if len(opening) else ""
        notes.append(
            f"Committed: {len(c)} projects, {c['places'].sum():,.0f} places{when}. Options: {len(o)} candidate "
            f"projects at {o[['x', 'y']].drop_duplicates().shape[0]} locations (a location may offer several "
            "designations and sizes); the model chooses among them."
        )
    ooc = out_of_county_note(tables.settings)
    if ooc:
        notes.append(ooc)
    return notes


def _data_layers(ax: Axes, geo: Geography, tables: DataMapTables, *, key: bool) -> None:
    """The layers of the data map: zones by demand, existing settings, committed projects, option sites."""
    if not key:  # an inset: same colours as the main map, no colour bar or key entries
        shade_zones(ax, geo.zones, tables.demand, "", colourbar=False)
    draw_settings(ax, tables.settings, legend=key)
    draw_projects(ax, tables.commitments, kind="commitments", legend=key)
    draw_projects(ax, tables.options, kind="options", legend=key)


def data_map(
    geo: Geography, tables: DataMapTables, path: str | Path, *, area: str = "Norfolk", inset: str = "Norwich"
) -> Path:
    """The data map: zones shaded by base-year specialist demand, the districts, existing settings, committed
    projects and candidate option sites, with key, notes, scale bar, north arrow and attribution; `inset` names
    a crowded district to show enlarged under the key ("" for none). Returns the path written."""
    level = ZONE_LEVEL_NAMES.get(geo.zone_level, geo.zone_level)
    year = year_label(tables.base_year)
    fig, ax = new_map(bounds=geo.districts.total_bounds)
    shade_zones(ax, geo.zones, tables.demand, f"Specialist demand {year}, pupils per {level} (estimate)")
    _data_layers(ax, geo, tables, key=True)
    spec = district_inset(geo.districts, lambda iax: _data_layers(iax, geo, tables, key=False), inset)
    title = f"{area}: base-year ({year}) demand for specialist places and existing provision"
    finish_map(ax, geo.districts, title=title, notes=data_notes(geo, tables), inset=spec)
    return save_map(fig, path)
