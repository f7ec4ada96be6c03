"""Writing a run folder: its name reserved before any work, its files collected in a temporary folder and moved
into place at the end, and its manifest from the resolved objects."""

from __future__ import annotations

import json
import os
import platform
import shlex
import shutil
import sys
import tempfile
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner import __version__
from planner.runfolder.tables import (
    FORMAT_VERSION,
    OPTIONAL_RUN_TABLES,
    RUN_TABLES,
    RunFolderError,
    placements_by_district,
    write_placements_parquet,
)

if TYPE_CHECKING:
    from planner.data import PlanningData
    from planner.highs import SolverOptions
    from planner.plan import PlanOutcome


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
                write_placements_parquet(tables[name], self.tmp / "placements.parquet")
                self.table(name, placements_by_district(tables[name]))
            else:
                self.table(name, tables[name])
        for name in OPTIONAL_RUN_TABLES:
            if name in tables and len(tables[name]):
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
            "seed": options.seed,
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
                "gap_basis": "share of the plan's cost, whole places included (docs/model.md section 7)",
                "whole_places_gbp_m": outcome.rounding / 1e6,
            },
        },
        "solves": outcome.solve_log,
        "shortfall_gbp": outcome.shortfall,
        "balance_test": inp.balance_test,
        "occupancy_margin": inp.occupancy_margin,
        "needs_no_state_setting_serves": inp.unserved.to_dict(orient="records"),
        "objective_breakdown_gbp_discounted": outcome.breakdown,
        "size": {**inp.summary(), "variables": m.nvariables(), "constraints": m.nconstraints()},
        "seconds": {**outcome.timings, "total": seconds},
    }
