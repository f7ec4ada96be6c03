"""Run folders: the one home of a run's table names and columns, writing a folder atomically, its manifest, and
reading a folder back (for reports, comparisons and the re-check).

A run folder is written to a temporary folder beside its destination and renamed into place at the end, so
nothing is half written; an existing folder is replaced only when asked (force). The manifest carries a format
version from version 2 on; folders written before have none and read as version 1 (same tables).
"""

from planner.runfolder.reader import (
    HeldProjects,
    RunTables,
    empty_table,
    held_projects,
    load_run,
    read_manifest,
    read_table,
    robust_first_stage,
)
from planner.runfolder.tables import (
    BUDGET_COLUMNS,
    FEES_PREFIX,
    FORMAT_VERSION,
    INCOME_PREFIX,
    KPI_COLUMNS,
    LINE_PREFIX,
    PLACEMENT_COLUMNS,
    PLACEMENT_SUMMARY_COLUMNS,
    PROJECT_COLUMNS,
    PROJECT_YEAR_COLUMNS,
    RUN_TABLES,
    SETTING_YEAR_COLUMNS,
    SUFFICIENCY_COLUMNS,
    RunFolderError,
    placements_by_district,
)
from planner.runfolder.writer import (
    RunWriter,
    command_line,
    default_run_name,
    default_runs_dir,
    run_manifest,
    versions,
)

__all__ = [
    "robust_first_stage",
    "HeldProjects",
    "held_projects",
    "BUDGET_COLUMNS",
    "FEES_PREFIX",
    "FORMAT_VERSION",
    "INCOME_PREFIX",
    "KPI_COLUMNS",
    "LINE_PREFIX",
    "PLACEMENT_COLUMNS",
    "PLACEMENT_SUMMARY_COLUMNS",
    "PROJECT_COLUMNS",
    "PROJECT_YEAR_COLUMNS",
    "RUN_TABLES",
    "SETTING_YEAR_COLUMNS",
    "SUFFICIENCY_COLUMNS",
    "RunFolderError",
    "RunTables",
    "RunWriter",
    "command_line",
    "default_run_name",
    "default_runs_dir",
    "empty_table",
    "load_run",
    "placements_by_district",
    "read_manifest",
    "read_table",
    "run_manifest",
    "versions",
]
