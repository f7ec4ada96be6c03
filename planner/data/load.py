"""Load a data folder: read every table and the geography, then check them against each other."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np

from planner.data import schema
from planner.data.errors import DataError, DataWarning
from planner.data.geography import geo_path, lonlat_to_bng, read_geo, read_zones
from planner.data.read import read_table
from planner.data.tables import PlanningData
from planner.data.validate import validate_data

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def default_data_folder() -> Path:
    """The shipped Norfolk data: the repository's data/norfolk, or ./data/norfolk where the package is installed
    elsewhere."""
    shipped = PACKAGE_ROOT / "data" / "norfolk"
    return shipped if shipped.is_dir() else Path("data") / "norfolk"


def folder_hash(folder: Path, files: list[str]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        p = folder / name
        if p.exists():
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def load_data(folder: str | Path, zones: str = "msoa") -> PlanningData:
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
        x, y = lonlat_to_bng(df["lon"].fillna(0), df["lat"].fillna(0))
        df["x"] = np.where(has, x, np.nan)
        df["y"] = np.where(has, y, np.nan)

    used_files = [spec.file for spec in schema.TABLES.values()] + [
        geo_path(folder, "districts").name,
        geo_path(folder, schema.ZONE_FILES.get(zones, "zones_msoa")).name,
    ]
    data = PlanningData(
        folder=folder,
        zone_level=zones,
        zones=zone_gdf,
        districts=districts[["district_id", "district_name", "geometry"]].reset_index(drop=True),
        parameters=tables.pop("parameters").set_index("name")["value"],
        data_hash=folder_hash(folder, used_files),
        **tables,
    )
    for message in validate_data(data):
        data.warnings.append(message)
        warnings.warn(message, DataWarning, stacklevel=2)
    return data
