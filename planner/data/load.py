"""Load a data folder: read every table and the geography, then check them against each other."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np

from planner.data import schema
from planner.data.errors import DataError, DataWarning, Findings
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


def read_folder(folder: str | Path, zones: str = "msoa") -> tuple[PlanningData | None, Findings]:
    """Read and check a data folder, finding every problem it can in one pass. The data are None when a problem
    was found."""
    folder = Path(folder)
    findings = Findings()
    if not folder.is_dir():
        findings.add(DataError(str(folder), "the data folder does not exist", "give --data the path of a data folder"))
        return None, findings
    tables = {key: read_table(folder, spec, findings) for key, spec in schema.TABLES.items()}
    geo = {}
    for key, read in (
        ("districts", lambda: read_geo(folder, "districts", schema.DISTRICT_COLUMNS, findings)),
        ("zones", lambda: read_zones(folder, zones, geo["districts"], findings)),
    ):
        try:
            geo[key] = read()
        except DataError as exc:
            findings.add(exc)
            break
    if findings.has_problems():
        return None, findings
    for key in ("settings", "commitments", "options"):
        df = tables[key]
        has = df["lon"].notna() & df["lat"].notna()
        x, y = lonlat_to_bng(df["lon"].fillna(0), df["lat"].fillna(0))
        df["x"] = np.where(has, x, np.nan)
        df["y"] = np.where(has, y, np.nan)
    used_files = [spec.file for spec in schema.TABLES.values() if (folder / spec.file).exists()]
    used_files += [schema.FUTURES.file] if (folder / schema.FUTURES.file).exists() else []
    used_files += [
        geo_path(folder, "districts").name,
        geo_path(folder, schema.ZONE_FILES.get(zones, "zones_msoa")).name,
    ]
    data = PlanningData(
        folder=folder,
        zone_level=zones,
        zones=geo["zones"],
        districts=geo["districts"][["district_id", "district_name", "geometry"]].reset_index(drop=True),
        parameters=tables.pop("parameters").set_index("name")["value"],
        data_hash=folder_hash(folder, used_files),
        **tables,
    )
    validate_data(data, findings)
    data.warnings = list(findings.warnings)
    return (None if findings.has_problems() else data), findings


def load_data(folder: str | Path, zones: str = "msoa") -> PlanningData:
    """Read and check a data folder. Raises DataProblems (a DataError reading as the first problem) if anything
    is wrong; warns (DataWarning) of what was read but should be looked at."""
    data, findings = read_folder(folder, zones)
    findings.raise_first()
    assert data is not None
    for message in findings.warnings:
        warnings.warn(message, DataWarning, stacklevel=2)
    return data
