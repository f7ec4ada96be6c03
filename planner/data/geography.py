"""Geography: coordinate systems, boundaries and zones, distances' frame, and which phases a setting serves.

Every distance is measured in British National Grid metres (EPSG:27700); points arrive as WGS84 lon/lat.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from pyproj.exceptions import CRSError

from planner.data import schema
from planner.data.errors import DataError, Findings

BNG = "EPSG:27700"  # British National Grid: metres, used for every distance
WGS84 = "EPSG:4326"
ZONE_LEVELS = ("msoa", "lsoa", "district")


def serves_phase(min_age, max_age, lo, hi):
    """A setting serves a phase when its ages cover at least half of the phase's years (arrays or numbers)."""
    overlap = np.minimum(max_age, hi) - np.maximum(min_age, lo) + 1
    return overlap >= (np.asarray(hi) - np.asarray(lo) + 1) / 2


def geo_path(folder: Path, stem: str) -> Path:
    for suffix in schema.GEO_SUFFIXES:
        p = folder / f"{stem}{suffix}"
        if p.exists():
            return p
    raise DataError(
        f"{stem}.geojson",
        f"the file is missing from {folder}",
        f"add {stem}.geojson (or .gpkg/.shp) with the boundaries (see docs/data.md)",
    )


def read_geo(folder: Path, stem: str, columns: dict[str, str], findings: Findings | None = None) -> gpd.GeoDataFrame:
    """Read boundaries, refuse a missing CRS, reproject to British National Grid, repair (with a warning) a polygon
    that a zero-width buffer makes valid without losing area, refuse one it cannot."""
    path = geo_path(folder, stem)
    name = path.name
    if path.stat().st_size == 0:
        raise DataError(name, "the file is empty", "write the boundaries (GeoJSON with a CRS)")
    declared = True
    if path.suffix == ".geojson":
        try:
            declared = "crs" in json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            raise DataError(
                name,
                f"the file is not valid GeoJSON ({exc.msg}, line {exc.lineno})",
                "re-export the boundaries as GeoJSON",
            ) from None
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file
        raise DataError(name, f"the file cannot be read ({exc})", "re-export the boundaries as GeoJSON") from None
    if gdf.empty:
        raise DataError(name, "the file has no features", "add the zone boundaries")
    if path.suffix == ".shp":  # a shapefile cuts column names to 10 characters
        gdf = gdf.rename(columns={c[:10]: c for c in columns if c[:10] != c and c not in gdf.columns})
    if path.suffix == ".geojson" and not declared:
        minx, miny, maxx, maxy = gdf.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise DataError(
                name,
                "the file has no CRS and its coordinates are not longitude/latitude",
                "write the file with its CRS (for British National Grid metres, EPSG:27700)",
            )
        gdf = gdf.set_crs(WGS84, allow_override=True)
    if gdf.crs is None:
        raise DataError(
            name,
            "the file has no CRS (coordinate reference system)",
            "write the file with its CRS, e.g. EPSG:4326 or EPSG:27700 (a shapefile needs its .prj)",
        )
    try:
        gdf = gdf.to_crs(BNG)
    except (CRSError, ValueError) as exc:
        raise DataError(
            name,
            f"the CRS {gdf.crs} cannot be reprojected to British National Grid ({exc})",
            "write the file in EPSG:4326 or EPSG:27700",
        ) from None
    for col, kind in columns.items():
        if col not in gdf.columns:
            raise DataError(name, "the column is missing", f"add a property named '{col}' to every feature", column=col)
        if kind == "float":
            vals = pd.to_numeric(gdf[col], errors="coerce")
            non_negative = col.startswith("children")
            bad = vals.isna() | ((vals < 0) if non_negative else False)
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(
                    name,
                    f"'{gdf[col].iloc[i]}' is not a number" + (" of 0 or more" if non_negative else ""),
                    f"give {col} as a number",
                    row=i + 1,
                    row_id=str(gdf.iloc[i].get("zone_id", "")),
                    column=col,
                )
            gdf[col] = vals.astype(float)
        else:
            s = gdf[col].astype("string")
            if s.isna().any() or (s.str.strip() == "").any():
                i = int(np.flatnonzero((s.isna() | (s.str.strip() == "")).to_numpy())[0])
                raise DataError(name, "the value is empty", f"fill in {col}", row=i + 1, column=col)
            gdf[col] = s.astype(str)
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        i = int(np.flatnonzero((gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy())[0])
        raise DataError(name, "a feature has no geometry", "give every zone its boundary", row=i + 1)
    return _valid(gdf, name, findings if findings is not None else Findings())


REPAIR_AREA_TOLERANCE = 0.01  # a repair may change a polygon's area by at most 1% of its valid area


def _valid(gdf: gpd.GeoDataFrame, name: str, findings: Findings) -> gpd.GeoDataFrame:
    """Every geometry valid: repaired by a zero-width buffer when that keeps its area (within 1%), else refused."""
    invalid = np.flatnonzero(~gdf.geometry.is_valid.to_numpy())
    if not len(invalid):
        return gdf
    gdf = gdf.copy()
    for i in invalid:
        geom = gdf.geometry.iloc[i]
        fixed, full = geom.buffer(0), shapely.make_valid(geom)
        reason = shapely.is_valid_reason(geom)
        ident = next((f" ({c} '{gdf[c].iloc[i]}')" for c in ("district_id", "zone_id") if c in gdf.columns), "")
        if fixed.is_empty or abs(fixed.area - full.area) > REPAIR_AREA_TOLERANCE * max(full.area, 1e-9):
            raise DataError(
                name,
                f"feature {i + 1}{ident} is not a valid polygon ({reason}) and cannot be repaired "
                "without losing part of it",
                "repair the boundary in a GIS (QGIS: Fix geometries) and save it again",
                row=int(i) + 1,
            )
        gdf.loc[gdf.index[i], "geometry"] = fixed
        findings.warn(f"{name}: feature {i + 1}{ident} was not a valid polygon ({reason}); repaired")
    return gdf


def lonlat_to_bng(lon: pd.Series, lat: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    t = Transformer.from_crs(WGS84, BNG, always_xy=True)
    x, y = t.transform(lon.to_numpy(dtype=float), lat.to_numpy(dtype=float))
    return np.asarray(x), np.asarray(y)


def read_zones(
    folder: Path, level: str, districts: gpd.GeoDataFrame, findings: Findings | None = None
) -> gpd.GeoDataFrame:
    """Zones at the requested level: MSOA or LSOA files, or districts built from the MSOAs."""
    if level not in ZONE_LEVELS:
        raise ValueError(f"zone level must be one of {', '.join(ZONE_LEVELS)}, not {level!r}")
    stem = schema.ZONE_FILES.get(level, "zones_msoa")
    z = read_geo(folder, stem, schema.ZONE_COLUMNS, findings)
    name = geo_path(folder, stem).name
    for bad, problem, fix, column in (
        (z["zone_id"].duplicated(), "duplicate zone_id '{zone_id}'", "give each zone its own id", "zone_id"),
        (~z["district_id"].isin(districts["district_id"]), "district_id '{district_id}' is not in districts.geojson",
         "use one of the district ids in districts.geojson", "district_id"),
    ):  # fmt: skip
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            r = z.iloc[i]
            rid = f"zone_id '{r['zone_id']}'" if column != "zone_id" else None
            raise DataError(name, problem.format(**r), fix, row=i + 1, row_id=rid, column=column)
    z["x"], z["y"] = lonlat_to_bng(z["point_lon"], z["point_lat"])
    keep = ["zone_id", "zone_name", "district_id", "children_0_15", "x", "y", "geometry"]
    z = z[keep]
    if level == "district":
        w = z["children_0_15"].clip(lower=1e-9)
        agg = (
            pd.DataFrame(
                {
                    "district_id": z["district_id"],
                    "children_0_15": z["children_0_15"],
                    "wx": z["x"] * w,
                    "wy": z["y"] * w,
                    "w": w,
                }
            )
            .groupby("district_id")
            .sum()
        )
        d = districts.set_index("district_id").loc[agg.index]
        z = gpd.GeoDataFrame(
            {
                "zone_id": agg.index,
                "zone_name": d["district_name"].to_numpy(),
                "district_id": agg.index,
                "children_0_15": agg["children_0_15"].to_numpy(),
                "x": (agg["wx"] / agg["w"]).to_numpy(),
                "y": (agg["wy"] / agg["w"]).to_numpy(),
            },
            geometry=d.geometry.to_numpy(),
            crs=BNG,
        )
    return z.reset_index(drop=True)


@dataclass
class Geography:
    """What maps and reports need of a data folder: zones at one level, districts, and display names."""

    zone_level: str
    zones: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    need_groups: pd.DataFrame  # need_group, name

    @property
    def district_names(self) -> dict[str, str]:
        return dict(zip(self.districts["district_id"], self.districts["district_name"], strict=True))

    @property
    def need_group_names(self) -> dict[str, str]:
        return dict(zip(self.need_groups["need_group"], self.need_groups["name"], strict=True))


def read_geography(folder: str | Path, zones: str = "msoa") -> Geography:
    """Read only a data folder's boundaries and need-group names (checked as in a full load), for reports."""
    from planner.data.read import read_table

    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(str(folder), "the data folder does not exist", "give --data the path of a data folder")
    districts = read_geo(folder, "districts", schema.DISTRICT_COLUMNS)
    zone_gdf = read_zones(folder, zones, districts)
    groups = read_table(folder, schema.NEED_GROUPS)
    return Geography(
        zones,
        zone_gdf,
        districts[["district_id", "district_name", "geometry"]].reset_index(drop=True),
        groups[["need_group", "name"]],
    )
