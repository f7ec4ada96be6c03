"""Read a data folder into typed tables. Nothing here knows of the optimisation model."""

from __future__ import annotations

import hashlib
import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from pyproj.exceptions import CRSError

from planner.data import schema
from planner.data.errors import DataError, DataWarning

BNG = "EPSG:27700"  # British National Grid: metres, used for every distance
WGS84 = "EPSG:4326"
ZONE_LEVELS = ("msoa", "lsoa", "district")


@dataclass
class PlanningData:
    """A validated data folder. Geometries and x/y columns are in British National Grid metres."""

    folder: Path
    zone_level: str
    zones: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    need_groups: pd.DataFrame
    phases: pd.DataFrame
    placement_types: pd.DataFrame
    plans: pd.DataFrame
    base_placements: pd.DataFrame
    settings: pd.DataFrame
    commitments: pd.DataFrame
    options: pd.DataFrame
    option_sizes: pd.DataFrame
    unit_costs: pd.DataFrame
    income: pd.DataFrame
    capital_budget: pd.DataFrame
    parameters: pd.Series
    reconciliation: pd.DataFrame
    data_hash: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def base_year(self) -> int:
        return int(self.parameters["base_year"])

    @property
    def last_year(self) -> int:
        return int(self.plans["year"].max())

    @property
    def placed_phases(self) -> list[str]:
        return self.phases.loc[self.phases["placed_by_model"], "phase"].tolist()

    @property
    def specialist_types(self) -> list[str]:
        return self.placement_types.loc[self.placement_types["specialist"], "placement_type"].tolist()


# ---------------------------------------------------------------------------------------------------------
# one CSV table
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def _row_label(spec: schema.TableSpec, raw: pd.DataFrame, i: int) -> str | None:
    keys = [k for k in spec.key if k in raw.columns]
    if not keys:
        return None
    return ", ".join(f"{k} '{raw.iloc[i][k]}'" for k in keys)


def _coerce(spec: schema.TableSpec, col: schema.Column, raw: pd.DataFrame) -> pd.Series:
    values = raw[col.name].astype(str).str.strip()
    out: list[object] = []
    for i, v in enumerate(values):

        def fail(problem: str, fix: str, i: int = i) -> DataError:
            return DataError(
                spec.file, problem, col.fix or fix, row=i + 2, row_id=_row_label(spec, raw, i), column=col.name
            )

        if v == "" or v.lower() in {"nan", "na", "none", "null"}:
            if not col.nullable:
                raise fail("the value is empty", f"fill in {col.name}" + (f" ({col.unit})" if col.unit else ""))
            out.append(None)
            continue
        if col.kind in ("int", "float"):
            try:
                x = float(v)
            except ValueError:
                raise fail(
                    f"'{v}' is not a number",
                    f"write {col.name} as a plain number"
                    + (f" in {col.unit}" if col.unit else "")
                    + " (no currency signs, commas or words)",
                ) from None
            if math.isnan(x) or math.isinf(x):
                raise fail(f"'{v}' is not a finite number", f"write {col.name} as a plain number")
            if col.kind == "int":
                if x != int(x):
                    raise fail(f"'{v}' is not a whole number", f"write {col.name} as a whole number")
                x = int(x)
            if col.min is not None and x < col.min:
                problem = f"{v} is negative" if col.min == 0 and x < 0 else f"{v} is below the minimum {col.min:g}"
                raise fail(problem, f"give {col.name} of at least {col.min:g}" + (f" ({col.unit})" if col.unit else ""))
            if col.max is not None and x > col.max:
                raise fail(f"{v} is above the maximum {col.max:g}", f"give {col.name} of at most {col.max:g}")
            out.append(x)
        elif col.kind == "bool":
            if v.lower() in _TRUE:
                out.append(True)
            elif v.lower() in _FALSE:
                out.append(False)
            else:
                raise fail(f"'{v}' is not true or false", "write true or false")
        elif col.kind == "list":
            items = tuple(s.strip() for s in v.split(";") if s.strip())
            if not items:
                raise fail("the list is empty", "list one or more values separated by ';'")
            out.append(items)
        else:
            if col.choices is not None and v not in col.choices:
                raise fail(f"'{v}' is not one of {', '.join(col.choices)}", f"write one of {', '.join(col.choices)}")
            out.append(v)
    if col.kind == "int":
        return pd.Series(out, index=raw.index, dtype="Int64")
    if col.kind == "float":
        return pd.Series([np.nan if x is None else x for x in out], index=raw.index, dtype=float)
    if col.kind == "bool":
        return pd.Series(out, index=raw.index, dtype=bool)
    return pd.Series(out, index=raw.index, dtype=object)


