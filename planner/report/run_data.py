"""A run folder's tidy tables, read back for reports, maps and comparisons (never the model).

Also the small summaries every report shares: project map references, zone measures, pupils by setting and
need group, and number formats.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pyproj import Transformer

if TYPE_CHECKING:
    from planner.data.load import PlanningData

TABLES = ("projects", "project_years", "placements", "settings_by_year", "sufficiency", "budget", "kpis")
STATE_TYPES = ("special", "srb", "ap")
ZONE_LEVEL_NAMES = {"msoa": "MSOA", "lsoa": "LSOA", "district": "district"}
PROJECT_TYPE_LABELS = {
    "new_school": "New special school",
    "expansion": "Special school expansion",
    "srb": "Resource base (SRB)",
    "ap": "Alternative provision (AP)",
}


class ReportError(ValueError):
    """A run folder that cannot be read or reported on; the message says what is missing and the fix."""


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
    def years(self) -> list[int]:
        if self.manifest.get("years"):
            return [int(y) for y in self.manifest["years"]]
        return sorted(int(y) for y in self.tables["kpis"]["year"].unique())

    @property
    def base_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]

    @property
    def target_year(self) -> int:
        return int(self.manifest.get("target_year") or self.years[min(4, len(self.years) - 1)])

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
    def label(self) -> str:
        """How the run is named in reports: its scenario and folder."""
        name = self.scenario_name
        return name if name == self.folder.name else f"{name} ({self.folder.name})"


def _read_csv(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, keep_default_na=True)
    for col in ("urn", "start_year", "year_of_balance"):
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    if "out_of_county" in df.columns:
        df["out_of_county"] = df["out_of_county"].astype(str).str.lower().isin({"true", "1"})
    if "legacy" in df.columns:
        df["legacy"] = df["legacy"].astype(str).str.lower().isin({"true", "1"})
    for col in ("needs", "name", "setting_name", "site_id", "project_id", "setting_id", "zone_id", "district_id"):
        if col in df.columns:
            df[col] = df[col].astype("string").fillna("").astype(str)
    return df


def empty_projects() -> pd.DataFrame:
    cols = [
        "project_id",
        "site_id",
        "name",
        "urn",
        "kind",
        "project_type",
        "setting_type",
        "setting_id",
        "district_id",
        "lon",
        "lat",
        "needs",
        "min_age",
        "max_age",
        "places",
        "places_at_opening",
        "start_year",
        "opening_year",
        "capital_cost",
        "setting_name",
    ]
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("lon", "lat") else object) for c in cols})


def load_run(folder: str | Path, manifest: dict[str, Any] | None = None) -> RunTables:
    """Read a run folder's tables and manifest.json. Raises ReportError naming a missing file."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(f"{folder}: no such run folder. Fix: give the folder written by python -m planner.solve")
    if manifest is None:
        mpath = folder / "manifest.json"
        if not mpath.exists():
            raise ReportError(f"{folder}: manifest.json is missing. Fix: give a complete run folder")
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    tables: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        path = folder / f"{name}.csv"
        if not path.exists():
            raise ReportError(f"{folder}: {name}.csv is missing. Fix: give a complete run folder")
        try:
            tables[name] = _read_csv(path)
        except pd.errors.EmptyDataError:
            tables[name] = empty_projects() if name == "projects" else pd.DataFrame()
    if tables["projects"].empty:
        tables["projects"] = empty_projects()
    return RunTables(folder=folder, manifest=manifest, tables=tables)


def run_from_tables(folder: Path, tables: dict[str, pd.DataFrame], manifest: dict[str, Any]) -> RunTables:
    """A RunTables from tables in memory (as written to a run folder)."""
    t = dict(tables)
    if t["projects"].empty:
        t["projects"] = empty_projects()
    return RunTables(folder=Path(folder), manifest=manifest, tables=t)


# ---------------------------------------------------------------------------------------------------------
# geography
_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
_TO_WEB = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def with_xy(df: pd.DataFrame, crs: str = "EPSG:27700") -> pd.DataFrame:
    """`df` with x/y columns (BNG metres, or web Mercator for crs='EPSG:3857') from lon/lat; NaN if unknown."""
    t = _TO_BNG if crs == "EPSG:27700" else _TO_WEB
    lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(dtype=float)
    has = ~(np.isnan(lon) | np.isnan(lat))
    x, y = np.full(len(df), np.nan), np.full(len(df), np.nan)
    if has.any():
        x[has], y[has] = t.transform(lon[has], lat[has])
    return df.assign(x=x, y=y)


def district_names(data: PlanningData) -> dict[str, str]:
    return dict(zip(data.districts["district_id"], data.districts["district_name"], strict=True))


