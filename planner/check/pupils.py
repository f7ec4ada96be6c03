"""The checks on pupils and places: demand met, capacity (with the projects built), suitability, continuity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.check.context import RunUnderCheck
from planner.check.levers import relief_stock
from planner.check.projects import check_projects
from planner.check.result import (
    FAILED,
    KM_ABS,
    PUPILS_ABS,
    PUPILS_REL,
    ROW_FLOOR,
    WHOLE_ABS,
    CheckResult,
    num,
    pupils_tol,
    ratio,
)
from planner.check.shares import check_shares
from planner.data.schema import STATE_TYPES

COHORT = ["zone_id", "need_group", "phase", "setting_id"]  # a placement's row, across years


def check_demand(run: RunUnderCheck) -> CheckResult:
    res = CheckResult(
        "demand",
        "every cohort (zone, need, phase) is placed in full each year, base year included, less the children the "
        "levers prevent or support in mainstream",
        f"{PUPILS_ABS:g} pupils + {PUPILS_REL:g} x demand + {ROW_FLOOR:g} per setting",
    )
    keys = ["year", "zone_id", "need_group", "phase"]
    placed = run.tables["placements"].groupby(keys)["pupils"].sum().rename("placed").reset_index()
    d = run.demand.merge(placed, on=keys, how="outer").fillna({"demand": 0.0, "placed": 0.0})
    relief = relief_stock(run)  # children the levers keep out of specialist places need none
    if len(relief):
        d = d.merge(relief, on=keys, how="left").fillna({"relief": 0.0})
        d["demand"] = d["demand"] - d["relief"]

    def describe(i: int) -> str:
        x = d.iloc[i]
        return (
            f"year {x.year}, zone {x.zone_id}, {x.need_group} {x.phase}: {x.placed:.4f} pupils placed, "
            f"demand {x.demand:.4f} (difference {x.placed - x.demand:+.4g})"
        )

    res.add(ratio(d["placed"], d["demand"], pupils_tol(d["demand"]) + ROW_FLOOR * len(run.settings)), describe)
    return res


def check_capacity(run: RunUnderCheck) -> CheckResult:
    res = CheckResult(
        "capacity",
        "pupils within places and the occupancy margin; places = existing + commitments + built projects, whole; "
        "project sizes and timing",
        f"{PUPILS_ABS:g} + {PUPILS_REL:g} x places; whole places {WHOLE_ABS:g}",
    )
    pl, sby = run.tables["placements"], run.tables["settings_by_year"]
    pupils = pl.groupby(["setting_id", "year"])["pupils"].sum().rename("pupils").reset_index()
    m = run.places.merge(
        sby[["setting_id", "year", "places"]], on=["setting_id", "year"], how="outer", suffixes=("", "_run")
    )
    m = m.merge(pupils, on=["setting_id", "year"], how="left").fillna({"pupils": 0.0}).reset_index(drop=True)
    in_sby = pd.MultiIndex.from_frame(m[["setting_id", "year"]]).isin(
        pd.MultiIndex.from_frame(sby[["setting_id", "year"]])
    )
    _places_listed(res, m, in_sby)
    # settings_by_year's places (the data's where the table has no row)
    _within_margin(run, res, m, m["places_run"].where(in_sby, m["places"]))
    check_projects(run, res)
    return res


def _within_margin(run: RunUnderCheck, res: CheckResult, m: pd.DataFrame, places: pd.Series) -> None:
    """Pupils within places: in the base year all of them; after it, margin x places + the base-year pupils still
    there above margin x the places the plan does not change (existing and committed), if any."""
    margin = float(run.reading.parameters.get("occupancy_margin", 1.0))
    left = run.staying_base_pupils().stack()
    staying = left.reindex(pd.MultiIndex.from_frame(m[["setting_id", "year"]])).fillna(0.0).to_numpy()
    above = np.maximum(0.0, staying - margin * m["fixed"].fillna(0.0).to_numpy())
    bound = np.where(m["year"] > run.base, margin * places + above, places)
    over = (m["pupils"] - bound) / pupils_tol(np.nan_to_num(bound))
    over = np.where(np.isnan(bound), 0.0, np.nan_to_num(over)).astype(float)

    def describe_over(i: int) -> str:
        x = m.iloc[i]
        where = f"year {x.year}, setting {x.setting_id}: {x.pupils:.4f} pupils in {num(places.iloc[i])} places"
        if x.year == run.base or (margin == 1.0 and above[i] == 0.0):
            return f"{where} (over by {x.pupils - bound[i]:.4g})"
        return (
            f"{where}, over the occupancy margin {margin:g} by {x.pupils - bound[i]:.4g} (at most {bound[i]:.4g} "
            f"with {staying[i]:.4g} base-year pupils still there: no new entrants beyond the margin)"
        )

    res.add(np.maximum(over, 0.0), describe_over)


def _places_listed(res: CheckResult, m: pd.DataFrame, in_sby: np.ndarray) -> None:
    """settings_by_year's places are the data's and the projects'; a setting-year with places or pupils is listed."""
    need_row = (m["places"].fillna(0) > PUPILS_ABS) | (m["pupils"] > PUPILS_ABS)
    keep = in_sby | need_row.to_numpy()
    rows = m[keep].reset_index(drop=True)
    listed = in_sby[keep]
    r = np.where(listed, ratio(rows["places_run"], rows["places"], pupils_tol(rows["places"].fillna(0))), FAILED)

    def describe(i: int) -> str:
        x = rows.iloc[i]
        if not listed[i]:
            return f"year {x.year}, setting {x.setting_id}: missing from settings_by_year.csv (places {num(x.places)})"
        return (
            f"year {x.year}, setting {x.setting_id}: settings_by_year has {num(x.places_run)} places, "
            f"the data and projects give {num(x.places)}"
        )

    res.add(r, describe)