def read_table(folder: Path, spec: schema.TableSpec) -> pd.DataFrame:
    """Read one CSV file, check its columns, types and ranges, and return it typed."""
    path = folder / spec.file
    if not path.exists():
        raise DataError(
            spec.file, f"the file is missing from {folder}", f"add {spec.file} (its columns are listed in docs/data.md)"
        )
    if not path.read_text(encoding="utf-8-sig").strip():
        raise DataError(spec.file, "the file is empty", "write the header row and the data rows (see docs/data.md)")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(
            spec.file, f"the file cannot be read as CSV ({exc})", "save it as comma-separated UTF-8 text"
        ) from None
    raw.columns = [c.strip() for c in raw.columns]
    # blank rows at the end are harmless; one inside the table would shift the row number of every later error
    blank = np.all([raw[c].str.strip().eq("").to_numpy() for c in raw.columns], axis=0)
    n = len(blank) - int(np.cumprod(blank[::-1]).sum())
    raw = raw.iloc[:n]
    if blank[:n].any():
        raise DataError(
            spec.file,
            "the row is blank",
            "delete the blank row, or fill it in",
            row=int(np.flatnonzero(blank[:n])[0]) + 2,
        )
    if raw.empty and not spec.may_be_empty:
        raise DataError(spec.file, "the file has a header but no rows", "add the data rows")
    for col in spec.columns:
        if col.name not in raw.columns:
            raise DataError(
                spec.file,
                "the column is missing",
                f"add a column named '{col.name}'" + (f" ({col.unit})" if col.unit else "") + "; see docs/data.md",
                column=col.name,
            )
    df = pd.DataFrame({c.name: _coerce(spec, c, raw) for c in spec.columns}, index=raw.index)
    if spec.key:
        dup = df.duplicated(list(spec.key), keep="first")
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            first = int(np.flatnonzero((df[list(spec.key)] == df.iloc[i][list(spec.key)]).all(axis=1).to_numpy())[0])
            key = ", ".join(str(df.iloc[i][k]) for k in spec.key)
            raise DataError(
                spec.file,
                f"duplicate {' + '.join(spec.key)} '{key}' (first on row {first + 2})",
                "give each row its own id, or remove the repeated row",
                row=i + 2,
                column=spec.key[0] if len(spec.key) == 1 else None,
            )
    return df


# ---------------------------------------------------------------------------------------------------------
# geography
def _geo_path(folder: Path, stem: str) -> Path:
    for suffix in schema.GEO_SUFFIXES:
        p = folder / f"{stem}{suffix}"
        if p.exists():
            return p
    raise DataError(
        f"{stem}.geojson",
        f"the file is missing from {folder}",
        f"add {stem}.geojson (or .gpkg/.shp) with the boundaries (see docs/data.md)",
    )


def read_geo(folder: Path, stem: str, columns: dict[str, str]) -> gpd.GeoDataFrame:
    """Read boundaries, refuse a missing CRS, reproject to British National Grid."""
    path = _geo_path(folder, stem)
    name = path.name
    if path.stat().st_size == 0:
        raise DataError(name, "the file is empty", "write the boundaries (GeoJSON with a CRS)")
    declared = True
    if path.suffix == ".geojson":
        try:
            declared = "crs" in json.loads(path.read_text(encoding="utf-8"))
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
    return gdf


def _lonlat_to_bng(lon: pd.Series, lat: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    t = Transformer.from_crs(WGS84, BNG, always_xy=True)
    x, y = t.transform(lon.to_numpy(dtype=float), lat.to_numpy(dtype=float))
    return np.asarray(x), np.asarray(y)


def read_zones(folder: Path, level: str, districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Zones at the requested level: MSOA or LSOA files, or districts built from the MSOAs."""
    if level not in ZONE_LEVELS:
        raise ValueError(f"zone level must be one of {', '.join(ZONE_LEVELS)}, not {level!r}")
    stem = schema.ZONE_FILES.get(level, "zones_msoa")
    z = read_geo(folder, stem, schema.ZONE_COLUMNS)
    name = _geo_path(folder, stem).name
    dup = z["zone_id"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(
            name,
            f"duplicate zone_id '{z['zone_id'].iloc[i]}'",
            "give each zone its own id",
            row=i + 1,
            column="zone_id",
        )
    unknown = ~z["district_id"].isin(districts["district_id"])
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataError(
            name,
            f"district_id '{z['district_id'].iloc[i]}' is not in districts.geojson",
            "use one of the district ids in districts.geojson",
            row=i + 1,
            row_id=f"zone_id '{z['zone_id'].iloc[i]}'",
            column="district_id",
        )
    z["x"], z["y"] = _lonlat_to_bng(z["point_lon"], z["point_lat"])
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


# ---------------------------------------------------------------------------------------------------------
def folder_hash(folder: Path, files: list[str]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        p = folder / name
        if p.exists():
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def load_data(folder: str | Path, zones: str = "msoa", *, validate: bool = True) -> PlanningData:
    """Read and check a data folder. Raises DataError for the first bad input; collects warnings."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(str(folder), "the data folder does not exist", "give --data the path of a data folder")
    tables = {key: read_table(folder, spec) for key, spec in schema.TABLES.items()}
    districts = read_geo(folder, "districts", schema.DISTRICT_COLUMNS)
    zone_gdf = read_zones(folder, zones, districts)

    for key in ("settings", "commitments", "options"):
        df = tables[key]
        has = df["lon"].notna() & df["lat"].notna()
        x, y = _lonlat_to_bng(df["lon"].fillna(0), df["lat"].fillna(0))
        df["x"] = np.where(has, x, np.nan)
        df["y"] = np.where(has, y, np.nan)

    params = tables["parameters"].set_index("name")["value"]
    used_files = [spec.file for spec in schema.TABLES.values()] + [
        _geo_path(folder, "districts").name,
        _geo_path(folder, schema.ZONE_FILES.get(zones, "zones_msoa")).name,
    ]
    data = PlanningData(
        folder=folder,
        zone_level=zones,
        zones=zone_gdf,
        districts=districts[["district_id", "district_name", "geometry"]].reset_index(drop=True),
        need_groups=tables["need_groups"],
        phases=tables["phases"],
        placement_types=tables["placement_types"],
        plans=tables["plans"],
        base_placements=tables["base_placements"],
        settings=tables["settings"],
        commitments=tables["commitments"],
        options=tables["options"],
        option_sizes=tables["option_sizes"],
        unit_costs=tables["unit_costs"],
        income=tables["income"],
        capital_budget=tables["capital_budget"],
        parameters=params,
        reconciliation=tables["reconciliation"],
        data_hash=folder_hash(folder, used_files),
    )
    if validate:
        from planner.data.validate import validate_data

        for message in validate_data(data):
            data.warnings.append(message)
            warnings.warn(message, DataWarning, stacklevel=2)
    return data
