"""Run folders: the one home of a run's table names and columns, writing a folder atomically, its manifest, and
reading a folder back (for reports, comparisons and the re-check).

A run folder is written to a temporary folder beside its destination and renamed into place at the end, so
nothing is half written; an existing folder is replaced only when asked (force). The manifest carries a format
version from version 2 on; folders written before have none and read as version 1 (same tables).
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner import __version__

if TYPE_CHECKING:
    from planner.data import PlanningData
    from planner.highs import SolverOptions
    from planner.plan import PlanOutcome

FORMAT_VERSION = 2

PROJECT_COLUMNS = (
    "project_id", "site_id", "name", "urn", "kind", "project_type", "setting_type", "setting_id", "district_id",
    "lon", "lat", "needs", "min_age", "max_age", "places", "places_at_opening", "start_year", "opening_year",
    "capital_cost", "setting_name",
)  # fmt: skip
PROJECT_YEAR_COLUMNS = ("project_id", "setting_id", "year", "places", "capital_spent")
PLACEMENT_COLUMNS = (
    "year", "zone_id", "district_id", "need_group", "phase", "setting_id", "setting_type", "out_of_county", "pupils",
    "journey_km", "legacy",
)  # fmt: skip
SETTING_YEAR_COLUMNS = (
    "setting_id", "name", "urn", "setting_type", "origin", "district_id", "out_of_county", "lon", "lat", "year",
    "places", "pupils",
)  # fmt: skip
SUFFICIENCY_COLUMNS = (
    "year", "district_id", "need_group", "phase", "demand", "state_places_in_district", "placed_locally",
    "placed_independent_or_out_of_county", "unmet_local_need",
)  # fmt: skip
KPI_COLUMNS = (
    "year", "children_with_plans", "specialist_pupils", "share_mainstream", "share_state_specialist_in_county",
    "share_independent", "pupils_out_of_county", "mean_journey_km", "transport_cost", "high_needs_spending",
    "in_year_balance", "cumulative_deficit", "year_of_balance",
)  # fmt: skip
# budget.csv: year, income_<line> for each income line, income_total, place_funding, top_ups_and_fees_<setting type>
# for each setting type, then these
BUDGET_COLUMNS = (
    "other_high_needs", "spending_total", "in_year_balance", "cumulative_deficit", "shortfall",
    "transport_general_fund", "capital_spent_options", "capital_budget",
)  # fmt: skip
INCOME_PREFIX = "income_"
FEES_PREFIX = "top_ups_and_fees_"

# the run's tables, in the order they are written; None: columns that depend on the data (budget lines)
RUN_TABLES: dict[str, tuple[str, ...] | None] = {
    "projects": PROJECT_COLUMNS,
    "project_years": PROJECT_YEAR_COLUMNS,
    "placements": PLACEMENT_COLUMNS,
    "settings_by_year": SETTING_YEAR_COLUMNS,
    "sufficiency": SUFFICIENCY_COLUMNS,
    "budget": None,
    "kpis": KPI_COLUMNS,
}
# placements.parquet holds every row (year x zone x need group x phase x setting); placements.csv the same pupils
# by district, the size an officer opens in Excel at any zone level (folders of format 1 have the full CSV only)
PLACEMENT_SUMMARY_COLUMNS = (
    "year", "district_id", "need_group", "phase", "setting_id", "setting_type", "out_of_county", "pupils",
    "mean_journey_km",
)  # fmt: skip
BOOL_COLUMNS = ("out_of_county", "legacy")
ID_COLUMNS = ("needs", "name", "setting_name", "site_id", "project_id", "setting_id", "zone_id", "district_id")
WHOLE_COLUMNS = ("urn", "start_year", "year_of_balance")


class RunFolderError(ValueError):
    """A run folder that cannot be written or read; the message says what is wrong and the fix."""


# ---------------------------------------------------------------------------------------------------------
# writing
def default_run_name(target_year: int, scenario: str, runs_dir: Path) -> Path:
    """runs/<year>-<scenario>-<timestamp>; RunWriter(unique=True) adds -2, -3 ... when a run took the name."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return runs_dir / f"{target_year}-{scenario}-{stamp}"


def default_runs_dir() -> Path:
    """Where run folders go by default: $PLANNER_RUNS_DIR if set, runs/ of the repository when the package runs
    from a checkout, else ./runs."""
    if os.environ.get("PLANNER_RUNS_DIR"):
        return Path(os.environ["PLANNER_RUNS_DIR"])
    root = Path(__file__).resolve().parents[1]
    return (root / "runs") if (root / "pyproject.toml").exists() else Path.cwd() / "runs"


def versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "planner": __version__}
    for pkg in ("pyomo", "highspy", "pandas", "numpy", "geopandas", "shapely", "matplotlib", "pydantic"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def command_line(prog: str, argv: list[str] | None) -> str:
    """The command as it ran: the program's own name and the arguments it parsed."""
    args = sys.argv[1:] if argv is None else argv
    return " ".join([prog, *(shlex.quote(a) for a in args)])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class RunWriter:
    """Reserves a run folder's name before any work (a lock file beside it, so two runs never take one name and an
    unwritable place is found at once), collects the files in a temporary folder, and commit() moves them into
    place with the permissions the user's umask gives. `unique`: take the next free name (-2, -3, ...) rather than
    refuse one that is taken."""

    def __init__(self, out: Path, force: bool = False, *, unique: bool = False) -> None:
        self.force = force
        self.out, self.lock = self._reserve(Path(out), force, unique)
        try:
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.", dir=self.out.parent))
        except BaseException:
            self.lock.unlink(missing_ok=True)
            raise

    @staticmethod
    def _reserve(out: Path, force: bool, unique: bool) -> tuple[Path, Path]:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunFolderError(f"cannot create {out.parent} ({exc.strerror}). Fix: choose another --out") from None
        for k in range(1, 1000):
            path = out if k == 1 else out.with_name(f"{out.name}-{k}")
            lock = path.with_name(f".{path.name}.lock")
            if path.exists() and not force:
                if unique:
                    continue
                raise RunFolderError(f"{path} already exists. Fix: choose another --out, or add --force to replace it")
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if unique:
                    continue
                raise RunFolderError(f"another run is writing {path} now. Fix: choose another --out") from None
            except OSError as exc:
                raise RunFolderError(
                    f"cannot write in {path.parent} ({exc.strerror}). Fix: choose a folder you can write to with --out"
                ) from None
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            return path, lock
        raise RunFolderError(f"no free name for {out}. Fix: choose another --out")

    def table(self, name: str, df: pd.DataFrame) -> Path:
        path = self.tmp / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        return path

    def tables(self, tables: dict[str, pd.DataFrame]) -> None:
        """Every run table as CSV; the placements in full as Parquet, and by district as CSV."""
        for name in RUN_TABLES:
            if name == "placements":
                tables[name].to_parquet(self.tmp / "placements.parquet", index=False)
                self.table(name, placements_by_district(tables[name]))
            else:
                self.table(name, tables[name])

    def json(self, name: str, obj: dict[str, Any]) -> Path:
        path = self.tmp / name
        path.write_text(json.dumps(obj, indent=2, default=str) + "\n")
        return path

    def path(self, name: str) -> Path:
        return self.tmp / name

    def commit(self) -> Path:
        os.chmod(self.tmp, 0o777 & ~_umask())  # a temporary folder is created for its owner only
        try:
            if self.out.exists():
                old = self.out.with_name(f".{self.out.name}.old")
                shutil.rmtree(old, ignore_errors=True)
                self.out.rename(old)
                self.tmp.rename(self.out)
                shutil.rmtree(old, ignore_errors=True)
            else:
                self.tmp.rename(self.out)
        finally:
            self.lock.unlink(missing_ok=True)
        return self.out

    def abandon(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.lock.unlink(missing_ok=True)


def run_manifest(
    outcome: PlanOutcome, data: PlanningData, options: SolverOptions, command: str, seconds: float
) -> dict[str, Any]:
    """What a run folder says about itself, from the resolved objects: the command, the data, the resolved
    scenario and years, versions, the solver's options and every solve's proof, sizes and times."""
    inp = outcome.inputs
    m = outcome.model
    first, cost = outcome.shortfall_solve, outcome.cost_solve
    return {
        "format_version": FORMAT_VERSION,
        "created": datetime.now().isoformat(timespec="seconds"),
        "command": command,
        "data": {"folder": str(data.folder), "hash": data.data_hash, "zones": data.zone_level},
        "target_year": inp.target_year,
        "target_years": inp.target_years,
        "years": [inp.base_year, *inp.years],
        "scenario": {"file": inp.scenario.source, **inp.scenario.model_dump()},
        "versions": versions(),
        "solver": {
            "name": "HiGHS",
            "interface": options.interface,
            "gap_requested": options.mip_gap,
            "shortfall_gap_requested": options.shortfall_gap,
            "time_limit": options.time_limit,
            "threads": options.threads,
        },
        "status": outcome.status,
        "gap": outcome.gap,
        "shortfall_gap": outcome.shortfall_gap,
        "phases": {
            "shortfall": {
                "status": first.status,
                "objective_gbp_m": first.objective,
                "bound_gbp_m": first.bound,
                "gap": first.gap,
                "seconds": first.solve_seconds,
            },
            "cost": {
                "status": cost.status,
                "objective_gbp_m": cost.objective,
                "bound_gbp_m": cost.bound,
                "gap": cost.gap,
                "gap_basis": "share of the plan's cost",
            },
        },
        "solves": outcome.solve_log,
        "shortfall_gbp": outcome.shortfall,
        "objective_breakdown_gbp_discounted": outcome.breakdown,
        "size": {**inp.summary(), "variables": m.nvariables(), "constraints": m.nconstraints()},
        "seconds": {**outcome.timings, "total": seconds},
    }


# ---------------------------------------------------------------------------------------------------------
# reading back
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


def placements_by_district(placements: pd.DataFrame) -> pd.DataFrame:
    """Pupils by year, home district, need group, phase and setting, with their mean journey (road km)."""
    keys = list(PLACEMENT_SUMMARY_COLUMNS[:7])
    p = placements.assign(pupil_km=placements["pupils"] * placements["journey_km"])
    out = p.groupby(keys, sort=True)[["pupils", "pupil_km"]].sum().reset_index()
    out["mean_journey_km"] = out["pupil_km"] / out["pupils"].where(out["pupils"] > 0)
    return out[list(PLACEMENT_SUMMARY_COLUMNS)]


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """One run table, typed (booleans, whole numbers, ids as text); an empty file gives its columns. The
    placements come from placements.parquet where the folder has it (format 2), else placements.csv."""
    if name == "placements" and (folder / "placements.parquet").exists():
        return _typed(pd.read_parquet(folder / "placements.parquet"))
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
    if tables["projects"].empty:
        tables["projects"] = empty_table("projects")
    return RunTables(folder=folder, manifest=manifest, tables=tables)


def empty_table(name: str) -> pd.DataFrame:
    """A run table with its columns and no rows (a plan that builds nothing)."""
    columns = RUN_TABLES[name] or ()
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("lon", "lat") else object) for c in columns})