def serves(min_age: np.ndarray, max_age: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A setting serves a phase when its ages cover at least half of the phase's years. (The check's own copy
    of the model's rule, on purpose: a change to one shows up against the other.)"""
    overlap = np.minimum(max_age, hi) - np.maximum(min_age, lo) + 1
    return overlap >= (hi - lo + 1) / 2


def check_suitability(run: RunUnderCheck) -> CheckResult:
    res = CheckResult(
        "suitability",
        "placements in designated settings serving the phase and allowed by suitability.csv, state settings within "
        "reach; placement shares of new entrants; journeys recomputed",
        f"{KM_ABS:g} km for journeys; {PUPILS_ABS:g} pupils in an unsuitable or unreachable setting; "
        f"{PUPILS_ABS:g} + {PUPILS_REL:g} x new entrants for shares",
    )
    pl = _known_placements(run, res)
    km, minutes = run.journeys(pl["zone_id"], pl["setting_id"])
    res.add(
        ratio(pl["journey_km"], km, KM_ABS),
        lambda i: (
            f"year {pl['year'][i]}, zone {pl['zone_id'][i]}, setting {pl['setting_id'][i]}: journey "
            f"{pl['journey_km'][i]:.4f} km in placements.csv, recomputed {km[i]:.4f} km"
        ),
    )
    # suitability and reach of placements the model made (not legacy)
    made = ~pl["legacy"].to_numpy()
    new = pl[made].reset_index(drop=True)
    _suitable(run, res, new, km[made], minutes[made])
    _suitability_table(run, res, new)
    check_shares(run, res)
    return res


def _known_placements(run: RunUnderCheck, res: CheckResult) -> pd.DataFrame:
    """Placements in settings and zones of the data, with the setting type, out-of-county flag and district the
    data give them (each unknown row and each differing attribute a violation)."""
    pl = run.tables["placements"].reset_index(drop=True)
    s = run.settings
    zones = run.data.zones.set_index("zone_id")
    known = pl["setting_id"].isin(s.index).to_numpy()
    res.add(
        np.where(known, 0.0, FAILED),
        lambda i: (
            f"year {pl['year'][i]}, zone {pl['zone_id'][i]}, setting {pl['setting_id'][i]}: not a setting "
            "of the data (or a cancelled commitment)"
        ),
    )
    zknown = pl["zone_id"].isin(zones.index).to_numpy()
    res.add(
        np.where(zknown, 0.0, FAILED),
        lambda i: f"year {pl['year'][i]}, zone {pl['zone_id'][i]}: not a zone of the data at this level",
    )
    pl = pl[known & zknown].reset_index(drop=True)
    stype = pl["setting_id"].map(s["setting_type"])
    ooc = pl["setting_id"].map(s["out_of_county"]).astype(bool)
    dist = pl["zone_id"].map(zones["district_id"])
    attr_bad = (stype != pl["setting_type"]) | (ooc != pl["out_of_county"]) | (dist != pl["district_id"])
    res.add(
        np.where(attr_bad, FAILED, 0.0),
        lambda i: (
            f"year {pl['year'][i]}, zone {pl['zone_id'][i]}, setting {pl['setting_id'][i]}: setting type, "
            "out-of-county flag or district differ from the data"
        ),
    )
    return pl


def _suitable(run: RunUnderCheck, res: CheckResult, new: pd.DataFrame, km: np.ndarray, minutes: np.ndarray) -> None:
    """The model's placements: in settings designated for the need, serving the phase, state ones within reach (in
    minutes where the phase sets a limit in minutes and the journey has them, else in road km)."""
    s = run.settings
    needs = new["setting_id"].map(s["needs"])
    need_ok = np.array([g in n for g, n in zip(new["need_group"], needs, strict=True)])
    serving = serves(
        new["setting_id"].map(s["min_age"]).to_numpy(dtype=float),
        new["setting_id"].map(s["max_age"]).to_numpy(dtype=float),
        new["phase"].map(run.phase_min).to_numpy(dtype=float),
        new["phase"].map(run.phase_max).to_numpy(dtype=float),
    )
    state = new["setting_id"].map(s["setting_type"]).isin(STATE_TYPES).to_numpy()
    reach = new["phase"].map(run.reading.reach).to_numpy(dtype=float)
    limit = new["phase"].map(run.reading.reach_minutes).to_numpy(dtype=float)
    by_minutes = ~np.isnan(limit) & ~np.isnan(minutes)
    within = np.where(by_minutes, minutes <= limit + 1e-6, km <= reach + 1e-6)
    far = state & ~within
    pupils = new["pupils"].to_numpy(dtype=float)
    score = pupils / PUPILS_ABS

    def where(i: int) -> str:
        return (
            f"year {new['year'][i]}, zone {new['zone_id'][i]}, setting {new['setting_id'][i]}: "
            f"{pupils[i]:.4g} {new['need_group'][i]} {new['phase'][i]} pupils"
        )

    def ages(i: int) -> str:
        sid = new["setting_id"][i]
        return f"{s.loc[sid, 'min_age']:g}-{s.loc[sid, 'max_age']:g}"

    res.add(
        np.where(need_ok, 0.0, score),
        lambda i: f"{where(i)} in a setting not designated for {new['need_group'][i]} (needs {';'.join(needs[i])})",
    )
    res.add(
        np.where(serving, 0.0, score),
        lambda i: f"{where(i)} in a setting whose ages ({ages(i)}) cover under half the phase",
    )
    res.add(
        np.where(far, score, 0.0),
        lambda i: (
            f"{where(i)} beyond reach: "
            + (f"{minutes[i]:.0f} minutes > {limit[i]:g}" if by_minutes[i] else f"{km[i]:.1f} km > {reach[i]:g} km")
        ),
    )


def _suitability_table(run: RunUnderCheck, res: CheckResult, new: pd.DataFrame) -> None:
    """suitability.csv (where the data have it): the row of the setting's type and designation (else its type's
    'any' row) lists the placement's need group."""
    suit = run.data.suitability
    if suit.empty:
        return
    allowed = {(str(r.setting_type), str(r.designation)): set(r.need_groups) for r in suit.itertuples()}
    s = run.settings
    kinds = new["setting_id"].map(s["setting_type"]).astype(str)
    designations = new["setting_id"].map(s["designation"])
    rows = [
        (k, str(d)) if (k, str(d)) in allowed else (k, "any")
        for k, d in zip(kinds, designations.where(designations.notna(), "any"), strict=True)
    ]
    ok = np.array([g in allowed.get(r, set()) for g, r in zip(new["need_group"], rows, strict=True)])
    res.add(
        np.where(ok, 0.0, new["pupils"].to_numpy(dtype=float) / PUPILS_ABS),
        lambda i: (
            f"year {new['year'][i]}, zone {new['zone_id'][i]}, setting {new['setting_id'][i]}: "
            f"{new['pupils'][i]:.4g} {new['need_group'][i]} {new['phase'][i]} pupils, "
            + (
                f"which suitability.csv's row ({rows[i][0]}, {rows[i][1]}) does not allow "
                f"(it allows {';'.join(sorted(allowed[rows[i]]))})"
                if rows[i] in allowed
                else f"a setting suitability.csv has no row for ({rows[i][0]}, {designations[i]})"
            )
        ),
    )


def check_continuity(run: RunUnderCheck) -> CheckResult:
    res = CheckResult(
        "continuity",
        "pupils stay: x[t] >= stay_rate x x[t-1] by zone, need, phase and setting; legacy decays at the stay rate",
        f"{PUPILS_ABS:g} + {PUPILS_REL:g} x pupils",
    )
    pl = run.tables["placements"]
    _stayers(run, res, pl, legacy=False)
    leg = pl[pl["legacy"]]
    if len(leg):
        # legacy placements: exactly stay-rate decay, and never mixed with the model's placements
        _stayers(run, res, leg, legacy=True)
        both = pl.groupby(COHORT)["legacy"].nunique()
        mixed = both[both > 1]
        res.add(
            np.full(len(mixed), FAILED),
            lambda k: (
                f"zone {mixed.index[k][0]}, setting {mixed.index[k][3]}, {mixed.index[k][1]} "
                f"{mixed.index[k][2]}: rows both legacy and not"
            ),
        )
    return res


def _stayers(run: RunUnderCheck, res: CheckResult, rows: pd.DataFrame, legacy: bool) -> None:
    """Each row's pupils against the stay rate x last year's: at least that many, or (legacy) exactly that many."""
    wide = rows.astype({"pupils": float}).pivot_table(
        index=COHORT, columns="year", values="pupils", aggfunc="sum", fill_value=0.0
    )
    wide = wide.reindex(columns=run.years, fill_value=0.0)
    stay = wide.index.get_level_values("phase").map(run.stay).to_numpy(dtype=float)
    x = wide.to_numpy(dtype=float)
    idx = wide.index.to_frame(index=False)
    for i in range(1, len(run.years)):
        t, want = run.years[i], stay * x[:, i - 1]
        short = np.maximum((want - x[:, i]) / pupils_tol(want), 0.0)
        r = ratio(x[:, i], want, pupils_tol(want)) if legacy else short

        def describe(k: int, i: int = i, t: int = t, want: np.ndarray = want) -> str:
            z = idx.iloc[k]
            where = f"year {t}, zone {z.zone_id}, setting {z.setting_id}, {z.need_group} {z.phase}"
            if legacy:
                return f"{where}: legacy pupils {x[k, i]:.4f}, not {want[k]:.4f} (stay rate x {t - 1})"
            return (
                f"{where}: {x[k, i]:.4f} pupils, below the {want[k]:.4f} who stay from {t - 1} "
                f"(stay rate {stay[k]:g} x {x[k, i - 1]:.4f})"
            )

        res.add(r, describe)
