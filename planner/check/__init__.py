"""Independent re-check of a solved run folder against its data, in plain pandas and numpy.

`check_run(run_dir)` reads the run folder's tables and manifest (planner.runfolder), the data folder the
manifest names (planner.data) and the scenario the manifest records, read again here (check/scenario.py), and
recomputes what the plan must satisfy:

0. data        the data folder is the one the run used (same hash and zone level)
1. demand      every cohort (zone, need group, phase) is placed in full every year, base year included; a need
               group's county demand is shared between zones by zone_need_weights.csv where it has rows, else by
               children aged 0-15
2. capacity    pupils never exceed places, nor after the base year the occupancy margin (margin x places + the
               base-year pupils still there above margin x existing and committed places); places are existing +
               commitments (a phased school's later phases included) + built projects, in whole numbers; projects
               keep to their sizes, opening years and one project per site
3. suitability placements (not legacy) are in settings designated for the need, allowed by suitability.csv and
               serving the phase, within reach for state settings (minutes where the phase and the council's
               journeys give them, else road km); no setting type takes more than its placement share of a cohort's
               new entrants; every journey is recomputed (journeys.csv, else the zone and setting points)
4. continuity  pupils already placed stay (x[t] >= r x[t-1]); legacy pupils leave at exactly the stay rate
5. capital     capital spent within the cumulative budget (every source together); each project's spend follows
               the lead-time rule and adds up to its capital cost
6. budget      every income line (dsg lines grown after the last published year) and spending line of budget.csv
               recomputed: place funding of the places the council pays for, top-ups and fees, the spending lines
               the model does not place (check/spending.py); balance, DfE contributions, cumulative deficit,
               shortfall (none when planning for sufficiency only), the manifest's shortfall and transport
7. tables      kpis.csv, settings_by_year.csv pupils and sufficiency.csv agree with placements.csv and budget.csv

It never imports the model, the inputs layer, the solver or the scenario's application: a bug there cannot hide
here. The tolerances are in check/result.py. `python -m planner.check RUN_FOLDER` runs it from the command line.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

from planner.check.context import RunUnderCheck, require_manifest
from planner.check.levers import check_levers
from planner.check.money import check_budget, check_capital
from planner.check.pupils import check_capacity, check_continuity, check_demand, check_suitability
from planner.check.result import CheckReport, CheckResult
from planner.check.tables import check_data, check_tables
from planner.data import DataWarning, PlanningData, load_data
from planner.runfolder import load_run

CHECK_FUNCTIONS: dict[str, Callable[[RunUnderCheck], CheckResult]] = {
    "data": check_data,
    "demand": check_demand,
    "capacity": check_capacity,
    "suitability": check_suitability,
    "continuity": check_continuity,
    "capital": check_capital,
    "budget": check_budget,
    "levers": check_levers,
    "tables": check_tables,
}
CHECKS = tuple(CHECK_FUNCTIONS)

__all__ = ["CHECKS", "CheckReport", "CheckResult", "RunUnderCheck", "check_run", "require_manifest"]


def check_run(run_dir: Path | str, data: PlanningData | None = None) -> CheckReport:
    """Re-check a run folder against its data and scenario. data: the loaded data folder (default: the folder and
    zone level the manifest names). Raises RunFolderError for a folder that cannot be read, DataError for data
    that cannot be loaded; a table that cannot be checked fails its check."""
    run = load_run(run_dir)
    require_manifest(run.folder, run.manifest)
    if data is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            data = load_data(run.manifest["data"]["folder"], zones=run.manifest["data"]["zones"])
    under = RunUnderCheck(run, data)
    results = []
    for name, fn in CHECK_FUNCTIONS.items():
        try:
            results.append(fn(under))
        except Exception as exc:  # noqa: BLE001 - a table that cannot be checked is a failed check
            r = CheckResult(name, "could not be run", "-")
            r.fail(f"{type(exc).__name__}: {exc}")
            results.append(r)
    return CheckReport(run_dir=Path(run_dir), summary=under.summary(), results=results)
