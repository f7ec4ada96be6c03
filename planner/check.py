"""Independent re-check of a solved run folder against its data, in plain pandas and numpy.

`check_run(run_dir)` reads the run folder's CSV tables and manifest.json, the data folder the manifest names
(through the data layer) and the scenario the manifest records, and recomputes what the plan must satisfy:

0. data        the data folder is the one the run used (same hash and zone level)
1. demand      every cohort (zone, need group, phase) is placed in full every year, base year included
2. capacity    pupils never exceed places; places are existing + commitments + built projects; projects keep
               to their sizes, opening years and one project per site
3. suitability placements (not legacy) are in settings designated for the need and serving the phase, within
               reach for state settings; every journey is recomputed from the zone and setting points
4. continuity  pupils already placed stay (x[t] >= r x[t-1]); legacy pupils leave at exactly the stay rate
5. capital     capital spent within the cumulative budget; each project's spend follows the lead-time rule
               and adds up to its capital cost
6. budget      every income and spending line of budget.csv recomputed; balance, deficit, shortfall, the
               manifest's shortfall and the transport line
7. tables      kpis.csv, settings_by_year.csv pupils and sufficiency.csv agree with placements.csv and budget.csv

It never imports the model, the inputs layer or the solver: a bug there cannot hide here.

Tolerances. The run tables are written with 10 significant digits, and the solver meets rows to about 1e-7,
so every equality allows for that:
- pupils and places: 1e-4 + 1e-5 x |value|; a cohort's total against its demand also allows 1e-6 per setting,
  as the placements table leaves out rows under 1e-6 pupils;
- journeys: 1e-3 km;
- capital spent by a range project in a year: the money tolerance plus its capital per place x the places
  tolerance (places are read from the table, rounded);
- money: GBP 1 + 1e-7 x the sum of the absolute terms compared (a line of GBP 100m is held to about GBP 11);
- rates and shares (transport GBP per pupil-km, KPI shares): 5e-5 relative, 1e-6 absolute;
- the manifest's shortfall: the money tolerance plus the shortfall solve's reported relative gap.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

from planner.config import Scenario
from planner.data.errors import DataError, DataWarning
from planner.data.load import PlanningData, load_data

PUPILS_ABS = 1e-4  # pupils
PUPILS_REL = 1e-5  # share of the value (solver feasibility; the tables keep 10 significant digits)
ROW_FLOOR = 1e-6  # pupils: the placements table leaves out smaller rows
KM_ABS = 1e-3  # road km
MONEY_ABS = 1.0  # GBP
MONEY_REL = 1e-7  # share of the sum of the absolute terms compared
RATE_REL = 5e-5  # relative, for ratios of two rounded numbers
SHARE_ABS = 1e-6
BALANCE_TOL = 0.5  # GBP: a balance of at least -0.5 counts as balanced (as in the KPI table)
STATE_TYPES = ("special", "srb", "ap")
MAX_KEPT = 25  # violations kept per check (all are counted)

CHECKS = ("data", "demand", "capacity", "suitability", "continuity", "capital", "budget", "tables")


# ---------------------------------------------------------------------------------------------------------
# report
@dataclass
class CheckResult:
    """One check: how many comparisons, the largest deviation (as a multiple of its tolerance), violations."""

    name: str
    title: str
    tolerance: str
    checked: int = 0
    largest: float = 0.0  # largest |deviation| / tolerance over all comparisons (> 1 is a violation)
    n_violations: int = 0
    violations: list[tuple[float, str]] = field(default_factory=list)  # (deviation / tolerance, message)

    @property
    def passed(self) -> bool:
        return self.n_violations == 0

    @property
    def worst(self) -> str | None:
        """The worst violation: what, where (year, setting or zone) and by how much."""
        return max(self.violations)[1] if self.violations else None

    def add(self, ratio: np.ndarray | Iterable[float], describe: Callable[[int], str]) -> None:
        """Record comparisons: ratio[i] = |deviation| / tolerance (> 1 fails; NaN fails); describe(i) says where."""
        r = np.nan_to_num(np.asarray(list(ratio) if not isinstance(ratio, np.ndarray) else ratio, dtype=float), nan=1e9)
        self.checked += len(r)
        if not len(r):
            return
        self.largest = max(self.largest, float(r.max()))
        bad = np.flatnonzero(r > 1.0)
        self.n_violations += len(bad)
        for i in bad[np.argsort(-r[bad], kind="stable")][:MAX_KEPT]:
            self.violations.append((float(r[i]), describe(int(i))))
        self.violations = sorted(self.violations, reverse=True)[:MAX_KEPT]

    def fail(self, message: str, score: float = 1e9) -> None:
        """Record one violation that is not a numeric comparison."""
        self.add(np.array([score]), lambda _i: message)

    def line(self) -> str:
        status = "PASS" if self.passed else "FAIL"
        head = f"{status}  {self.name:<11} {self.title}"
        if self.passed:
            return (
                f"{head}\n      {self.checked} comparisons; largest deviation {self.largest:.3g} x tolerance "
                f"({self.tolerance})"
            )
        more = f" (showing {len(self.violations)})" if self.n_violations > len(self.violations) else ""
        lines = [
            f"{head}\n      {self.n_violations} violation(s) of {self.checked} comparisons{more}; "
            f"tolerance {self.tolerance}"
        ]
        lines += [f"      - {m}" for _r, m in self.violations[:5]]
        return "\n".join(lines)


@dataclass
class CheckReport:
    """All checks of one run folder."""

    run_dir: Path
    summary: str
    results: list[CheckResult]

    @property
    def ok(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> list[str]:
        """Names of the checks that failed."""
        return [r.name for r in self.results if not r.passed]

    def __getitem__(self, name: str) -> CheckResult:
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(name)

    def __str__(self) -> str:
        verdict = "all checks pass" if self.ok else f"{len(self.failed)} check(s) fail: {', '.join(self.failed)}"
        return "\n".join([f"Check of {self.run_dir}: {self.summary}", *(r.line() for r in self.results), verdict])

    def assert_ok(self) -> None:
        """Raise AssertionError listing every violation kept, if any check failed."""
        if self.ok:
            return
        parts = []
        for r in self.results:
            if not r.passed:
                parts.append(f"{r.name}: {r.n_violations} violation(s)")
                parts += [f"  - {m}" for _s, m in r.violations]
        raise AssertionError(f"run folder {self.run_dir} fails its checks:\n" + "\n".join(parts))


# ---------------------------------------------------------------------------------------------------------
# helpers
def pupils_tol(x: np.ndarray | pd.Series | float) -> np.ndarray:
    """Tolerance for a number of pupils or places of size |x|."""
    return PUPILS_ABS + PUPILS_REL * np.abs(np.asarray(x, dtype=float))


def money_tol(scale: np.ndarray | pd.Series | float) -> np.ndarray:
    """Tolerance for money whose compared terms add up (in absolute value) to scale."""
    return MONEY_ABS + MONEY_REL * np.abs(np.asarray(scale, dtype=float))


def _ratio(value: np.ndarray, expected: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """|value - expected| / tol, with NaN == NaN (both unlimited) as 0 and NaN vs a number as a failure."""
    value, expected = np.asarray(value, dtype=float), np.asarray(expected, dtype=float)
    both = np.isnan(value) & np.isnan(expected)
    with np.errstate(invalid="ignore"):
        r = np.abs(value - expected) / tol
    r = np.where(both, 0.0, r)
    return np.nan_to_num(r, nan=1e9)


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "unlimited"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _gbp(x: float) -> str:
    return f"GBP {x:,.0f}"


def _serves(min_age: np.ndarray, max_age: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A setting serves a phase when its ages cover at least half of the phase's years."""
    overlap = np.minimum(max_age, hi) - np.maximum(min_age, lo) + 1
    return overlap >= (hi - lo + 1) / 2


