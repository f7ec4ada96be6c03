"""Build the Norfolk default dataset (data/norfolk) from the public source files (data/sources/norfolk).

Run from the repository root:  python -m tools.norfolk  (--source and --out choose other folders)
The shipped data/norfolk folder is exactly what this writes, so every figure in it can be traced to a source
file, a public document named in a `source` column, or an estimate labelled `estimate` in
tools/norfolk/assumptions/ and in docs/data.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from planner.demand.run import specialist_shares
from tools.norfolk.assumptions import BASE_YEAR, LAST_YEAR
from tools.norfolk.assumptions.levers import LEVER_COLUMNS, LEVERS, MAINSTREAM_SUPPORT, MAINSTREAM_SUPPORT_COLUMNS
from tools.norfolk.budget import build_deficit_contributions, build_published_forecasts, build_transport_costs
from tools.norfolk.cohort import (
    SPECIALIST_TYPES,
    broad_plans,
    build_base,
    build_demand,
    classification_tables,
    stay_rates,
)
from tools.norfolk.common import ROOT
from tools.norfolk.geography import build_geography
from tools.norfolk.money import build_capital_budget, build_income, build_parameters, build_unit_costs
from tools.norfolk.needs import need_groups_table, split_base
from tools.norfolk.options import build_options
from tools.norfolk.projects import build_commitments
from tools.norfolk.reconciliation import build_reconciliation
from tools.norfolk.settings import build_settings, rebalance_srb
from tools.norfolk.spending import base_year_spending, build_spending_lines, held_out_check, placed_spending
from tools.norfolk.suitability import build_placement_shares, build_suitability, check_designations

GEO_FILES = ["districts.geojson", "zones_msoa.geojson", "zones_lsoa.geojson"]


def build(src: Path) -> tuple[list[gpd.GeoDataFrame], dict[str, pd.DataFrame]]:
    """Every table of the dataset: the three boundary layers (GEO_FILES order) and the CSV tables by file name."""
    geo = build_geography(src)
    phases, ptypes = classification_tables(stay_rates(src))
    need_groups = need_groups_table()
    plans, futures = build_demand(src, need_groups, phases)
    base_broad, published = build_base(src, broad_plans(plans))
    settings = build_settings(src, geo[1], base_broad)
    base = split_base(rebalance_srb(base_broad, settings), plans, src, BASE_YEAR)
    commitments = build_commitments(src)
    options, option_sizes = build_options(src, settings, commitments)
    check_designations(settings, commitments, options)
    unit_costs, income = build_unit_costs(), build_income()
    placed = set(phases.loc[phases.placed_by_model, "phase"])
    spend25, inc25 = base_year_spending(income)
    lines = build_spending_lines(settings, base, placed, unit_costs, spend25)
    tables = {
        "need_groups.csv": need_groups,
        "phases.csv": phases,
        "placement_types.csv": ptypes,
        "plans.csv": plans,
        "futures.csv": futures,
        "specialist_shares.csv": specialist_shares(src, base, ptypes, BASE_YEAR, LAST_YEAR),
        "base_placements.csv": base,
        "settings.csv": settings,
        "commitments.csv": commitments,
        "options.csv": options,
        "option_sizes.csv": option_sizes,
        "suitability.csv": build_suitability(),
        "placement_shares.csv": build_placement_shares(base, placed),
        "unit_costs.csv": unit_costs,
        "income.csv": income,
        "deficit_contributions.csv": build_deficit_contributions(),
        "spending_lines.csv": lines,
        "published_forecasts.csv": build_published_forecasts(),
        "transport_costs.csv": build_transport_costs(),
        "capital_budget.csv": build_capital_budget(),
        "parameters.csv": _parameters(settings, base, placed, unit_costs, spend25, inc25),
        "reconciliation.csv": build_reconciliation(published, spend25, inc25),
        "levers.csv": pd.DataFrame(LEVERS, columns=LEVER_COLUMNS),
        "mainstream_support.csv": pd.DataFrame(MAINSTREAM_SUPPORT, columns=MAINSTREAM_SUPPORT_COLUMNS),
    }
    return list(geo), tables


def _parameters(
    settings: pd.DataFrame, base: pd.DataFrame, placed: set[str], unit_costs: pd.DataFrame, spend25: float, inc25: float
) -> pd.DataFrame:
    """parameters.csv, with the fallback rate for plans the model does not place calibrated as the base-year
    reconciliation computes spending without spending_lines.csv (every setting's place funding counted)."""
    modelled = base.placement_type.isin(SPECIALIST_TYPES) & base.phase.isin(placed)
    every = sum(placed_spending(settings, unit_costs, la_only=False).values())
    rate = (spend25 - every) / base.loc[~modelled, "pupils"].sum()
    return build_parameters(rate, spend25, inc25, base.loc[modelled, "pupils"].sum())


def report(src: Path, tables: dict[str, pd.DataFrame]) -> dict[str, float]:
    """The held-out check (calibrated to 2023/24, projected to 2024/25), for docs/data.md."""
    income = tables["income.csv"]
    inc25 = float(income[income.year == BASE_YEAR]["amount"].sum())
    return held_out_check(src, tables["settings.csv"], tables["unit_costs.csv"], tables["spending_lines.csv"], inc25)


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
    geo, tables = build(args.source)
    files = write(args.out, geo, tables)
    print(f"wrote {len(files)} files to {args.out}")
    check = report(args.source, tables)
    print(
        "held-out check: 2023/24 spending {spending_2024:,.0f} projected to 2024/25 {predicted_2025:,.0f} against "
        "{calibrated_2025:,.0f} ({error:+,.0f}, {error_pct:+.1f}%)".format(**check)
    )


if __name__ == "__main__":
    main()
