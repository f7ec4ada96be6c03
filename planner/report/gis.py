"""The run as a GeoPackage for a GIS team (QGIS, ArcGIS), in British National Grid (EPSG:27700).

Layers (README lists them):
- zones: one feature per home zone, with for each year (suffix _YYYY) its specialist pupils, those placed in
  independent or out-of-county settings (unmet_YYYY: unmet local need) and their mean journey (km_YYYY, road km);
- districts: the districts, for labels and outlines;
- settings: one point per setting in the county and year it has places or pupils: places and pupils;
- projects: one point per commitment and built option: type, places, opening year, capital cost.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from planner.data import Geography
from planner.report.summaries import with_xy, zone_measures

BNG = "EPSG:27700"
LAYERS = ("zones", "districts", "settings", "projects")


def _points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """Rows with a location, as points in British National Grid."""
    xy = with_xy(df)
    xy = xy[xy["x"].notna()]
    return gpd.GeoDataFrame(xy.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(xy["x"], xy["y"]), crs=BNG)


def zones_layer(geo: Geography, placements: pd.DataFrame, years: list[int]) -> gpd.GeoDataFrame:
    """Each zone once (the boundary is not repeated per year), with its measures by year as columns."""
    zones = geo.zones[["zone_id", "zone_name", "district_id", "geometry"]].set_index("zone_id")
    for t in years:
        m = zone_measures(placements, t, zones.index)
        zones[f"pupils_{t}"] = m["pupils"].round(2)
        zones[f"unmet_{t}"] = m["independent_or_ooc"].round(2)
        zones[f"km_{t}"] = m["mean_journey_km"].round(1)
    return gpd.GeoDataFrame(zones.reset_index(), geometry="geometry", crs=BNG)


def write_geopackage(geo: Geography, tables: dict[str, pd.DataFrame], years: list[int], path: Path) -> Path:
    """Write the run's layers into one GeoPackage."""
    sby = tables["settings_by_year"]
    layers = {
        "zones": zones_layer(geo, tables["placements"], years),
        "districts": gpd.GeoDataFrame(geo.districts, geometry="geometry", crs=BNG),
        "settings": _points(sby[~sby["out_of_county"].astype(bool)]),
        "projects": _points(tables["projects"]),
    }
    for name, layer in layers.items():
        layer.to_file(path, layer=name, driver="GPKG")
    return path
