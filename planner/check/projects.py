"""Part of the capacity check: the projects a run builds and the commitments it lists.

Built options keep to their sizes, growth and opening years, one per site, forced and forbidden options as the
scenario says; commitments are listed as the scenario delivers them; every place in projects.csv,
project_years.csv and settings_by_year.csv is a whole number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.check.context import RunUnderCheck
from planner.check.result import PUPILS_ABS, WHOLE_ABS, CheckResult, pupils_tol


def check_projects(run: RunUnderCheck, res: CheckResult) -> None:
    py, pr = run.tables["project_years"], run.tables["projects"]
    opts = run.data.options.set_index("option_id")
    built = pr[pr["kind"] == "option"].set_index("project_id")
    ids = sorted(set(py["project_id"]) | set(built.index))
    for oid in ids:
        if oid not in opts.index:
            res.fail(f"project {oid}: not an option in options.csv")
            continue
        _check_option(run, res, oid, py[py["project_id"] == oid], built)
    site = pd.Series({oid: opts.loc[oid, "site_id"] for oid in ids if oid in opts.index}, dtype=object)
    _check_sites(run, res, site)
    _check_commitments(run, res, pr[pr["kind"] == "commitment"].set_index("project_id"))
    _whole_places(run, res)


def _whole_places(run: RunUnderCheck, res: CheckResult) -> None:
    """Places are whole numbers wherever the run lists them (the data's are; a project adds whole places)."""
    for table, cols, key in (
        ("projects", ("places", "places_at_opening"), "project_id"),
        ("project_years", ("places",), "project_id"),
        ("settings_by_year", ("places",), "setting_id"),
    ):
        df = run.tables[table].reset_index(drop=True)
        for col in cols:
            v = df[col].to_numpy(dtype=float)
            off = np.where(np.isnan(v), 0.0, np.abs(v - np.round(v)) / WHOLE_ABS)

            def describe(i: int, df: pd.DataFrame = df, col: str = col, key: str = key, table: str = table) -> str:
                year = df["year"][i] if "year" in df.columns else df["opening_year"][i]
                return f"year {year}, {key.split('_')[0]} {df[key][i]}: {table}.csv {col} {df[col][i]:.6g} is not whole"

            res.add(off, describe)


def places_by_year(run: RunUnderCheck, rows: pd.DataFrame) -> pd.Series:
    """A project's places in each planning year (0 before it opens), from its project_years rows."""
    return rows.set_index("year")["places"].reindex(run.plan_years).fillna(0.0).astype(float)


def _check_option(run: RunUnderCheck, res: CheckResult, oid: str, rows: pd.DataFrame, built: pd.DataFrame) -> None:
    """One built option: its project_years rows and its row of projects.csv."""
    o = run.data.options.set_index("option_id").loc[oid]
    sid = run.option_setting(oid)
    if rows["year"].duplicated().any():
        res.fail(f"project {oid} (setting {sid}): repeated years in project_years.csv")
        rows = rows.drop_duplicates("year")
    w = places_by_year(run, rows)
    open_years = [t for t in run.plan_years if w[t] > PUPILS_ABS]
    if len(rows) and (rows["setting_id"] != sid).any():
        res.fail(f"project {oid}: project_years names setting {rows['setting_id'].iloc[0]}, the option's is {sid}")
    if not open_years:
        res.fail(f"project {oid} (setting {sid}): listed as built but has no places in any year")
        return
    opening = open_years[0]
    lead = int(o["lead_time_years"])
    first = max(int(o["earliest_start"]), run.base + 1) + lead
    if opening < first:
        res.fail(
            f"year {opening}, setting {sid}: project {oid} opens before {first} "
            f"(earliest start {int(o['earliest_start'])} + lead time {lead})"
        )
    gaps = [t for t in run.plan_years if t > opening and w[t] <= PUPILS_ABS]
    if gaps:
        res.fail(f"year {gaps[0]}, setting {sid}: project {oid} opened in {opening} but has no places in {gaps[0]}")
    sizes = run.data.option_sizes
    sz = sizes[sizes["option_id"] == oid].sort_values("places")["places"].astype(float).to_numpy()
    _check_sizes(res, oid, sid, o["sizing"] == "range" and len(sz) > 1, sz, w[open_years])
    if oid not in built.index:
        res.fail(f"project {oid} (setting {sid}): in project_years.csv but not in projects.csv")
        return
    b = built.loc[oid]
    want = {
        "opening_year": opening,
        "start_year": opening - lead,
        "places": w[run.horizon],
        "places_at_opening": w[opening],
    }
    for col, v in want.items():
        got = float(b[col]) if pd.notna(b[col]) else np.nan
        if not abs(got - v) <= pupils_tol(v):
            res.fail(
                f"year {opening}, setting {sid}: projects.csv {col} of {oid} is {got:g}, project_years gives {v:g}"
            )
    if b["site_id"] != o["site_id"] or b["setting_id"] != sid:
        res.fail(f"setting {sid}: projects.csv site or setting of {oid} is not the option's ({o['site_id']}, {sid})")
    res.passes()


def _check_sizes(res: CheckResult, oid: str, sid: str, ranged: bool, sz: np.ndarray, w: pd.Series) -> None:
    """Places in the open years w: within the range and never falling (range), or one of the sizes (menu)."""
    if ranged:
        lo, hi = sz[0], sz[-1]
        for t, v in w.items():
            if v < lo - pupils_tol(lo) or v > hi + pupils_tol(hi):
                res.fail(f"year {t}, setting {sid}: project {oid} has {v:.4g} places, outside {lo:g}-{hi:g}")
        for t, before, now in zip(w.index[1:], w.to_numpy()[:-1], w.to_numpy()[1:], strict=True):
            if now < before - pupils_tol(before):
                res.fail(f"year {t}, setting {sid}: project {oid} falls from {before:.4g} to {now:.4g} places")
        return
    wo = w.to_numpy()
    ok = [bool(np.any(np.abs(sz - v) <= pupils_tol(v))) for v in wo]
    if not all(ok) or np.ptp(wo) > pupils_tol(wo.max()):
        res.fail(
            f"year {w.index[int(np.argmin(ok)) if not all(ok) else 0]}, setting {sid}: menu project {oid} "
            f"has places {sorted(set(np.round(wo, 4)))}, not one of its sizes {list(sz)}"
        )


def _check_sites(run: RunUnderCheck, res: CheckResult, site: pd.Series) -> None:
    """One project per site; forced options (or sites) built, forbidden ones not."""
    for k, group in site.groupby(site):
        if len(group) > 1:
            res.fail(f"site {k}: {len(group)} projects built ({', '.join(group.index)}); at most one per site")
    for f in run.scenario.force_options:
        if f not in site.index and f not in set(site):
            res.fail(f"forced option or site {f}: not built")
    allowed = set(run.reading.options["option_id"])
    for oid in sorted(set(site.index) - allowed):
        res.fail(f"forbidden option {oid} (site {site[oid]}): built")


def _check_commitments(run: RunUnderCheck, res: CheckResult, listed: pd.DataFrame) -> None:
    """projects.csv lists the commitments the scenario delivers, with their places and (delayed) opening years."""
    com = run.reading.commitments.set_index("project_id")
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
