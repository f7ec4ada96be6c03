"""A run folder under check: its tables and manifest, the data it names, the check's own reading of the scenario
it records, and the data-side quantities several checks use (settings, demand, places, journeys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError
from pyproj import Transformer

from planner.check.scenario import ScenarioReading, read_scenario
from planner.config import Scenario
from planner.data import PlanningData
from planner.runfolder import RunFolderError, RunTables

SETTING_COLUMNS = ["setting_type", "designation", "needs", "min_age", "max_age", "lon", "lat"]


class RunUnderCheck:
    """What the checks compare: the run's tables and the data with the scenario, as the check reads them."""

    def __init__(self, run: RunTables, data: PlanningData) -> None:
        self.folder = run.folder
        self.manifest = run.manifest
        self.tables = run.tables
        self.data = data
        self.scenario = manifest_scenario(run)
        self.reading: ScenarioReading = read_scenario(data, self.scenario)
        self.years = run.years  # the base year, then the planning years
        self.base = run.base_year
        self.plan_years = self.years[1:]
        self.horizon = run.last_year
        self.target_year = run.target_year
        self.target_years = run.target_years  # the manifest's (old folders: the years from the target year on)

        ph = data.phases.set_index("phase")
        self.placed = data.placed_phases
        self.stay = ph["stay_rate"].astype(float)
        self.phase_min = ph["min_age"].astype(float)
        self.phase_max = ph["max_age"].astype(float)
        plans = self.reading.plans
        self.plans = plans[plans["year"].isin(self.years)].reset_index(drop=True)  # the run's years only

        self.settings = setting_table(data, self.reading.commitments)
        self.specialist_share = specialist_share(data)
        self.county_demand, self.demand = self._demand()
        self.places = self._expected_places()

    def _demand(self) -> tuple[pd.Series, pd.DataFrame]:
        """Specialist demand by year in the county, and by year, zone, need group and phase: the plans of each
        placed cohort times its specialist share that year, shared between zones by zone_weights."""
        county = self.plans[self.plans["phase"].isin(self.placed)].copy()
        keys = zip(county["year"], county["need_group"], county["phase"], strict=True)
        county["demand"] = county["plans"] * [self.specialist_share.get(k, 0.0) for k in keys]
        out = county[["year", "need_group", "phase", "demand"]].merge(zone_weights(self.data), on="need_group")
        out["demand"] = out["demand"] * out["weight"]
        return county.groupby("year")["demand"].sum(), out[["year", "zone_id", "need_group", "phase", "demand"]]

    def option_setting(self, option_id: str) -> str:
        """The setting an option adds places to: the existing setting (expansion) or its own new setting."""
        opts = self.data.options.set_index("option_id")
        if option_id not in opts.index:
            return f"(unknown option {option_id})"
        o = opts.loc[option_id]
        return str(o["setting_id"]) if o["option_type"] == "expansion" else option_id

    def _expected_places(self) -> pd.DataFrame:
        """Places by setting and year: settings.csv in the base year; then + commitments (fixed, the places the plan
        does not change) + built projects (places)."""
        s = self.settings
        base = s["places"].where(s["origin"] == "existing", 0.0).to_numpy(dtype=float)  # NaN: unlimited
        rows = [pd.DataFrame({"setting_id": s.index, "year": self.base, "places": base, "fixed": base})]
        com = self.reading.commitments
        py = self.tables["project_years"]
        py_set = py.assign(setting=[self.option_setting(o) for o in py["project_id"]])
        added = py_set.groupby(["setting", "year"])["places"].sum()
        for t in self.plan_years:
            open_c = com[com["opening_year"] <= t].groupby("setting_id")["places"].sum()
            c_add = open_c.reindex(s.index).fillna(0.0).to_numpy(dtype=float)
            p_add = np.array([added.get((sid, t), 0.0) for sid in s.index])
            # unlimited places stay unlimited; projects add to nothing there (none exist)
            fixed = base + c_add
            rows.append(pd.DataFrame({"setting_id": s.index, "year": t, "places": fixed + p_add, "fixed": fixed}))
        return pd.concat(rows, ignore_index=True)

    def growth(self, t: int, rate_name: str) -> float:
        """The factor a cost of the base year grows by to year t at the parameter rate_name."""
        return (1.0 + float(self.reading.parameters[rate_name])) ** (t - self.base)

    def growth_by_year(self, rate_name: str) -> pd.Series:
        return pd.Series({t: self.growth(t, rate_name) for t in self.years})

    def cost_growth(self) -> pd.DataFrame:
        """Setting type x year: the factor place funding and top-ups grow by from the base year (the type's growth
        in unit_costs.csv, else unit_cost_growth)."""
        uc = self.reading.unit_costs
        rate = uc["growth"].fillna(float(self.reading.parameters["unit_cost_growth"]))
        steps = np.array(self.years, dtype=float) - self.base
        factor = np.power(1.0 + rate.to_numpy()[:, None], steps[None, :])
        return pd.DataFrame(factor, index=uc.index, columns=self.years)

    def place_funding_growth(self) -> pd.Series:
        """Year: the factor place funding grows by from the base year (place_funding_growth in parameters.csv, else
        unit_cost_growth): the DfE's place rates are not the top-ups and may stand still in cash."""
        params = self.reading.parameters
        return self.growth_by_year("place_funding_growth" if "place_funding_growth" in params else "unit_cost_growth")

    def journeys(self, zone_ids: pd.Series, setting_ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Road km and minutes of each (zone, setting) pair: the council's journeys.csv where it has the pair (km
        where it gives them, and minutes); elsewhere the straight line (British National Grid) from the zone point
        to the setting x road_circuity (settings without a location: their journey_km) and no minutes (NaN)."""
        z = self.data.zones.set_index("zone_id")
        zx = zone_ids.map(z["x"]).to_numpy(dtype=float)
        zy = zone_ids.map(z["y"]).to_numpy(dtype=float)
        sx = setting_ids.map(self.settings["x"]).to_numpy(dtype=float)
        sy = setting_ids.map(self.settings["y"]).to_numpy(dtype=float)
        km = np.hypot(zx - sx, zy - sy) / 1000.0 * float(self.reading.parameters["road_circuity"])
        fixed = setting_ids.map(self.settings["journey_km"]).to_numpy(dtype=float)
        km = np.where(np.isnan(sx), fixed, km)
        minutes = np.full(len(km), np.nan)
        j = self.data.journeys
        if len(j):
            given = j.set_index(["zone_id", "setting_id"])[["road_km", "minutes"]].astype(float)
            pairs = pd.MultiIndex.from_arrays([np.asarray(zone_ids), np.asarray(setting_ids)])
            row = given.reindex(pairs)
            road = row["road_km"].to_numpy()
            km = np.where(np.isnan(road), km, road)
            minutes = row["minutes"].to_numpy()
        return km, minutes

    def staying_base_pupils(self) -> pd.DataFrame:
        """Setting x year: the base year's pupils (every base-year row of placements, legacy included) still there
        in each year, sum over phases of pupils x stay_rate^(t - base year)."""
        pl = self.tables["placements"]
        base = pl[pl["year"] == self.base].groupby(["setting_id", "phase"])["pupils"].sum().reset_index()
        r = base["phase"].map(self.stay).fillna(0.0).to_numpy(dtype=float)
        steps = np.array(self.years, dtype=float) - self.base
        left = base["pupils"].to_numpy(dtype=float)[:, None] * np.power(r[:, None], steps[None, :])
        return pd.DataFrame(left, columns=self.years).groupby(base["setting_id"].to_numpy()).sum()

    def summary(self) -> str:
        return (
            f"data {self.data.folder} ({self.manifest['data']['zones']} zones), scenario '{self.scenario.name}', "
            f"years {self.base}-{self.horizon}, target {self.target_year}"
        )


def require_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Raise RunFolderError when the manifest lacks what the check reads: the data, the years and the scenario."""
    data = manifest.get("data")
    missing = [k for k in ("years", "target_year", "scenario") if k not in manifest]
    missing += [f"data.{k}" for k in ("folder", "hash", "zones") if not isinstance(data, dict) or k not in data]
    if missing:
        raise RunFolderError(
            f"{folder}: manifest.json has no {', '.join(missing)}. Fix: give a run folder written by "
            "python -m planner.solve"
        )


