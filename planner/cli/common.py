"""Arguments and steps the command lines share: data, target year, solver options, and writing a run folder."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from planner.config import Scenario, ScenarioError, ScenarioWarning, load_scenario
from planner.data import ZONE_LEVELS, DataWarning, PlanningData, default_data_folder, load_data
from planner.data.errors import DataError
from planner.data.read import read_table
from planner.data.schema import PARAMETERS
from planner.highs import INTERFACES, SolverError, SolverOptions
from planner.plan import PlanOutcome
from planner.progress import announce
from planner.runfolder import RunFolderError, RunWriter, run_manifest


def shipped_target_year() -> str:
    """The shipped data's target year, for --help (or a note that it could not be read)."""
    try:
        params = read_table(default_data_folder(), PARAMETERS).set_index("name")["value"]
        return f"{int(params['target_year'])} for the shipped Norfolk data"
    except (DataError, KeyError, ValueError):
        return "see parameters.csv"


def add_data_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, default=None, help="data folder (default: the shipped Norfolk data)")
    p.add_argument("--zones", choices=ZONE_LEVELS, default="msoa", help="home zones: msoa (default), lsoa, district")


def add_year_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="target year: in-year balance from this year (2029 = 2028/29); default: the scenario's target_year, "
        f"else target_year in the data's parameters.csv ({shipped_target_year()})",
    )


def gap_fraction(text: str) -> float:
    """A relative gap: a fraction in (0, 0.1]."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number; write 0.005 for 0.5%") from None
    if not 0 < x <= 0.1:
        raise argparse.ArgumentTypeError(f"{text} is not a fraction in (0, 0.1]; write 0.005 for 0.5%")
    return x


def _positive(kind: type, what: str) -> Callable[[str], float | int]:
    def parse(text: str) -> float | int:
        try:
            x = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not {what}") from None
        if not x > 0:
            raise argparse.ArgumentTypeError(f"{text} is not {what} of more than 0")
        return x

    return parse


positive_seconds = _positive(float, "a number of seconds")
positive_int = _positive(int, "a whole number")

# seconds a solve may take unless --time-limit says otherwise: a default run always ends (the MSOA plan is not
# proven within its gap in ten minutes on two cores; docs/performance.md); "none" lifts it
DEFAULT_TIME_LIMIT = 600.0


def time_limit(text: str) -> float | None:
    """--time-limit: seconds of more than 0, or "none" for no limit."""
    return None if text.strip().lower() == "none" else positive_seconds(text)


def add_solver_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--time-limit",
        type=time_limit,
        default=DEFAULT_TIME_LIMIT,
        help=f"seconds per solve, or none (default {DEFAULT_TIME_LIMIT:g}: the best plan found by then, with its "
        "proven gap; exit 1 unless --accept-gap)",
    )
    p.add_argument(
        "--gap", type=gap_fraction, default=1e-4, help="relative gap to prove on the plan's cost (default 1e-4)"
    )
    p.add_argument(
        "--shortfall-gap",
        type=gap_fraction,
        default=5e-3,
        help="relative gap to prove on the smallest shortfall, when the budget cannot balance (default 5e-3: whole "
        "places add about 0.1%% to the least shortfall of fractional ones)",
    )
    p.add_argument("--threads", type=positive_int, default=None, help="solver threads (default: HiGHS decides)")
    p.add_argument("--accept-gap", action="store_true", help="exit 0 even if the time limit left a larger gap")
    p.add_argument("--interface", choices=INTERFACES, default="matrix", help="Pyomo-HiGHS hand-off (default matrix)")
    p.add_argument("--quiet", action="store_true", help="hide the HiGHS log")


def solver_options(args: argparse.Namespace) -> SolverOptions:
    return SolverOptions(
        time_limit=args.time_limit,
        mip_gap=args.gap,
        shortfall_gap=args.shortfall_gap,
        threads=args.threads,
        interface=args.interface,
        log=not args.quiet,
    )


@contextmanager
def printed_warnings() -> Iterator[None]:
    """Warnings of the data and scenario read in the block, printed as 'warning: ...' lines when it ends."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        warnings.simplefilter("always", ScenarioWarning)
        yield
    for w in caught:
        if issubclass(w.category, DataWarning | ScenarioWarning):
            print(f"warning: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def refused(exc: BaseException) -> int | None:
    """The exit status of a run stopped before its folder was written: 2 bad data, scenario or folder (the message
    printed), 3 no plan (why, printed); None for anything else (to be raised)."""
    if isinstance(exc, DataError | ScenarioError | RunFolderError):
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if isinstance(exc, SolverError):
        print(f"no plan: {exc}", file=sys.stderr)
        return 3
    return None


def data_folder(args: argparse.Namespace) -> Path:
    return args.data or default_data_folder()


def add_folder_arguments(p: argparse.ArgumentParser, default: str) -> None:
    """--scenario, --out and --force of a command that writes one folder of its own."""
    p.add_argument("--scenario", default="baseline", help="scenario TOML file or shipped scenario name")
    p.add_argument("--out", type=Path, default=None, help=f"folder (default {default})")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")


def scenario_and_data(args: argparse.Namespace) -> tuple[Scenario, Path, PlanningData]:
    """The scenario of --scenario and the data of --data at --zones, their warnings printed; raises ScenarioError
    or DataError."""
    folder = data_folder(args)
    with printed_warnings():
        scenario = load_scenario(args.scenario)
        announce(f"loading {folder} (zones: {args.zones})")
        data = load_data(folder, zones=args.zones)
    return scenario, folder, data


def write_run(
    writer: RunWriter,
    outcome: PlanOutcome,
    data: PlanningData,
    options: SolverOptions,
    *,
    command: str,
    started: float,
    report: bool,
    progress: Callable[[str], None] = announce,
) -> Path:
    """Write the run folder (tables, the GeoPackage, plan map, manifest, and the report unless report=False) and put
    it in place; nothing is left behind if anything fails."""
    from planner.report.gis import write_geopackage
    from planner.report.plan_map import plan_map
    from planner.report.run_report import write_run_report

    try:
        writer.tables(outcome.tables)
        geo = data.geography
        inp = outcome.inputs
        write_geopackage(geo, outcome.tables, [inp.base_year, *inp.years], writer.path("plan.gpkg"))
        plan_map(geo, outcome.tables, writer.path("plan.png"), title_year=inp.target_year)
        writer.json("manifest.json", run_manifest(outcome, data, options, command, time.perf_counter() - started))
        if report:
            progress("writing the report, interactive map and workbook")
            write_run_report(geo, writer.tmp, folder_name=writer.out.name)  # reads the folder's tables only
        return writer.commit()
    except BaseException:
        writer.abandon()
        raise
