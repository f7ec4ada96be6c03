"""Build the Norfolk default dataset (data/norfolk) from the public source files (data/sources/norfolk).

Run from the repository root:  python -m tools.norfolk  (--source and --out choose other folders)
The shipped data/norfolk folder is exactly what this writes, so every figure in it can be traced to a source
file, a public document named in a `source` column, or an estimate labelled `estimate` in
tools/norfolk/assumptions.py and in docs/data.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from tools.norfolk.assumptions import BASE_YEAR
from tools.norfolk.cohort import build_base, build_plans, classification_tables, stay_rates
from tools.norfolk.common import ROOT
from tools.norfolk.geography import build_geography
from tools.norfolk.money import (
    base_year_spending,
    build_capital_budget,
    build_income,
    build_parameters,
    build_unit_costs,
)
from tools.norfolk.projects import build_commitments, build_options
from tools.norfolk.reconciliation import build_reconciliation
from tools.norfolk.settings import build_settings, rebalance_srb

GEO_FILES = ["districts.geojson", "zones_msoa.geojson", "zones_lsoa.geojson"]


def build(src: Path) -> tuple[list[gpd.GeoDataFrame], dict[str, pd.DataFrame]]:
    """Every table of the dataset: the three boundary layers (GEO_FILES order) and the CSV tables by file name."""
    geo = build_geography(src)
    plans = build_plans(src)
    base, published = build_base(src, plans)
    need_groups, phases, ptypes = classification_tables(stay_rates(src))
    settings = build_settings(src, geo[1], base)
    base = rebalance_srb(base, settings)
    commitments = build_commitments(src)
    options, option_sizes = build_options(src, settings, commitments)
    unit_costs, income = build_unit_costs(), build_income()
    params = build_parameters(settings, base, phases, unit_costs, income)
    tables = {
        "need_groups.csv": need_groups,
        "phases.csv": phases,
        "placement_types.csv": ptypes,
        "plans.csv": plans,
        "base_placements.csv": base,
        "settings.csv": settings,
        "commitments.csv": commitments,
        "options.csv": options,
        "option_sizes.csv": option_sizes,
        "unit_costs.csv": unit_costs,
        "income.csv": income,
        "capital_budget.csv": build_capital_budget(),
        "parameters.csv": params,
        "reconciliation.csv": build_reconciliation(published, base_year_spending(income)[0]),
    }
    return list(geo), tables


def write(out: Path, geo: list[gpd.GeoDataFrame], tables: dict[str, pd.DataFrame]) -> list[str]:
    """Write the boundary layers, the tables and manifest.json into `out`; return the data file names."""
    out.mkdir(parents=True, exist_ok=True)
    for gdf, name in zip(geo, GEO_FILES, strict=True):
        path = out / name
        if path.exists():
            path.unlink()
        gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=6)
    for name, df in tables.items():
        df.to_csv(out / name, index=False, lineterminator="\n")
    files = sorted([*tables, *GEO_FILES])
    meta = {"built_from": "data/sources/norfolk", "base_year": BASE_YEAR, "files": files}
    (out / "manifest.json").write_text(json.dumps(meta, indent=1) + "\n")
    return files


def main() -> None:
    """Command line: build from --source and write to --out."""
    ap = argparse.ArgumentParser(prog="python -m tools.norfolk", description=__doc__)
    ap.add_argument("--source", type=Path, default=ROOT / "data/sources/norfolk")
    ap.add_argument("--out", type=Path, default=ROOT / "data/norfolk")
    args = ap.parse_args()
    files = write(args.out, *build(args.source))
    print(f"wrote {len(files)} files to {args.out}")


if __name__ == "__main__":
    main()