def need_group_names(data: PlanningData | None) -> dict[str, str]:
    if data is None or data.need_groups is None or data.need_groups.empty:
        return {}
    return dict(zip(data.need_groups["need_group"], data.need_groups["name"], strict=True))


# ---------------------------------------------------------------------------------------------------------
# summaries
def project_refs(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects in map order (opening year, then commitments before options, then name) with a `ref` column:
    the number that labels each project on the plan maps and in the projects tables."""
    if projects.empty:
        return projects.assign(ref=pd.Series(dtype=int))
    order = projects.assign(_k=(projects["kind"] != "commitment").astype(int)).sort_values(
        ["opening_year", "_k", "district_id", "name"], kind="stable"
    )
    return order.drop(columns="_k").assign(ref=np.arange(1, len(order) + 1)).reset_index(drop=True)


def zone_measures(placements: pd.DataFrame, year: int, zone_ids: pd.Series | list[str]) -> pd.DataFrame:
    """By home zone in `year`: specialist pupils, pupils in independent or out-of-county settings, and their
    mean journey (road km, pupil-weighted; out-of-county journeys as recorded)."""
    p = placements[placements["year"] == year]
    state_local = p["setting_type"].isin(STATE_TYPES) & ~p["out_of_county"].astype(bool)
    km = pd.to_numeric(p["journey_km"], errors="coerce")
    g = pd.DataFrame(
        {
            "zone_id": p["zone_id"],
            "pupils": p["pupils"],
            "independent_or_ooc": np.where(state_local, 0.0, p["pupils"]),
            "out_of_county": np.where(p["out_of_county"].astype(bool), p["pupils"], 0.0),
            "independent": np.where(p["setting_type"] == "independent", p["pupils"], 0.0),
            "pupil_km": (p["pupils"] * km).fillna(0.0),
            "known": np.where(km.notna(), p["pupils"], 0.0),
        }
    )
    agg = g.groupby("zone_id").sum(numeric_only=True).reindex(pd.Index(list(zone_ids), name="zone_id")).fillna(0.0)
    agg["mean_journey_km"] = np.where(agg["known"] > 0, agg["pupil_km"] / agg["known"].where(agg["known"] > 0), np.nan)
    agg["share_independent_or_ooc"] = np.where(
        agg["pupils"] > 0, agg["independent_or_ooc"] / agg["pupils"].where(agg["pupils"] > 0), np.nan
    )
    return agg.drop(columns=["pupil_km", "known"])


def pupils_by_need(placements: pd.DataFrame, year: int) -> pd.DataFrame:
    """Pupils of every setting in `year` by need group (settings x need groups)."""
    p = placements[placements["year"] == year]
    return p.pivot_table(index="setting_id", columns="need_group", values="pupils", aggfunc="sum", fill_value=0.0)


def settings_in_year(sby: pd.DataFrame, year: int) -> pd.DataFrame:
    """Settings with a place or pupil in `year`, with x/y (BNG); out-of-county ones have no location."""
    s = sby[sby["year"] == year].copy()
    return with_xy(s) if len(s) else s.assign(x=pd.Series(dtype=float), y=pd.Series(dtype=float))


def existing_settings(sby: pd.DataFrame, year: int) -> pd.DataFrame:
    """Settings that existed before the plan (origin 'existing'), their places in `year`, with x/y."""
    s = settings_in_year(sby, year)
    return s[s["origin"] == "existing"] if "origin" in s.columns else s


# ---------------------------------------------------------------------------------------------------------
# number formats
def fmt_gbp(x: float | None, digits: int = 1) -> str:
    """GBP in millions: 12345678 -> '£12.3m' (negative: '-£12.3m')."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    sign = "-" if x < 0 else ""
    v = abs(float(x))
    if v >= 1e6 or v == 0:
        return f"{sign}£{v / 1e6:,.{digits}f}m"
    return f"{sign}£{v / 1e3:,.0f}k"


def fmt_num(x: float | None, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return "–"
    return f"{float(x):,.{digits}f}"


def fmt_pct(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{100 * float(x):.{digits}f}%"


def data_folder_of(run: RunTables, override: str | Path | None = None) -> Path:
    """The data folder a run was made from (manifest data.folder), or `override`, or the shipped data."""
    if override is not None:
        return Path(override)
    folder = Path(str((run.manifest.get("data") or {}).get("folder", "")))
    if str(folder) not in ("", ".") and folder.is_dir():
        return folder
    shipped = Path(__file__).resolve().parents[2] / "data" / "norfolk"
    return shipped if shipped.is_dir() else Path("data/norfolk")


def load_geography(run: RunTables, override: str | Path | None = None) -> PlanningData:
    """The data folder of a run at the run's zone level (for its geography and names), without re-validating."""
    from planner.data import load_data

    return load_data(data_folder_of(run, override), zones=run.zone_level, validate=False)
