"""Check a data folder and summarise it, or draw its map.

    python -m planner.data [--data data/norfolk] [--zones msoa|lsoa|district] [--map [PATH]]

Lists every problem of the folder in one pass (each naming the file, row or column and the fix), or summarises
a usable folder. Exit status 0 if the folder is usable, 2 if it is not.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from planner.cli.guard import guarded
from planner.data import ZONE_LEVELS, PlanningData, default_data_folder
from planner.data.demand import zone_demand
from planner.data.load import read_folder
from planner.data.validate import reconciliation_table

if TYPE_CHECKING:
    from planner.report.data_map import DataMapTables


def _table(df: pd.DataFrame, indent: str = "  ") -> str:
    return "\n".join(indent + line for line in df.to_string().splitlines())


def summary(data: PlanningData) -> str:
    """A short plain-text summary of a loaded data folder."""
    out: list[str] = []
    z = data.zones
    out.append(f"Data folder: {data.folder}  (hash {data.data_hash})")
    out.append(f"Base year: {data.base_year - 1}/{str(data.base_year)[-2:]} ({data.base_year})")
    out.append(
        f"Zones: {len(z)} {data.zone_level} zones in {len(data.districts)} districts; "
        f"{z['children_0_15'].sum():,.0f} children aged 0-15"
    )

    s = data.settings.copy()
    s["where"] = s["out_of_county"].map({True: "out of county", False: "in county"})
    by_type = (
        s.groupby(["setting_type", "where"])
        .agg(settings=("name", "size"), places=("places", "sum"), base_pupils=("base_pupils", "sum"))
        .round(0)
        .astype({"places": int, "base_pupils": int})
    )
    out.append(f"\nSettings: {len(s)} ({int(s['places'].sum()):,} places, {s['base_pupils'].sum():,.0f} base pupils)")
    out.append(_table(by_type))

    c = data.commitments
    out.append(f"\nCommitments: {len(c)} projects, {c['places'].sum():,.0f} places")
    cc = (
        c.groupby(["project_type", "setting_type"])
        .agg(projects=("name", "size"), places=("places", "sum"), first_opening=("opening_year", "min"))
        .astype({"places": int})
    )
    out.append(_table(cc))

    o = data.options
    oo = o.groupby(["option_type", "setting_type"]).agg(options=("option_id", "size"), sites=("site_id", "nunique"))
    out.append(f"\nOptions: {len(o)} options at {o['site_id'].nunique()} sites")
    out.append(_table(oo))

    p = data.plans
    years = sorted(int(y) for y in p["year"].unique())
    out.append(f"\nPlan projections: {', '.join(sorted(p['scenario'].unique()))}; years {years[0]}-{years[-1]}")

    rec = reconciliation_table(data)[["measure", "data_value", "published_value", "gap_pct", "tolerance_pct"]]
    rec = rec.set_index("measure")
    out.append("\nBase-year reconciliation (data against published figures):")
    shown = rec.assign(
        data_value=rec["data_value"].map("{:,.1f}".format),
        published_value=rec["published_value"].map("{:,.1f}".format),
        gap_pct=rec["gap_pct"].map("{:.1f}%".format),
        tolerance_pct=rec["tolerance_pct"].map("{:g}%".format),
    )
    out.append(_table(shown))

    if data.warnings:
        out.append(f"\nWarnings ({len(data.warnings)}):")
        out.extend(f"  - {w}" for w in data.warnings)
    else:
        out.append("\nWarnings: none")
    return "\n".join(out)


def data_map_tables(data: PlanningData, projection: str = "central") -> DataMapTables:
    """What the data map draws: base-year specialist demand by zone (an estimate from the `projection`), the
    settings, commitments and options, and the ages the model places."""
    from planner.report.data_map import DataMapTables

    zd = zone_demand(data, projection)
    base = zd[zd["year"] == data.base_year].groupby("zone_id")["demand"].sum()
    placed = data.phases[data.phases["placed_by_model"]]
    ages = (int(placed["min_age"].min()), int(placed["max_age"].max())) if len(placed) else None
    return DataMapTables(
        base_year=data.base_year,
        demand=base.reindex(data.zones["zone_id"]).fillna(0.0),
        settings=data.settings,
        commitments=data.commitments,
        options=data.options,
        ages=ages,
    )


def main(argv: list[str] | None = None) -> int:
    return guarded(_main, argv)


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner.data", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: the repository's data/norfolk)")
    parser.add_argument("--zones", choices=ZONE_LEVELS, default="msoa", help="zone level (default msoa)")
    parser.add_argument(
        "--map",
        nargs="?",
        const="",
        default=None,
        metavar="PATH",
        help="draw the data map as PNG (default path runs/data-map-<zones>.png)",
    )
    parser.add_argument("--projection", default="central", help="projection for the map's demand (default central)")
    args = parser.parse_args(argv)

    folder = args.data if args.data is not None else default_data_folder()
    data, findings = read_folder(folder, zones=args.zones)
    if data is None:
        n = len(findings.problems)
        print(f"{folder}: {n} problem{'s' * (n != 1)} to put right:", file=sys.stderr)
        for problem in findings.problems:
            print(f"  - {problem}", file=sys.stderr)
        for w in findings.warnings:
            print(f"  warning: {w}", file=sys.stderr)
        return 2

    if args.map is None:
        print(summary(data))
        return 0

    from planner.report.data_map import data_map

    path = Path(args.map) if args.map else Path("runs") / f"data-map-{args.zones}.png"
    start = time.perf_counter()
    try:
        data_map(data.geography, data_map_tables(data, args.projection), path)
    except ValueError as exc:  # e.g. an unknown projection
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {path} ({time.perf_counter() - start:.1f} s)")
    for w in data.warnings:
        print(f"Warning: {w}", file=sys.stderr)
    return 0