def manifest_scenario(run: RunTables) -> Scenario:
    """The scenario the manifest records (the resolved one, not re-read from its file)."""
    try:
        return Scenario.model_validate({k: v for k, v in run.scenario.items() if k != "file"})
    except ValidationError as exc:
        raise RunFolderError(
            f"{run.folder}: manifest.json's scenario cannot be read ({exc.errors()[0]['msg']}). "
            "Fix: give a run folder written by this version of planner"
        ) from None


def setting_table(data: PlanningData, commitments: pd.DataFrame) -> pd.DataFrame:
    """Every setting a pupil may be in (existing, committed new settings, new settings of options), by setting id,
    with British National Grid x and y from the location."""
    cols = [*SETTING_COLUMNS, "out_of_county", "journey_km", "places", "place_funding_by_la"]
    existing = data.settings.set_index("setting_id")[cols].assign(origin="existing")
    new = {"out_of_county": False, "journey_km": np.nan, "places": 0.0, "place_funding_by_la": True}
    com = commitments[commitments["project_type"] != "expansion"].set_index("setting_id")
    opt = data.options[data.options["option_type"] != "expansion"].set_index("option_id")
    out = pd.concat(
        [
            existing,
            com[SETTING_COLUMNS].assign(**new, origin="commitment"),
            opt[SETTING_COLUMNS].assign(**new, origin="option"),
        ]
    )
    out.index.name = "setting_id"
    out = out[~out.index.duplicated(keep="first")].copy()
    for col in ("min_age", "max_age", "lon", "lat", "journey_km", "places"):
        out[col] = out[col].astype(float)
    out["out_of_county"] = out["out_of_county"].astype(bool)
    out["place_funding_by_la"] = out["place_funding_by_la"].astype(bool)
    has = out["lon"].notna() & out["lat"].notna()
    tr = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    x, y = tr.transform(out["lon"].fillna(0).to_numpy(), out["lat"].fillna(0).to_numpy())
    out["x"] = np.where(has, x, np.nan)
    out["y"] = np.where(has, y, np.nan)
    return out


