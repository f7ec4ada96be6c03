"""The geography a report of a run draws on: the run's data folder (or another) at the run's zone level."""

from __future__ import annotations

from pathlib import Path

from planner.data import Geography, default_data_folder, read_geography
from planner.runfolder import RunTables


def run_geography(run: RunTables, override: Path | None = None) -> Geography:
    """Boundaries and names from `override`, else the folder the run was made from, else the shipped data."""
    folder = override or run.data_folder or default_data_folder()
    return read_geography(folder, run.zone_level)
