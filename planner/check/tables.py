"""The data check (the data folder is the run's) and the tables check (the summary tables agree with placements.csv
and budget.csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.check.context import RunUnderCheck, non_specialist_rescale
from planner.check.result import (
    BALANCE_TOL,
    KM_ABS,
    MONEY_ABS,
    MONEY_REL,
    PUPILS_ABS,
    PUPILS_REL,
    RATE_REL,
    SHARE_ABS,
    CheckResult,
    money_tol,
    pupils_tol,
    ratio,
)
from planner.data.schema import STATE_TYPES


def check_data(run: RunUnderCheck) -> CheckResult:
    res = CheckResult("data", "the data folder and zone level are the ones the run used", "exact")
    m = run.manifest["data"]
    if run.data.data_hash != m.get("hash"):
        res.fail(
            f"data folder {run.data.folder}: hash {run.data.data_hash} is not the run's {m.get('hash')} "
            "(the data changed since the run; other checks may fail for that reason)"
        )
    else:
        res.passes()
    if run.data.zone_level != m.get("zones"):
        res.fail(f"zones: the data were loaded at '{run.data.zone_level}', the run used '{m.get('zones')}'")
    if run.base != run.data.base_year or run.plan_years != list(range(run.base + 1, run.horizon + 1)):
        res.fail(f"years: manifest years {run.years} do not run from the base year {run.data.base_year} one by one")
    if not set(run.target_years) <= set(run.plan_years):
        res.fail(f"years: the manifest's target years {run.target_years} are not all planning years of the run")
    return res


def check_tables(run: RunUnderCheck) -> CheckResult:
    res = CheckResult(
        "tables",
        "kpis.csv, settings_by_year.csv pupils and sufficiency.csv agree with placements.csv and budget.csv",
        f"pupils {PUPILS_ABS:g} + {PUPILS_REL:g} x value; shares and km {RATE_REL:g} relative + {SHARE_ABS:g}; "
        f"money GBP {MONEY_ABS:g} + {MONEY_REL:g} x value",
    )
    pl = run.tables["placements"]
    p = pl.assign(
        type=pl["setting_id"].map(run.settings["setting_type"]),
        ooc=pl["setting_id"].map(run.settings["out_of_county"]).astype(bool),
    )
    _settings_pupils(run, res)
    _placements_by_district(run, res)
    _kpis(run, res, p)
    _year_of_balance(run, res)
    _sufficiency(run, res, p)
    return res


def _settings_pupils(run: RunUnderCheck, res: CheckResult) -> None:
    """settings_by_year's pupils by setting and year are placements.csv's."""
    pupils = run.tables["placements"].groupby(["setting_id", "year"])["pupils"].sum().rename("want").reset_index()
    sby = run.tables["settings_by_year"]
    m = sby[["setting_id", "year", "pupils"]].merge(pupils, on=["setting_id", "year"], how="outer")
    m = m.fillna({"want": 0.0}).reset_index(drop=True)
    res.add(
        ratio(m["pupils"], m["want"], pupils_tol(m["want"])),
        lambda i: (
            f"year {m['year'][i]}, setting {m['setting_id'][i]}: settings_by_year has "
            f"{m['pupils'][i]:.4f} pupils, placements.csv {m['want'][i]:.4f}"
        ),
    )


SUMMARY_PUPILS, SUMMARY_KM = 0.0005, 0.05  # placements.csv is rounded to 0.001 pupil and 0.1 km


def _placements_by_district(run: RunUnderCheck, res: CheckResult) -> None:
    """placements.csv (by district, written beside placements.parquet from format 2, to 0.001 pupil and 0.1 km) adds
    up the full table."""
    if not (run.folder / "placements.parquet").exists():
        return
    keys = ["year", "district_id", "need_group", "phase", "setting_id"]
    csv = pd.read_csv(run.folder / "placements.csv", dtype={"district_id": str, "setting_id": str})
    full = run.tables["placements"]
    want = full.assign(pkm=full["pupils"] * full["journey_km"]).groupby(keys)[["pupils", "pkm"]].sum().reset_index()
    m = want.merge(csv[[*keys, "pupils", "mean_journey_km"]], on=keys, how="outer", suffixes=("_want", ""))
    m = m.fillna({"pupils": 0.0, "pupils_want": 0.0, "pkm": 0.0}).reset_index(drop=True)
    km = m["pkm"] / m["pupils_want"].where(m["pupils_want"] > 0)
    res.add(
        ratio(m["pupils"], m["pupils_want"], SUMMARY_PUPILS + pupils_tol(m["pupils_want"])),
        lambda i: (
            f"placements.csv, year {m['year'][i]}, {m['district_id'][i]}, {m['need_group'][i]}, "
            f"{m['phase'][i]}, {m['setting_id'][i]}: {m['pupils'][i]:.4f} pupils, placements.parquet "
            f"{m['pupils_want'][i]:.4f}"
        ),
    )
    has = (km.notna() & (m["pupils"] > 0)).to_numpy()
    res.add(
        ratio(m["mean_journey_km"][has], km[has], SUMMARY_KM + KM_ABS + RATE_REL * km[has]),
        lambda i: "placements.csv: a mean journey is not the pupil-weighted mean of placements.parquet's",
    )


def _by_year(run: RunUnderCheck, p: pd.DataFrame, values: pd.Series | None = None) -> pd.Series:
    """The pupils (or other values) of placements rows p added up by year, over the run's years."""
    v = p["pupils"] if values is None else values
    return v.groupby(p["year"]).sum().reindex(run.years).fillna(0.0)


def _plans_sum(run: RunUnderCheck, values: np.ndarray) -> pd.Series:
    """Values by row of run.plans added up by year, over the run's years."""
    return pd.Series(values).groupby(run.plans["year"].to_numpy()).sum().reindex(run.years).fillna(0.0)