def specialist_share(data: PlanningData) -> pd.Series:
    """(year, need group, phase) -> the share of pupils with plans in specialist placements: the base year's share
    (base-year pupils) in every year, or specialist_shares.csv's by year where the folder has it."""
    bp = data.base_placements
    total = bp.groupby(["need_group", "phase"])["pupils"].sum()
    spec = bp[bp["placement_type"].isin(data.specialist_types)].groupby(["need_group", "phase"])["pupils"].sum()
    base = (spec.reindex(total.index).fillna(0.0) / total.where(total > 0)).fillna(0.0)
    out = pd.concat({y: base for y in range(data.base_year, data.last_year + 1)}, names=["year", "need_group", "phase"])
    given = data.specialist_shares
    if len(given):
        trend = given.set_index(["year", "need_group", "phase"])["share"].astype(float)
        out = trend.reindex(out.index).fillna(out)
    return out


def non_specialist_rescale(run_share: pd.Series, plans: pd.DataFrame, base_year: int) -> np.ndarray:
    """By row of `plans`: (1 - s_t) / (1 - s_base), how the base-year shares of the non-specialist placement types
    scale in year t when the specialist share s follows its trend."""
    keys = list(zip(plans["year"], plans["need_group"], plans["phase"], strict=True))
    s_t = np.array([run_share.get(k, 0.0) for k in keys])
    s_b = np.array([run_share.get((base_year, g, p), 0.0) for _y, g, p in keys])
    return np.divide(1 - s_t, 1 - s_b, out=np.ones(len(keys)), where=s_b < 1)


def zone_weights(data: PlanningData) -> pd.DataFrame:
    """need_group, zone_id, weight: each zone's share of a need group's county demand. A group with rows in
    zone_need_weights.csv for this run's zones is shared by those weights (normalised within the group); any other
    by the zones' children aged 0-15."""
    zones = data.zones["zone_id"]
    kids = data.zones.set_index("zone_id")["children_0_15"].astype(float)
    znw = data.zone_need_weights
    znw = znw[znw["zone_id"].isin(set(zones))] if len(znw) else znw
    frames = []
    for g in data.need_groups["need_group"]:
        rows = znw[znw["need_group"] == g] if len(znw) else znw
        w = rows.set_index("zone_id")["weight"].astype(float).reindex(zones).fillna(0.0) if len(rows) else kids
        if not w.sum() > 0:
            w = kids
        w = w.reindex(zones)
        frames.append(pd.DataFrame({"need_group": g, "zone_id": zones.to_numpy(), "weight": (w / w.sum()).to_numpy()}))
    return pd.concat(frames, ignore_index=True)
