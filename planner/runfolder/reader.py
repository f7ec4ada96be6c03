"""Reading a run folder back: its manifest and tables, typed, for reports, comparisons and the re-check."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from planner.runfolder.tables import (
    BOOL_COLUMNS,
    FORMAT_VERSION,
    ID_COLUMNS,
    OPTIONAL_RUN_TABLES,
    RUN_TABLES,
    WHOLE_COLUMNS,
    RunFolderError,
    read_placements_parquet,
)


@dataclass
class RunTables:
    """The tables and manifest of one run folder."""

    folder: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def format_version(self) -> int:
        return int(self.manifest.get("format_version", 1))

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.manifest["years"]]

    @property
    def base_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]

    @property
    def target_year(self) -> int:
        return int(self.manifest["target_year"])

    @property
    def target_years(self) -> list[int]:
        """The years the in-year balance applies to (recorded from version 2; before, the target year on)."""
        recorded = self.manifest.get("target_years")
        return [int(y) for y in recorded] if recorded else [y for y in self.years if y >= self.target_year]

    @property
    def scenario(self) -> dict[str, Any]:
        return self.manifest.get("scenario") or {}

    @property
    def scenario_name(self) -> str:
        return str(self.scenario.get("name") or self.folder.name)

    @property
    def zone_level(self) -> str:
        return str((self.manifest.get("data") or {}).get("zones", "msoa"))

    @property
    def data_folder(self) -> Path | None:
        """The data folder the run was made from, if it is still there."""
        folder = str((self.manifest.get("data") or {}).get("folder", ""))
        return Path(folder) if folder not in ("", ".") and Path(folder).is_dir() else None

    @property
    def label(self) -> str:
        """How the run is named in reports: its scenario and folder."""
        name = self.scenario_name
        return name if name == self.folder.name else f"{name} ({self.folder.name})"


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for col in WHOLE_COLUMNS:
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    for col in BOOL_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype(str).str.lower().isin({"true", "1"})
    for col in ID_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype("string").fillna("").astype(str)
    return df


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """One run table, typed (booleans, whole numbers, ids as text); an empty file gives its columns. The
    placements come from placements.parquet where the folder has it (format 2), else placements.csv."""
    if name == "placements" and (folder / "placements.parquet").exists():
        return _typed(read_placements_parquet(folder / "placements.parquet"))
    path = folder / f"{name}.csv"
    if not path.exists():
        raise RunFolderError(f"{folder}: {name}.csv is missing. Fix: give a complete run folder")
    try:
        return _typed(pd.read_csv(path, keep_default_na=True))
    except pd.errors.EmptyDataError:
        return empty_table(name)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.exists():
        raise RunFolderError(
            f"{folder}: manifest.json is missing. Fix: give a run folder written by python -m planner.solve"
        )
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if int(manifest.get("format_version", 1)) > FORMAT_VERSION:
        raise RunFolderError(
            f"{folder}: written by a newer planner (run folder format {manifest['format_version']}, this planner "
            f"reads up to {FORMAT_VERSION}). Fix: update planner"
        )
    return manifest


def load_run(folder: str | Path) -> RunTables:
    """Read a run folder's tables and manifest.json. Raises RunFolderError naming a missing file."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RunFolderError(f"{folder}: no such run folder. Fix: give the folder written by python -m planner.solve")
    manifest = read_manifest(folder)
    tables = {name: read_table(folder, name) for name in RUN_TABLES}
    for name in OPTIONAL_RUN_TABLES:
        if (folder / f"{name}.csv").exists():
            tables[name] = read_table(folder, name)
    if tables["projects"].empty:
        tables["projects"] = empty_table("projects")
    return RunTables(folder=folder, manifest=manifest, tables=tables)


def empty_table(name: str) -> pd.DataFrame:
    """A run table with its columns and no rows (a plan that builds nothing)."""
    columns = RUN_TABLES.get(name) or OPTIONAL_RUN_TABLES.get(name) or ()
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("lon", "lat") else object) for c in columns})


@dataclass
class HeldProjects:
    """A plan's projects, to hold in other futures: option -> (opening year, places at the horizon), places by
    (option, year) where known; `first_stage_years`: a robust plan's first stage only (else every project)."""

    opening: dict[str, tuple[int, float]]
    places_by_year: dict[tuple[str, int], float] = field(default_factory=dict)
    first_stage_years: int | None = None


def robust_first_stage(projects: pd.DataFrame, by_year: pd.DataFrame, span: int) -> HeldProjects:
    """A robust plan's first stage to hold: its projects (robust_projects, stage first) and their places by year
    (robust_first_stage_years)."""
    pr = projects[projects["stage"] == "first"].dropna(subset=["opening_year"])
    opening = {str(r.option_id): (int(r.opening_year), float(r.first_stage_places)) for r in pr.itertuples()}
    places = {(str(r.option_id), int(r.year)): float(r.places) for r in by_year.itertuples()}
    return HeldProjects(opening, places, span)


def held_projects(folder: Path) -> HeldProjects:
    """The projects a plan's folder holds, to evaluate that plan in other futures: a robust plan's first stage
    (robust_projects.csv, stage first, with its first_stage_years), or a run folder's projects (projects.csv,
    options only, with their places by year from project_years.csv). Raises RunFolderError naming what is missing."""
    folder = Path(folder)
    robust = folder / "robust.json"
    try:
        if robust.is_file():
            span = int(json.loads(robust.read_text())["weights"]["span"])
            first = pd.read_csv(folder / "robust_projects.csv")
            return robust_first_stage(first, pd.read_csv(folder / "robust_first_stage_years.csv"), span)
        pr = pd.read_csv(folder / "projects.csv")
        pr = pr[pr["kind"] == "option"]
        opening = {str(r.project_id): (int(r.opening_year), float(r.places)) for r in pr.itertuples()}
        py = pd.read_csv(folder / "project_years.csv")
        py = py[py["project_id"].isin(opening)]
        by_year = {(str(r.project_id), int(r.year)): float(r.places) for r in py.itertuples()}
        return HeldProjects(opening, by_year, None)
    except (OSError, KeyError, ValueError) as exc:
        raise RunFolderError(
            f"{folder}: not a run folder or robust plan folder whose projects can be read ({exc}). Fix: give the "
            "folder python -m planner.solve wrote"
        ) from None
