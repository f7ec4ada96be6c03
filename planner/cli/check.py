"""python -m planner.check RUN_FOLDER: re-check a run folder against its data, independently of the model.

Exit status: 0 every check passes; 1 a check fails (each failure is listed); 2 the run folder or data cannot be
read.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from planner.check import check_run, require_manifest
from planner.cli.guard import guarded
from planner.data import DataError, DataWarning, load_data
from planner.runfolder import RunFolderError, read_manifest


def main(argv: list[str] | None = None) -> int:
    return guarded(_main, argv)


def _main(argv: list[str] | None) -> int:
    ap = argparse.ArgumentParser(prog="python -m planner.check", description=__doc__.split("\n")[0])
    ap.add_argument("run_dir", type=Path, help="run folder written by python -m planner.solve")
    ap.add_argument("--data", type=Path, default=None, help="data folder (default: the one in the manifest)")
    args = ap.parse_args(argv)
    try:
        manifest = read_manifest(args.run_dir)
        require_manifest(args.run_dir, manifest)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            data = load_data(args.data or manifest["data"]["folder"], zones=manifest["data"]["zones"])
        report = check_run(args.run_dir, data)
    except json.JSONDecodeError as exc:
        print(f"error: {args.run_dir}: manifest.json is not valid JSON ({exc})", file=sys.stderr)
        return 2
    except (DataError, RunFolderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report)
    return 0 if report.ok else 1