def _read_csv(run_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(run_dir / f"{name}.csv", keep_default_na=True)


# ---------------------------------------------------------------------------------------------------------
# what the run and the data say, assembled once
class _Context:
    """The run folder's tables, the data and the scenario, with the data-side quantities every check uses."""

    def __init__(self, run_dir: Path, data: PlanningData, manifest: dict) -> None:
        self.run_dir = run_dir
        self.data = data
        self.manifest = manifest
        self.scenario = Scenario.model_validate({k: v for k, v in manifest["scenario"].items() if k != "file"})
        self.years: list[int] = [int(y) for y in manifest["years"]]
        self.base = self.years[0]
        self.plan_years = self.years[1:]
        self.horizon = self.years[-1]
        self.target = int(manifest["target_year"])
        self.tables = {
            name: _read_csv(run_dir, name)
            for name in ("placements", "settings_by_year", "projects", "project_years", "budget", "kpis", "sufficiency")
        }
        for name in ("placements", "settings_by_year"):
            t = self.tables[name]
            t["out_of_county"] = t["out_of_county"].astype(str).str.lower().eq("true")
        pl = self.tables["placements"]
        pl["legacy"] = pl["legacy"].astype(str).str.lower().eq("true")

        # parameters with the scenario's overrides
        params = data.parameters.astype(float).copy()
        for k, v in self.scenario.parameters.items():
            params[k] = float(v)
        self.params = params
        self.g_cost = float(params["unit_cost_growth"])
        self.g_transport = float(params["transport_cost_growth"])

        ph = data.phases.set_index("phase")
        self.placed = ph.index[ph["placed_by_model"].astype(bool)].tolist()
        self.stay = ph["stay_rate"].astype(float)
        self.reach = ph["max_journey_km"].astype(float).copy()
        for p, km in self.scenario.reach_km.items():
            self.reach[p] = float(km)
        self.phase_min = ph["min_age"].astype(float)
        self.phase_max = ph["max_age"].astype(float)

        self.commitments = self._commitments()
        self.settings = self._settings()
        self.demand = self._demand()
        self.places = self._expected_places()

    # -- data-side tables
    def _commitments(self) -> pd.DataFrame:
        com = self.data.commitments.copy()
        com = com[~com["project_id"].isin(self.scenario.cancel_commitments)].copy()
        delay = com["project_id"].map(self.scenario.commitment_delays).fillna(0).astype(int)
        com["opening_year"] = com["opening_year"].astype(int) + delay
        return com.reset_index(drop=True)

    def _settings(self) -> pd.DataFrame:
        """Every setting a pupil may be in: existing, committed new settings, and new settings of options."""
        cols = ["setting_type", "needs", "min_age", "max_age", "lon", "lat", "out_of_county", "journey_km", "places"]
        ex = self.data.settings.set_index("setting_id")
        s = ex[cols].assign(origin="existing")
        com = self.commitments[self.commitments["project_type"] != "expansion"].set_index("setting_id")
        c = com[cols[:6]].assign(out_of_county=False, journey_km=np.nan, places=0.0, origin="commitment")
        opt = self.data.options[self.data.options["option_type"] != "expansion"].set_index("option_id")
        o = opt[cols[:6]].assign(out_of_county=False, journey_km=np.nan, places=0.0, origin="option")
        out = pd.concat([s, c, o])
        out.index.name = "setting_id"
        out = out[~out.index.duplicated(keep="first")].copy()
        for col in ("min_age", "max_age", "lon", "lat", "journey_km", "places"):
            out[col] = out[col].astype(float)
        out["out_of_county"] = out["out_of_county"].astype(bool)
        has = out["lon"].notna() & out["lat"].notna()
        tr = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
        x, y = tr.transform(out["lon"].fillna(0).to_numpy(), out["lat"].fillna(0).to_numpy())
        out["x"] = np.where(has, x, np.nan)
        out["y"] = np.where(has, y, np.nan)
        return out

    def _demand(self) -> pd.DataFrame:
        """Specialist demand by year, zone, need group and phase, recomputed from plans and base placements."""
        bp = self.data.base_placements
        spec_types = self.data.placement_types.loc[self.data.placement_types["specialist"], "placement_type"]
        total = bp.groupby(["need_group", "phase"])["pupils"].sum()
        spec = bp[bp["placement_type"].isin(spec_types)].groupby(["need_group", "phase"])["pupils"].sum()
        share = (spec.reindex(total.index).fillna(0.0) / total.where(total > 0)).fillna(0.0)
        self.specialist_share = share
        pl = self.plans_by_gp()
        county = pl[pl["phase"].isin(self.placed)].copy()
        county["share"] = [share.get((g, p), 0.0) for g, p in zip(county["need_group"], county["phase"], strict=True)]
        county["demand"] = county["plans"] * county["share"]
        self.county_demand = county.groupby("year")["demand"].sum()
        kids = self.data.zones.set_index("zone_id")["children_0_15"].astype(float)
        w = kids / kids.sum()
        out = county[["year", "need_group", "phase", "demand"]].merge(
            pd.DataFrame({"zone_id": w.index, "weight": w.to_numpy()}), how="cross"
        )
        out["demand"] = out["demand"] * out["weight"]
        return out[["year", "zone_id", "need_group", "phase", "demand"]]

    def plans_by_gp(self) -> pd.DataFrame:
        """Plans of the scenario's projection by year, need group and phase (all phases), scaled after the base."""
        pl = self.data.plans
        pl = pl[(pl["scenario"] == self.scenario.demand_projection) & pl["year"].isin(self.years)]
        pl = pl[["year", "need_group", "phase", "plans"]].copy()
        pl["year"] = pl["year"].astype(int)
        pl["plans"] = pl["plans"].astype(float) * np.where(pl["year"] > self.base, self.scenario.demand_scale, 1.0)
        return pl.reset_index(drop=True)

    def option_setting(self, option_id: str) -> str:
        """The setting an option adds places to: the existing setting (expansion) or its own new setting."""
        opts = self.data.options.set_index("option_id")
        if option_id not in opts.index:
            return f"(unknown option {option_id})"
        o = opts.loc[option_id]
        return str(o["setting_id"]) if o["option_type"] == "expansion" else option_id

    def _expected_places(self) -> pd.DataFrame:
        """Places by setting and year: settings.csv in the base year; then + commitments + built projects."""
        s = self.settings
        base = s["places"].where(s["origin"] == "existing", 0.0).to_numpy(dtype=float)  # NaN: unlimited
        rows = [pd.DataFrame({"setting_id": s.index, "year": self.base, "places": base})]
        com = self.commitments
        py = self.tables["project_years"]
        py_set = py.assign(setting=[self.option_setting(o) for o in py["project_id"]])
        added = py_set.groupby(["setting", "year"])["places"].sum()
        for t in self.plan_years:
            open_c = com[com["opening_year"] <= t].groupby("setting_id")["places"].sum()
            c_add = open_c.reindex(s.index).fillna(0.0).to_numpy(dtype=float)
            p_add = np.array([added.get((sid, t), 0.0) for sid in s.index])
            # unlimited places stay unlimited; projects add to nothing there (none exist)
            rows.append(pd.DataFrame({"setting_id": s.index, "year": t, "places": base + c_add + p_add}))
        return pd.concat(rows, ignore_index=True)

    def growth(self, t: int, rate: float) -> float:
        return (1.0 + rate) ** (t - self.base)

    def unit_costs(self) -> pd.DataFrame:
        uc = self.data.unit_costs.set_index("setting_type")[["place_funding", "top_up"]].astype(float).copy()
        for st, o in self.scenario.unit_costs.items():
            for fld in ("place_funding", "top_up"):
                if getattr(o, fld) is not None:
                    uc.loc[st, fld] = float(getattr(o, fld))
        return uc

    def capital_budget(self) -> pd.Series:
        cb = self.data.capital_budget.set_index("year")["amount"].astype(float).copy()
        cb.index = cb.index.astype(int)
        for y, v in self.scenario.capital_budget.items():
            cb[int(y)] = float(v)
        return (cb * self.scenario.capital_budget_scale).reindex(self.plan_years).fillna(0.0)

    def income(self) -> pd.DataFrame:
        inc = self.data.income[["year", "line", "amount"]].copy()
        inc["year"] = inc["year"].astype(int)
        inc["amount"] = inc["amount"].astype(float)
        for line, by_year in self.scenario.income.items():
            for y, v in by_year.items():
                inc.loc[(inc["line"] == line) & (inc["year"] == int(y)), "amount"] = float(v)
        for line, k in self.scenario.income_scale.items():
            inc.loc[inc["line"] == line, "amount"] *= float(k)
        return inc[inc["year"].isin(self.years)].pivot(index="year", columns="line", values="amount")

    def journeys(self, zone_ids: pd.Series, setting_ids: pd.Series) -> np.ndarray:
        """Road km: straight line (British National Grid) from the zone point to the setting, x road_circuity;
        settings without a location: their journey_km."""
        z = self.data.zones.set_index("zone_id")
        zx = zone_ids.map(z["x"]).to_numpy(dtype=float)
        zy = zone_ids.map(z["y"]).to_numpy(dtype=float)
        sx = setting_ids.map(self.settings["x"]).to_numpy(dtype=float)
        sy = setting_ids.map(self.settings["y"]).to_numpy(dtype=float)
        km = np.hypot(zx - sx, zy - sy) / 1000.0 * float(self.params["road_circuity"])
        fixed = setting_ids.map(self.settings["journey_km"]).to_numpy(dtype=float)
        return np.where(np.isnan(sx), fixed, km)


# ---------------------------------------------------------------------------------------------------------
# the checks
def check_data(ctx: _Context) -> CheckResult:
    res = CheckResult("data", "the data folder and zone level are the ones the run used", "exact")
    m = ctx.manifest["data"]
    if ctx.data.data_hash != m.get("hash"):
        res.fail(
            f"data folder {ctx.data.folder}: hash {ctx.data.data_hash} is not the run's {m.get('hash')} "
            "(the data changed since the run; other checks may fail for that reason)"
        )
    else:
        res.add([0.0], str)
    if ctx.data.zone_level != m.get("zones"):
        res.fail(f"zones: the data were loaded at '{ctx.data.zone_level}', the run used '{m.get('zones')}'")
    if ctx.base != ctx.data.base_year or ctx.plan_years != list(range(ctx.base + 1, ctx.horizon + 1)):
        res.fail(f"years: manifest years {ctx.years} do not run from the base year {ctx.data.base_year} one by one")
    return res


def check_demand(ctx: _Context) -> CheckResult:
    res = CheckResult(
        "demand",
        "every cohort (zone, need, phase) is placed in full each year, base year included",
        f"{PUPILS_ABS:g} pupils + {PUPILS_REL:g} x demand + {ROW_FLOOR:g} per setting",
    )
    pl = ctx.tables["placements"]
    keys = ["year", "zone_id", "need_group", "phase"]
    placed = pl.groupby(keys)["pupils"].sum().rename("placed").reset_index()
    d = ctx.demand.merge(placed, on=keys, how="outer")
    d["demand"] = d["demand"].fillna(0.0)
    d["placed"] = d["placed"].fillna(0.0)
    r = _ratio(d["placed"], d["demand"], pupils_tol(d["demand"]) + ROW_FLOOR * len(ctx.settings))

    def describe(i: int) -> str:
        x = d.iloc[i]
        return (
            f"year {x.year}, zone {x.zone_id}, {x.need_group} {x.phase}: {x.placed:.4f} pupils placed, "
            f"demand {x.demand:.4f} (difference {x.placed - x.demand:+.4g})"
        )

    res.add(r, describe)
    return res


def check_capacity(ctx: _Context) -> CheckResult:
    res = CheckResult(
        "capacity",
        "pupils within places; places = existing + commitments + built projects; project sizes and timing",
        f"{PUPILS_ABS:g} + {PUPILS_REL:g} x places",
    )
    pl, sby = ctx.tables["placements"], ctx.tables["settings_by_year"]
    exp = ctx.places
    pupils = pl.groupby(["setting_id", "year"])["pupils"].sum().rename("pupils").reset_index()

    # settings_by_year places are right
    m = exp.merge(sby[["setting_id", "year", "places"]], on=["setting_id", "year"], how="outer", suffixes=("", "_run"))
    m = m.merge(pupils, on=["setting_id", "year"], how="left").fillna({"pupils": 0.0})
    in_sby = pd.MultiIndex.from_frame(m[["setting_id", "year"]]).isin(
        pd.MultiIndex.from_frame(sby[["setting_id", "year"]])
    )
    # a setting-year belongs in the table when it has places or pupils
    need_row = (m["places"].fillna(0) > PUPILS_ABS) | (m["pupils"] > PUPILS_ABS)
    keep = in_sby | need_row.to_numpy()
    check = m[keep].reset_index(drop=True)
    in_sby_c = in_sby[keep]
    r = np.where(in_sby_c, _ratio(check["places_run"], check["places"], pupils_tol(check["places"].fillna(0))), 1e9)

    def describe_places(i: int) -> str:
        x = check.iloc[i]
        if not in_sby_c[i]:
            return f"year {x.year}, setting {x.setting_id}: missing from settings_by_year.csv (places {_num(x.places)})"
        return (
            f"year {x.year}, setting {x.setting_id}: settings_by_year has {_num(x.places_run)} places, "
            f"the data and projects give {_num(x.places)}"
        )

    res.add(r, describe_places)

    # pupils within places (settings_by_year's places; the data's where the table has no row)
    places = m["places_run"].where(in_sby, m["places"])
    over = (m["pupils"] - places) / pupils_tol(places.fillna(0))
    over = np.where(places.isna(), 0.0, over.fillna(0.0)).astype(float)

    def describe_over(i: int) -> str:
        x = m.iloc[i]
        return (
            f"year {x.year}, setting {x.setting_id}: {x.pupils:.4f} pupils in {_num(places.iloc[i])} places "
            f"(over by {x.pupils - places.iloc[i]:.4g})"
        )

    res.add(np.maximum(over, 0.0), describe_over)
    _check_projects(ctx, res)
    return res


def _check_projects(ctx: _Context, res: CheckResult) -> None:
    """Built options: sizes, growth, opening years, one per site, forced and forbidden; commitments as delivered."""
    py, pr = ctx.tables["project_years"], ctx.tables["projects"]
    opts = ctx.data.options.set_index("option_id")
    sizes = ctx.data.option_sizes
    built = pr[pr["kind"] == "option"].set_index("project_id")
    ids = sorted(set(py["project_id"]) | set(built.index))
    for oid in ids:
        if oid not in opts.index:
            res.fail(f"project {oid}: not an option in options.csv")
            continue
        o = opts.loc[oid]
        sid = ctx.option_setting(oid)
        rows = py[py["project_id"] == oid].set_index("year")
        if rows.index.duplicated().any():
            res.fail(f"project {oid} (setting {sid}): repeated years in project_years.csv")
            rows = rows[~rows.index.duplicated()]
        w = rows["places"].reindex(ctx.plan_years).fillna(0.0).astype(float)
        open_years = [t for t in ctx.plan_years if w[t] > PUPILS_ABS]
        if oid in opts.index and len(rows) and (rows["setting_id"] != sid).any():
            res.fail(f"project {oid}: project_years names setting {rows['setting_id'].iloc[0]}, the option's is {sid}")
        if not open_years:
            res.fail(f"project {oid} (setting {sid}): listed as built but has no places in any year")
            continue
        opening = open_years[0]
        lead = int(o["lead_time_years"])
        first = max(int(o["earliest_start"]), ctx.base + 1) + lead
        if opening < first:
            res.fail(
                f"year {opening}, setting {sid}: project {oid} opens before {first} "
                f"(earliest start {int(o['earliest_start'])} + lead time {lead})"
            )
        gaps = [t for t in ctx.plan_years if t > opening and w[t] <= PUPILS_ABS]
        if gaps:
            res.fail(f"year {gaps[0]}, setting {sid}: project {oid} opened in {opening} but has no places in {gaps[0]}")
        sz = sizes[sizes["option_id"] == oid].sort_values("places")["places"].astype(float).to_numpy()
        wo = w[open_years].to_numpy()
        if o["sizing"] == "range" and len(sz) > 1:
            lo, hi = sz[0], sz[-1]
            for t in open_years:
                if w[t] < lo - pupils_tol(lo) or w[t] > hi + pupils_tol(hi):
                    res.fail(f"year {t}, setting {sid}: project {oid} has {w[t]:.4g} places, outside {lo:g}-{hi:g}")
            for a, b in zip(open_years[:-1], open_years[1:], strict=True):
                if w[b] < w[a] - pupils_tol(w[a]):
                    res.fail(f"year {b}, setting {sid}: project {oid} falls from {w[a]:.4g} to {w[b]:.4g} places")
        else:
            ok = [bool(np.any(np.abs(sz - v) <= pupils_tol(v))) for v in wo]
            if not all(ok) or np.ptp(wo) > pupils_tol(wo.max()):
                res.fail(
                    f"year {open_years[int(np.argmin(ok)) if not all(ok) else 0]}, setting {sid}: menu project {oid} "
                    f"has places {sorted(set(np.round(wo, 4)))}, not one of its sizes {list(sz)}"
                )
        if oid not in built.index:
            res.fail(f"project {oid} (setting {sid}): in project_years.csv but not in projects.csv")
            continue
        b = built.loc[oid]
        want = {
            "opening_year": opening,
            "start_year": opening - lead,
            "places": w[ctx.horizon],
            "places_at_opening": w[opening],
        }
        for col, v in want.items():
            got = float(b[col]) if pd.notna(b[col]) else np.nan
            if not abs(got - v) <= pupils_tol(v):
                res.fail(
                    f"year {opening}, setting {sid}: projects.csv {col} of {oid} is {got:g}, project_years gives {v:g}"
                )
        if b["site_id"] != o["site_id"] or b["setting_id"] != sid:
            res.fail(
                f"setting {sid}: projects.csv site or setting of {oid} is not the option's ({o['site_id']}, {sid})"
            )
        res.add([0.0], str)
    # one project per site; forced and forbidden options
    site = pd.Series({oid: opts.loc[oid, "site_id"] for oid in ids if oid in opts.index}, dtype=object)
    for k, group in site.groupby(site):
        if len(group) > 1:
            res.fail(f"site {k}: {len(group)} projects built ({', '.join(group.index)}); at most one per site")
    built_ids = set(site.index)
    for f in ctx.scenario.force_options:
        if f not in built_ids and f not in set(site):
            res.fail(f"forced option or site {f}: not built")
    for f in ctx.scenario.forbid_options:
        hit = [oid for oid in built_ids if oid == f or site[oid] == f]
        if hit:
            res.fail(f"forbidden option or site {f}: built ({', '.join(hit)})")
    # commitments as delivered in the scenario
    com = ctx.commitments.set_index("project_id")
    listed = pr[pr["kind"] == "commitment"].set_index("project_id")
    for pid in sorted(set(com.index) ^ set(listed.index)):
        where = "missing from projects.csv" if pid in com.index else "not a commitment of the scenario"
        res.fail(f"commitment {pid}: {where}")
    for pid in sorted(set(com.index) & set(listed.index)):
        c, r = com.loc[pid], listed.loc[pid]
        if int(r["opening_year"]) != int(c["opening_year"]) or abs(float(r["places"]) - float(c["places"])) > 1e-6:
            res.fail(
                f"year {int(c['opening_year'])}, setting {c['setting_id']}: commitment {pid} listed with "
                f"{float(r['places']):g} places from {int(r['opening_year'])}, the data give "
                f"{float(c['places']):g} from {int(c['opening_year'])}"
            )


def check_suitability(ctx: _Context) -> CheckResult:
    res = CheckResult(
        "suitability",
        "placements in designated settings serving the phase, state settings within reach; journeys recomputed",
        f"{KM_ABS:g} km for journeys; {PUPILS_ABS:g} pupils in an unsuitable or unreachable setting",
    )
    pl = ctx.tables["placements"].reset_index(drop=True)
    s = ctx.settings
    known = pl["setting_id"].isin(s.index).to_numpy()
    res.add(
        np.where(known, 0.0, 1e9),
        lambda i: (
            f"year {pl['year'][i]}, zone {pl['zone_id'][i]}, setting {pl['setting_id'][i]}: not a setting "
            "of the data (or a cancelled commitment)"
        ),
    )
    zones = ctx.data.zones.set_index("zone_id")
    zknown = pl["zone_id"].isin(zones.index).to_numpy()
    res.add(
        np.where(zknown, 0.0, 1e9),
        lambda i: f"year {pl['year'][i]}, zone {pl['zone_id'][i]}: not a zone of the data at this level",
    )
    pl = pl[known & zknown].reset_index(drop=True)
    # attributes the other tables rely on
    stype = pl["setting_id"].map(s["setting_type"])
    ooc = pl["setting_id"].map(s["out_of_county"]).astype(bool)
    dist = pl["zone_id"].map(zones["district_id"])
    attr_bad = (stype != pl["setting_type"]) | (ooc != pl["out_of_county"]) | (dist != pl["district_id"])
    res.add(
        np.where(attr_bad, 1e9, 0.0),
        lambda i: (
            f"year {pl['year'][i]}, zone {pl['zone_id'][i]}, setting {pl['setting_id'][i]}: setting type, "
            "out-of-county flag or district differ from the data"
        ),
    )
    # journeys
    km = ctx.journeys(pl["zone_id"], pl["setting_id"])
    r = _ratio(pl["journey_km"], km, KM_ABS)
    res.add(
        r,
        lambda i: (
            f"year {pl['year'][i]}, zone {pl['zone_id'][i]}, setting {pl['setting_id'][i]}: journey "
            f"{pl['journey_km'][i]:.4f} km in placements.csv, recomputed {km[i]:.4f} km"
        ),
    )
    # suitability and reach of placements the model made (not legacy)
    new = pl[~pl["legacy"].to_numpy()].reset_index(drop=True)
    km_new = km[~pl["legacy"].to_numpy()]
    needs = new["setting_id"].map(s["needs"])
    need_ok = np.array([g in n for g, n in zip(new["need_group"], needs, strict=True)])
    serves = _serves(
        new["setting_id"].map(s["min_age"]).to_numpy(dtype=float),
        new["setting_id"].map(s["max_age"]).to_numpy(dtype=float),
        new["phase"].map(ctx.phase_min).to_numpy(dtype=float),
        new["phase"].map(ctx.phase_max).to_numpy(dtype=float),
    )
    state = new["setting_id"].map(s["setting_type"]).isin(STATE_TYPES).to_numpy()
    reach = new["phase"].map(ctx.reach).to_numpy(dtype=float)
    far = state & ~(km_new <= reach + 1e-6)
    pupils = new["pupils"].to_numpy(dtype=float)
    score = pupils / PUPILS_ABS

    def where(i: int) -> str:
        return (
            f"year {new['year'][i]}, zone {new['zone_id'][i]}, setting {new['setting_id'][i]}: "
            f"{pupils[i]:.4g} {new['need_group'][i]} {new['phase'][i]} pupils"
        )

    res.add(
        np.where(need_ok, 0.0, score),
        lambda i: f"{where(i)} in a setting not designated for {new['need_group'][i]} (needs {';'.join(needs[i])})",
    )
    res.add(
        np.where(serves, 0.0, score),
        lambda i: (
            f"{where(i)} in a setting whose ages "
            f"({s.loc[new['setting_id'][i], 'min_age']:g}-{s.loc[new['setting_id'][i], 'max_age']:g}) cover under "
            "half the phase"
        ),
    )
    res.add(
        np.where(far, score, 0.0),
        lambda i: f"{where(i)} beyond reach: {km_new[i]:.1f} km > {reach[i]:g} km",
    )
    return res


def check_continuity(ctx: _Context) -> CheckResult:
    res = CheckResult(
        "continuity",
        "pupils stay: x[t] >= stay_rate x x[t-1] by zone, need, phase and setting; legacy decays at the stay rate",
        f"{PUPILS_ABS:g} + {PUPILS_REL:g} x pupils",
    )
    pl = ctx.tables["placements"]
    keys = ["zone_id", "need_group", "phase", "setting_id"]
    wide = pl.astype({"pupils": float}).pivot_table(
        index=keys, columns="year", values="pupils", aggfunc="sum", fill_value=0.0
    )
    wide = wide.reindex(columns=ctx.years, fill_value=0.0)
    stay = wide.index.get_level_values("phase").map(ctx.stay).to_numpy(dtype=float)
    x = wide.to_numpy(dtype=float)
    idx = wide.index.to_frame(index=False)
    for i in range(1, len(ctx.years)):
        need = stay * x[:, i - 1]
        short = (need - x[:, i]) / pupils_tol(need)
        t = ctx.years[i]

        def describe(k: int, i: int = i, t: int = t, need: np.ndarray = need) -> str:
            z = idx.iloc[k]
            return (
                f"year {t}, zone {z.zone_id}, setting {z.setting_id}, {z.need_group} {z.phase}: "
                f"{x[k, i]:.4f} pupils, below the {need[k]:.4f} who stay from {t - 1} "
                f"(stay rate {stay[k]:g} x {x[k, i - 1]:.4f})"
            )

        res.add(np.maximum(short, 0.0), describe)
    # legacy placements: exactly stay-rate decay, and never mixed with the model's placements
    leg = pl[pl["legacy"]]
    if len(leg):
        lw = leg.pivot_table(index=keys, columns="year", values="pupils", aggfunc="sum", fill_value=0.0)
        lw = lw.reindex(columns=ctx.years, fill_value=0.0)
        ls = lw.index.get_level_values("phase").map(ctx.stay).to_numpy(dtype=float)
        lx = lw.to_numpy(dtype=float)
        lidx = lw.index.to_frame(index=False)
        for i in range(1, len(ctx.years)):
            want = ls * lx[:, i - 1]
            t = ctx.years[i]

            def describe_leg(k: int, i: int = i, t: int = t, want: np.ndarray = want) -> str:
                z = lidx.iloc[k]
                return (
                    f"year {t}, zone {z.zone_id}, setting {z.setting_id}, {z.need_group} {z.phase}: legacy pupils "
                    f"{lx[k, i]:.4f}, not {want[k]:.4f} (stay rate x {t - 1})"
                )

            res.add(_ratio(lx[:, i], want, pupils_tol(want)), describe_leg)
        both = pl.groupby(keys)["legacy"].nunique()
        mixed = both[both > 1]
        res.add(
            np.full(len(mixed), 1e9),
            lambda k: (
                f"zone {mixed.index[k][0]}, setting {mixed.index[k][3]}, {mixed.index[k][1]} "
                f"{mixed.index[k][2]}: rows both legacy and not"
            ),
        )
    return res


def _capital_of(ctx: _Context, oid: str, w: pd.Series) -> tuple[float, float, float, str]:
    """(fixed, per place, capital at the final size, sizing) of a built option with places w by year."""
    o = ctx.data.options.set_index("option_id").loc[oid]
    sz = ctx.data.option_sizes[ctx.data.option_sizes["option_id"] == oid].sort_values("places")
    final = float(w.iloc[-1])
    if o["sizing"] == "range" and len(sz) > 1:
        lo, hi = sz.iloc[0], sz.iloc[-1]
        per = (float(hi["capital_cost"]) - float(lo["capital_cost"])) / (float(hi["places"]) - float(lo["places"]))
        fixed = float(lo["capital_cost"]) - per * float(lo["places"])
        return fixed, per, fixed + per * final, "range"
    match = sz[np.isclose(sz["places"].astype(float), final, atol=1e-3)]
    cost = float(match["capital_cost"].iloc[0]) if len(match) else float("nan")
    return cost, 0.0, cost, "menu"


def check_capital(ctx: _Context) -> CheckResult:
    res = CheckResult(
        "capital",
        "capital within the cumulative budget; spend follows the lead-time rule and adds up to each project's cost",
        f"GBP {MONEY_ABS:g} + {MONEY_REL:g} x the amounts compared",
    )
    b = ctx.tables["budget"].set_index("year")
    py, pr = ctx.tables["project_years"], ctx.tables["projects"]
    budget = ctx.capital_budget()
    opts = ctx.data.options.set_index("option_id")

    # the budget's capital lines
    want_budget = pd.Series({t: (budget[t] if t > ctx.base else 0.0) for t in ctx.years})
    got_budget = b["capital_budget"].reindex(ctx.years)
    res.add(
        _ratio(got_budget, want_budget, money_tol(want_budget)),
        lambda i: (
            f"year {ctx.years[i]}: budget.csv capital_budget {_gbp(got_budget.iloc[i])}, the data and "
            f"scenario give {_gbp(want_budget.iloc[i])}"
        ),
    )
    spent_py = py.groupby("year")["capital_spent"].sum().reindex(ctx.years).fillna(0.0)
    spent_b = b["capital_spent_options"].reindex(ctx.years)
    res.add(
        _ratio(spent_b, spent_py, money_tol(spent_py)),
        lambda i: (
            f"year {ctx.years[i]}: budget.csv capital_spent_options {_gbp(spent_b.iloc[i])}, project_years "
            f"adds up to {_gbp(spent_py.iloc[i])}"
        ),
    )
    # within the cumulative budget (unspent capital carries forward)
    cum_spent = np.maximum(spent_b.fillna(0.0), spent_py).cumsum()
    cum_budget = want_budget.cumsum()
    over = (cum_spent - cum_budget) / money_tol(cum_budget)

    def top_spender(t: int) -> str:
        y = py[py["year"] == t]
        if y.empty or y["capital_spent"].max() <= 0:
            return "no project spends that year"
        r = y.loc[y["capital_spent"].idxmax()]
        return (
            f"largest spend that year: setting {r['setting_id']}, project {r['project_id']}, {_gbp(r['capital_spent'])}"
        )

    res.add(
        np.maximum(over.to_numpy(dtype=float), 0.0),
        lambda i: (
            f"year {ctx.years[i]}: capital spent to date {_gbp(cum_spent.iloc[i])} exceeds the capital "
            f"available to date {_gbp(cum_budget.iloc[i])} (by {_gbp(cum_spent.iloc[i] - cum_budget.iloc[i])}; "
            f"{top_spender(ctx.years[i])})"
        ),
    )
    # each project: spend by year from the timing rule, total = capital cost
    built = pr[pr["kind"] == "option"].set_index("project_id")
    for oid, rows in py.groupby("project_id"):
        if oid not in opts.index:
            continue  # reported by the capacity check
        sid = ctx.option_setting(oid)
        rows = rows.drop_duplicates("year").set_index("year")
        w = rows["places"].reindex(ctx.plan_years).fillna(0.0).astype(float)
        spent = rows["capital_spent"].reindex(ctx.years).fillna(0.0).astype(float)
        extra = sorted(set(rows.index) - set(ctx.years))
        if extra:
            res.fail(f"year {extra[0]}, setting {sid}: project {oid} spends outside the run's years")
        fixed, per, total, sizing = _capital_of(ctx, oid, w)
        lead = int(opts.loc[oid, "lead_time_years"])
        want = pd.Series(0.0, index=ctx.years)
        prev, was_open = 0.0, False
        outside = 0.0
        for z in ctx.plan_years:
            is_open = w[z] > PUPILS_ABS
            cost = fixed if is_open and not was_open else 0.0
            if sizing == "range":
                cost += per * max(0.0, w[z] - prev)
            for y in range(z - lead, z) if lead else [z]:
                if y in want.index:
                    want[y] += cost / max(lead, 1)
                else:
                    outside += cost / max(lead, 1)
            prev, was_open = w[z], is_open or was_open
        if outside > MONEY_ABS:
            res.fail(f"setting {sid}: project {oid} would spend {_gbp(outside)} before the run's first year")
        w_tol = per * 2 * float(pupils_tol(w.max()))  # places are rounded in the table
        res.add(
            _ratio(spent, want, money_tol(want) + w_tol),
            lambda i, oid=oid, sid=sid, spent=spent, want=want: (
                f"year {ctx.years[i]}, setting {sid}: project {oid} "
                f"spends {_gbp(spent.iloc[i])}, the lead-time rule gives {_gbp(want.iloc[i])}"
            ),
        )
        listed = float(built.loc[oid, "capital_cost"]) if oid in built.index else float("nan")
        opening = int(w[w > PUPILS_ABS].index[0]) if (w > PUPILS_ABS).any() else ctx.horizon
        final = float(w.iloc[-1])
        for label, value in (("project_years spend", float(spent.sum())), ("projects.csv capital_cost", listed)):
            res.add(
                [_ratio(np.array([value]), np.array([total]), money_tol(total) + w_tol)[0]],
                lambda _i, label=label, value=value, oid=oid, sid=sid, opening=opening, total=total, final=final: (
                    f"year {opening}, setting {sid}: {label} of {oid} is {_gbp(value)}; its capital at "
                    f"{final:g} places is {_gbp(total)}"
                ),
            )
    return res


def check_budget(ctx: _Context) -> CheckResult:
    res = CheckResult(
        "budget",
        "income and spending lines, balance, deficit, shortfall (and the manifest's), transport line",
        f"GBP {MONEY_ABS:g} + {MONEY_REL:g} x the amounts compared; transport rate {RATE_REL:g} relative",
    )
    b = ctx.tables["budget"].set_index("year").reindex(ctx.years)
    pl = ctx.tables["placements"]
    s = ctx.settings
    uc = ctx.unit_costs()
    inc = ctx.income().reindex(ctx.years)
    years = ctx.years

    def compare(col: str, want: pd.Series, scale: pd.Series | None = None) -> None:
        if col not in b.columns:
            res.fail(f"budget.csv has no column {col}")
            return
        got = b[col].astype(float)
        tol = money_tol(scale if scale is not None else want.abs())
        res.add(
            _ratio(got.to_numpy(), want.reindex(years).to_numpy(dtype=float), tol),
            lambda i: (
                f"year {years[i]}: budget.csv {col} {_gbp(got.iloc[i])}, recomputed {_gbp(want.iloc[i])} "
                f"(difference {_gbp(got.iloc[i] - want.iloc[i])})"
            ),
        )

    for line in inc.columns:
        compare(f"income_{line}", inc[line])
    income = inc.sum(axis=1)
    compare("income_total", income, inc.abs().sum(axis=1))

    # place funding of every place, top-ups and fees of every pupil, grown
    places = ctx.places.copy()
    places["type"] = places["setting_id"].map(s["setting_type"])
    places["pf"] = places["type"].map(uc["place_funding"]) * places["year"].map(lambda t: ctx.growth(t, ctx.g_cost))
    pf = (places["places"].fillna(0.0) * places["pf"]).groupby(places["year"]).sum().reindex(years)
    compare("place_funding", pf)
    p = pl.assign(type=pl["setting_id"].map(s["setting_type"]))
    by_type = p.groupby(["type", "year"])["pupils"].sum()
    fees = {}
    for st in uc.index:
        pupils = pd.Series({t: float(by_type.get((st, t), 0.0)) for t in years})
        fees[st] = pupils * uc.loc[st, "top_up"] * pd.Series({t: ctx.growth(t, ctx.g_cost) for t in years})
        compare(f"top_ups_and_fees_{st}", fees[st])
    plans = ctx.plans_by_gp().groupby("year")["plans"].sum().reindex(years)
    not_placed = plans - ctx.county_demand.reindex(years)
    rate = float(ctx.params["other_high_needs_per_plan"])
    other = pd.Series({t: rate * ctx.growth(t, ctx.g_cost) * not_placed[t] for t in years})
    compare("other_high_needs", other)
    spending = pf + sum(fees.values()) + other
    compare("spending_total", spending)
    balance = income - spending
    compare("in_year_balance", balance, income.abs() + spending.abs())
    deficit = float(ctx.params["opening_deficit"]) - balance.cumsum()
    compare("cumulative_deficit", deficit, float(ctx.params["opening_deficit"]) + (income + spending).cumsum())
    shortfall = pd.Series({t: max(0.0, -balance[t]) if t >= ctx.target else 0.0 for t in years})
    compare("shortfall", shortfall, income.abs() + spending.abs())

    # the manifest's shortfall (phase 1's objective) and the plan's, within the reported gap
    total = float(b["shortfall"].sum())
    stated = float(ctx.manifest.get("shortfall_gbp", 0.0))
    gap = float(ctx.manifest.get("phases", {}).get("shortfall", {}).get("gap") or 0.0)
    tol = float(money_tol((income.abs() + spending.abs())[shortfall > 0].sum())) + gap * abs(stated)
    res.add(
        [abs(total - stated) / tol],
        lambda _i: (
            f"years {ctx.target}-{ctx.horizon}: budget.csv shortfalls add up to {_gbp(total)}, "
            f"the manifest's shortfall_gbp is {_gbp(stated)} (tolerance {_gbp(tol)} with gap {gap:.2g})"
        ),
    )

    # transport: one GBP per pupil-km rate, grown; the base year costs transport_cost_per_pupil per pupil
    pkm = (pl["pupils"] * pl["journey_km"]).groupby(pl["year"]).sum().reindex(years)
    grow = pd.Series({t: ctx.growth(t, ctx.g_transport) for t in years})
    tr = b["transport_general_fund"].astype(float)
    r0 = float(tr.iloc[0] / pkm.iloc[0]) if pkm.iloc[0] > 0 else 0.0
    expected = r0 * pkm * grow  # GBP: the base year's rate per pupil-km, grown, on each year's pupil-km
    res.add(
        (np.abs(tr - expected) / (money_tol(expected.abs()) + RATE_REL * expected.abs())).to_numpy(),
        lambda i: (
            f"year {years[i]}: transport {_gbp(tr.iloc[i])} for {pkm.iloc[i]:,.1f} pupil-km, but the base year's "
            f"rate of GBP {r0:.6g} per pupil-km (grown) gives {_gbp(expected.iloc[i])}"
        ),
    )
    base_pupils = float(pl.loc[pl["year"] == ctx.base, "pupils"].sum())
    avg = float(tr.iloc[0]) / base_pupils if base_pupils else float("nan")
    want_avg = float(ctx.params["transport_cost_per_pupil"])
    res.add(
        [abs(avg - want_avg) / float(money_tol(want_avg))],
        lambda _i: (
            f"year {ctx.base}: base-year transport is {_gbp(avg)} per pupil, parameters.csv "
            f"transport_cost_per_pupil is {_gbp(want_avg)}"
        ),
    )
    return res


def check_tables(ctx: _Context) -> CheckResult:
    res = CheckResult(
        "tables",
        "kpis.csv, settings_by_year.csv pupils and sufficiency.csv agree with placements.csv and budget.csv",
        f"pupils {PUPILS_ABS:g} + {PUPILS_REL:g} x value; shares and km {RATE_REL:g} relative + {SHARE_ABS:g}; "
        f"money GBP {MONEY_ABS:g} + {MONEY_REL:g} x value",
    )
    pl, sby, k = ctx.tables["placements"], ctx.tables["settings_by_year"], ctx.tables["kpis"].set_index("year")
    b = ctx.tables["budget"].set_index("year")
    s = ctx.settings
    years = ctx.years
    k = k.reindex(years)

    # settings_by_year pupils
    pupils = pl.groupby(["setting_id", "year"])["pupils"].sum().rename("want").reset_index()
    m = sby[["setting_id", "year", "pupils"]].merge(pupils, on=["setting_id", "year"], how="outer")
    m = m.fillna({"want": 0.0}).reset_index(drop=True)
    res.add(
        _ratio(m["pupils"], m["want"], pupils_tol(m["want"])),
        lambda i: (
            f"year {m['year'][i]}, setting {m['setting_id'][i]}: settings_by_year has "
            f"{m['pupils'][i]:.4f} pupils, placements.csv {m['want'][i]:.4f}"
        ),
    )

    # KPIs
    p = pl.assign(
        type=pl["setting_id"].map(s["setting_type"]), ooc=pl["setting_id"].map(s["out_of_county"]).astype(bool)
    )
    spec = p.groupby("year")["pupils"].sum().reindex(years).fillna(0.0)
    srb = p[p["type"] == "srb"].groupby("year")["pupils"].sum().reindex(years).fillna(0.0)
    state_local = p[p["type"].isin(STATE_TYPES) & ~p["ooc"]].groupby("year")["pupils"].sum().reindex(years).fillna(0.0)
    indep = p[p["type"] == "independent"].groupby("year")["pupils"].sum().reindex(years).fillna(0.0)
    ooc = p[p["ooc"]].groupby("year")["pupils"].sum().reindex(years).fillna(0.0)
    pkm = (p["pupils"] * p["journey_km"]).groupby(p["year"]).sum().reindex(years).fillna(0.0)
    # children with plans: placed specialist pupils + everyone else with a plan (base-year shares of other types)
    bp = ctx.data.base_placements
    tot_gp = bp.groupby(["need_group", "phase"])["pupils"].sum()
    ms_gp = bp[bp["placement_type"] == "mainstream"].groupby(["need_group", "phase"])["pupils"].sum()
    plans = ctx.plans_by_gp()
    key = list(zip(plans["need_group"], plans["phase"], strict=True))
    tot = np.array([tot_gp.get(x, 0.0) for x in key])
    share_spec = np.array([ctx.specialist_share.get(x, 0.0) for x in key])
    share_ms = np.divide(np.array([ms_gp.get(x, 0.0) for x in key]), tot, out=np.zeros(len(key)), where=tot > 0)
    placed = plans["phase"].isin(ctx.placed).to_numpy()
    others = np.where(tot > 0, 1.0 - np.where(placed, share_spec, 0.0), 0.0) * plans["plans"].to_numpy()
    children = spec + pd.Series(others).groupby(plans["year"].to_numpy()).sum().reindex(years).fillna(0.0)
    mainstream = pd.Series(share_ms * plans["plans"].to_numpy()).groupby(plans["year"].to_numpy()).sum()
    mainstream = mainstream.reindex(years).fillna(0.0) + srb
    want = {
        "children_with_plans": (children, "pupils"),
        "specialist_pupils": (spec, "pupils"),
        "pupils_out_of_county": (ooc, "pupils"),
        "share_mainstream": (mainstream / children, "share"),
        "share_state_specialist_in_county": (state_local / children, "share"),
        "share_independent": (indep / children, "share"),
        "mean_journey_km": (pkm / spec.where(spec > 0), "share"),
        "transport_cost": (b["transport_general_fund"].reindex(years), "money"),
        "high_needs_spending": (b["spending_total"].reindex(years), "money"),
        "in_year_balance": (b["in_year_balance"].reindex(years), "money"),
        "cumulative_deficit": (b["cumulative_deficit"].reindex(years), "money"),
    }
    for col, (w, kind) in want.items():
        if col not in k.columns:
            res.fail(f"kpis.csv has no column {col}")
            continue
        w = w.astype(float)
        got = k[col].astype(float)
        if kind == "pupils":
            tol = pupils_tol(w)
        elif kind == "money":
            tol = money_tol(w)
        else:
            tol = RATE_REL * np.abs(w.to_numpy()) + SHARE_ABS
        res.add(
            _ratio(got.to_numpy(), w.to_numpy(), tol),
            lambda i, col=col, got=got, w=w: (
                f"year {years[i]}: kpis.csv {col} {got.iloc[i]:.6g}, the tables give {w.iloc[i]:.6g}"
            ),
        )
    # year of balance: the first target year from which every balance is >= -0.5
    bal = b["in_year_balance"].reindex(years).astype(float)
    yob = next((y for y in years if y >= ctx.target and (bal[bal.index >= y] >= -BALANCE_TOL).all()), None)
    got_yob = k["year_of_balance"].dropna().unique() if "year_of_balance" in k.columns else []
    got_set = {int(v) for v in got_yob}
    if got_set != ({yob} if yob is not None else set()) or k["year_of_balance"].isna().any() != (yob is None):
        res.fail(
            f"year {yob or ctx.target}: kpis.csv year_of_balance is {sorted(got_set) or 'empty'}, budget gives {yob}"
        )
    else:
        res.add([0.0], str)

    # sufficiency: demand and where children are placed, by year, district, need and phase
    suf = ctx.tables["sufficiency"]
    zones = ctx.data.zones.set_index("zone_id")
    q = p.assign(district=p["zone_id"].map(zones["district_id"]))
    local = q["type"].isin(STATE_TYPES) & ~q["ooc"]
    q["local"] = np.where(local, q["pupils"], 0.0)
    q["elsewhere"] = np.where(local, 0.0, q["pupils"])
    keys = ["year", "district", "need_group", "phase"]
    agg = q.groupby(keys)[["pupils", "local", "elsewhere"]].sum().reset_index()
    agg = agg.rename(columns={"district": "district_id"})
    keys[1] = "district_id"
    mm = agg.merge(suf, on=keys, how="outer").fillna(0.0).reset_index(drop=True)
    for got_col, want_col in (
        ("demand", "pupils"),
        ("placed_locally", "local"),
        ("placed_independent_or_out_of_county", "elsewhere"),
        ("unmet_local_need", "elsewhere"),
    ):
        res.add(
            _ratio(mm[got_col], mm[want_col], pupils_tol(mm[want_col])),
            lambda i, g=got_col, w=want_col: (
                f"year {mm['year'][i]}, district {mm['district_id'][i]}, "
                f"{mm['need_group'][i]} {mm['phase'][i]}: sufficiency.csv {g} {mm[g][i]:.4f}, "
                f"placements give {mm[w][i]:.4f}"
            ),
        )
    return res


CHECK_FUNCTIONS: dict[str, Callable[[_Context], CheckResult]] = {
    "data": check_data,
    "demand": check_demand,
    "capacity": check_capacity,
    "suitability": check_suitability,
    "continuity": check_continuity,
    "capital": check_capital,
    "budget": check_budget,
    "tables": check_tables,
}


# ---------------------------------------------------------------------------------------------------------
def check_run(run_dir: Path | str, data: PlanningData | None = None) -> CheckReport:
    """Re-check a run folder against its data and scenario. data: the loaded data folder (default: the folder and
    zone level the manifest names)."""
    run_dir = Path(run_dir)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    if data is None:
        folder = Path(manifest["data"]["folder"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            data = load_data(folder, zones=manifest["data"]["zones"])
    ctx = _Context(run_dir, data, manifest)
    results = []
    for name, fn in CHECK_FUNCTIONS.items():
        try:
            results.append(fn(ctx))
        except Exception as exc:  # noqa: BLE001 - a table that cannot be checked is a failed check
            r = CheckResult(name, "could not be run", "-")
            r.fail(f"{type(exc).__name__}: {exc}")
            results.append(r)
    summary = (
        f"data {data.folder} ({manifest['data']['zones']} zones), scenario '{ctx.scenario.name}', "
        f"years {ctx.base}-{ctx.horizon}, target {ctx.target}"
    )
    return CheckReport(run_dir=run_dir, summary=summary, results=results)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m planner.check", description=__doc__.split("\n")[0])
    ap.add_argument("run_dir", type=Path, help="run folder written by python -m planner.solve")
    ap.add_argument("--data", type=Path, default=None, help="data folder (default: the one in the manifest)")
    args = ap.parse_args(argv)
    if not (args.run_dir / "manifest.json").exists():
        print(f"error: {args.run_dir} has no manifest.json; give a run folder", file=sys.stderr)
        return 2
    manifest = json.loads((args.run_dir / "manifest.json").read_text(encoding="utf-8"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            data = load_data(args.data or manifest["data"]["folder"], zones=manifest["data"]["zones"])
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = check_run(args.run_dir, data)
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