def _kpi_expected(run: RunUnderCheck, p: pd.DataFrame) -> dict[str, tuple[pd.Series, str]]:
    """kpis.csv's columns as the tables give them, each with its kind of tolerance (pupils, share or money)."""
    spec = _by_year(run, p)
    srb = _by_year(run, p[p["type"] == "srb"])
    state_local = _by_year(run, p[p["type"].isin(STATE_TYPES) & ~p["ooc"]])
    indep = _by_year(run, p[p["type"] == "independent"])
    ooc = _by_year(run, p[p["ooc"]])
    pkm = _by_year(run, p, p["pupils"] * p["journey_km"])
    # children with plans: placed specialist pupils + everyone else with a plan (base-year shares of other types)
    bp = run.data.base_placements
    tot_gp = bp.groupby(["need_group", "phase"])["pupils"].sum()
    ms_gp = bp[bp["placement_type"] == "mainstream"].groupby(["need_group", "phase"])["pupils"].sum()
    plans = run.plans
    key = list(zip(plans["need_group"], plans["phase"], strict=True))
    tot = np.array([tot_gp.get(x, 0.0) for x in key])
    years = plans["year"].to_numpy()
    share_spec = np.array([run.specialist_share.get((y, *x), 0.0) for y, x in zip(years, key, strict=True)])
    rescale = non_specialist_rescale(run.specialist_share, plans, run.base)
    share_ms = np.divide(np.array([ms_gp.get(x, 0.0) for x in key]), tot, out=np.zeros(len(key)), where=tot > 0)
    share_ms = share_ms * rescale
    placed = plans["phase"].isin(run.placed).to_numpy()
    others = np.where(tot > 0, 1.0 - np.where(placed, share_spec, 0.0), 0.0) * plans["plans"].to_numpy()
    children = spec + _plans_sum(run, others)
    mainstream = _plans_sum(run, share_ms * plans["plans"].to_numpy()) + srb
    b = run.tables["budget"].set_index("year").reindex(run.years)
    return {
        "children_with_plans": (children, "pupils"),
        "specialist_pupils": (spec, "pupils"),
        "pupils_out_of_county": (ooc, "pupils"),
        "share_mainstream": (mainstream / children, "share"),
        "share_state_specialist_in_county": (state_local / children, "share"),
        "share_independent": (indep / children, "share"),
        "mean_journey_km": (pkm / spec.where(spec > 0), "share"),
        "transport_cost": (b["transport_general_fund"], "money"),
        "high_needs_spending": (b["spending_total"], "money"),
        "in_year_balance": (b["in_year_balance"], "money"),
        "cumulative_deficit": (b["cumulative_deficit"], "money"),
    }


def _kpis(run: RunUnderCheck, res: CheckResult, p: pd.DataFrame) -> None:
    years = run.years
    k = run.tables["kpis"].set_index("year").reindex(years)
    for col, (w, kind) in _kpi_expected(run, p).items():
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
            ratio(got.to_numpy(), w.to_numpy(), tol),
            lambda i, col=col, got=got, w=w: (
                f"year {years[i]}: kpis.csv {col} {got.iloc[i]:.6g}, the tables give {w.iloc[i]:.6g}"
            ),
        )


def _year_of_balance(run: RunUnderCheck, res: CheckResult) -> None:
    """kpis.csv's year of balance: the first target year from which every balance is >= -0.5 (none: empty)."""
    k = run.tables["kpis"].set_index("year").reindex(run.years)
    bal = run.tables["budget"].set_index("year")["in_year_balance"].reindex(run.years).astype(float)
    yob = next((y for y in run.target_years if (bal[bal.index >= y] >= -BALANCE_TOL).all()), None)
    got = {int(v) for v in k["year_of_balance"].dropna().unique()} if "year_of_balance" in k.columns else set()
    blank = k["year_of_balance"].isna().any() if "year_of_balance" in k.columns else True
    if got != ({yob} if yob is not None else set()) or blank != (yob is None):
        first = run.target_years[0] if run.target_years else run.target_year
        res.fail(f"year {yob or first}: kpis.csv year_of_balance is {sorted(got) or 'empty'}, budget gives {yob}")
    else:
        res.passes()


def _sufficiency(run: RunUnderCheck, res: CheckResult, p: pd.DataFrame) -> None:
    """sufficiency.csv: demand and where children are placed, by year, district, need and phase."""
    zones = run.data.zones.set_index("zone_id")
    q = p.assign(district_id=p["zone_id"].map(zones["district_id"]))
    local = q["type"].isin(STATE_TYPES) & ~q["ooc"]
    q["local"] = np.where(local, q["pupils"], 0.0)
    q["elsewhere"] = np.where(local, 0.0, q["pupils"])
    keys = ["year", "district_id", "need_group", "phase"]
    agg = q.groupby(keys)[["pupils", "local", "elsewhere"]].sum().reset_index()
    mm = agg.merge(run.tables["sufficiency"], on=keys, how="outer").fillna(0.0).reset_index(drop=True)
    for got_col, want_col in (
        ("demand", "pupils"),
        ("placed_locally", "local"),
        ("placed_independent_or_out_of_county", "elsewhere"),
        ("unmet_local_need", "elsewhere"),
    ):
        res.add(
            ratio(mm[got_col], mm[want_col], pupils_tol(mm[want_col])),
            lambda i, g=got_col, w=want_col: (
                f"year {mm['year'][i]}, district {mm['district_id'][i]}, "
                f"{mm['need_group'][i]} {mm['phase'][i]}: sufficiency.csv {g} {mm[g][i]:.4f}, "
                f"placements give {mm[w][i]:.4f}"
            ),
        )
