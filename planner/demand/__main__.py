"""Fit the demand model to the SEN2 cohort tables and write the projection.

    python -m planner.demand [--data-sources data/sources/norfolk] [--data data/norfolk] [--futures N] [--draws M]
                             [--seed S] [--horizon 2032] [--out FOLDER] [--backtest]

Prints the fitted rates and their variation and the projected totals, and writes plans.csv (low, central, high:
quantiles over M drawn futures), futures.csv (the first N of them: future-001 ...) and specialist_shares.csv into
--out (default: the --data folder, whose need groups, phases and base placements are used). With the defaults the
three files are exactly those the data build writes.
--backtest also fits on the Januaries up to 2022, projects 2023-2025 and prints the error by age band.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.data import schema
from planner.data.errors import Findings
from planner.data.load import default_data_folder
from planner.data.read import read_table
from planner.demand.backtest import backtest
from planner.demand.backtest import describe as describe_backtest
from planner.demand.fit import describe
from planner.demand.run import DRAWS, FUTURES, HORIZON, SEED, project_demand, specialist_shares, totals
from planner.demand.shares import school_series, share_trend
from planner.demand.sources import read_sources

ROOT = Path(__file__).resolve().parents[2]


def _args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m planner.demand", description=__doc__.split("\n")[0])
    ap.add_argument("--data-sources", type=Path, default=ROOT / "data" / "sources" / "norfolk")
    ap.add_argument("--data", type=Path, default=default_data_folder(), help="need groups, phases, base placements")
    ap.add_argument("--futures", type=int, default=FUTURES, help=f"futures written (default {FUTURES})")
    ap.add_argument("--draws", type=int, default=DRAWS, help=f"futures drawn for the quantiles (default {DRAWS})")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--horizon", type=int, default=HORIZON, help="last January projected")
    ap.add_argument("--out", type=Path, default=None, help="folder to write into (default: --data)")
    ap.add_argument("--backtest", action="store_true", help="fit to 2022, project 2023-2025, compare")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Command line: fit, print, write; optionally back-test."""
    a = _args(argv)
    if a.futures < 1 or a.draws < 10:
        print("--futures must be at least 1 and --draws at least 10 (quantiles are over the draws)", file=sys.stderr)
        return 2
    findings = Findings()
    names = ("need_groups", "phases", "placement_types", "base_placements")
    tables = {k: read_table(a.data, getattr(schema, k.upper()), findings) for k in names}
    if findings.has_problems():
        print(f"{a.data}: {findings.problems[0]}", file=sys.stderr)
        return 2
    p = project_demand(a.data_sources, tables["need_groups"], tables["phases"], a.futures, a.seed, a.horizon, a.draws)
    print(describe(p.fit, read_sources(a.data_sources)))
    print("\nPlans by January (all need groups and phases)")
    print(totals(p).round(0).to_string())
    base_year = int(p.plans["year"].min())
    shares = specialist_shares(a.data_sources, tables["base_placements"], tables["placement_types"], base_year,
                               a.horizon)  # fmt: skip
    slope, se = share_trend(school_series(a.data_sources))
    print(f"\nSpecialist share: logit trend {slope:+.4f} a year (se {se:.4f}), January 2019-2025")
    out = a.out or a.data
    out.mkdir(parents=True, exist_ok=True)
    for name, df in (("plans.csv", p.plans), ("futures.csv", p.futures_table), ("specialist_shares.csv", shares)):
        df.to_csv(out / name, index=False, lineterminator="\n")
    print(f"wrote plans.csv, futures.csv and specialist_shares.csv to {out}")
    if a.backtest:
        bt_fit, table = backtest(read_sources(a.data_sources), a.draws, a.seed)
        print("\n" + describe(bt_fit) + "\n\n" + describe_backtest(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
