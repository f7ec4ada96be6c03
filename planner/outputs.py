"""Run folders: the tables, manifest and pictures of one solved plan, written atomically.

A run folder is written to a temporary folder beside its destination and renamed into place at the end, so
nothing is half written; an existing folder is replaced only when asked (force).
"""

from __future__ import annotations

import json
import platform
import shutil
import sys
import tempfile
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from planner import __version__

RUN_TABLES = ("projects", "project_years", "placements", "settings_by_year", "sufficiency", "budget", "kpis")


class RunFolderError(ValueError):
    """A run folder that cannot be written (exists and not forced, say)."""


def default_run_name(target_year: int, scenario: str, runs_dir: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = runs_dir / f"{target_year}-{scenario}-{stamp}"
    k = 2
    while path.exists():
        path = runs_dir / f"{target_year}-{scenario}-{stamp}-{k}"
        k += 1
    return path


def versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "planner": __version__}
    for pkg in ("pyomo", "highspy", "pandas", "numpy", "geopandas", "shapely", "matplotlib", "pydantic"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def check_destination(out: Path, force: bool) -> None:
    if out.exists() and not force:
        raise RunFolderError(f"{out} already exists. Fix: choose another --out, or add --force to replace it")


class RunWriter:
    """Collects a run's files in a temporary folder; commit() moves them into place."""

    def __init__(self, out: Path, force: bool = False) -> None:
        check_destination(out, force)
        self.out, self.force = out, force
        out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))

    def table(self, name: str, df: pd.DataFrame) -> Path:
        path = self.tmp / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        return path

    def json(self, name: str, obj: dict[str, Any]) -> Path:
        path = self.tmp / name
        path.write_text(json.dumps(obj, indent=2, default=str) + "\n")
        return path

    def path(self, name: str) -> Path:
        return self.tmp / name

    def commit(self) -> Path:
        if self.out.exists():
            if not self.force:
                raise RunFolderError(f"{self.out} appeared while the run was writing; nothing was replaced")
            old = self.out.with_name(f".{self.out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            self.out.rename(old)
            self.tmp.rename(self.out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            self.tmp.rename(self.out)
        return self.out

    def abandon(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def command_line() -> str:
    return " ".join(["python -m planner.solve", *sys.argv[1:]])
