"""Demand and the cohort tables: plans and futures by need group and phase (the demand model, planner.demand),
base-year placements by broad area (tools/norfolk/needs.py splits them into need groups), stay rates, and the phase
and placement-type tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.demand.run import project_demand
from tools.norfolk.assumptions import (
    BASE_YEAR,
    BROAD_GROUPS,
    BROAD_OF,
    LAST_YEAR,
    NEED_COLUMNS,
    PHASES,
    PLACEMENT_TYPES,
    REACH_SOURCE,
    D,
)

GROUPS = [b for b, _lab in BROAD_GROUPS]  # broad areas
# SEN2 'Type of placement' columns of each broad area
BROAD_COLUMNS = {b: [c for g, cols in NEED_COLUMNS.items() if BROAD_OF[g] == b for c in cols] for b in GROUPS}
PHASE_IDS = [p[0] for p in PHASES]
TYPES = [t[0] for t in PLACEMENT_TYPES]
SPECIALIST_TYPES = [t[0] for t in PLACEMENT_TYPES if t[2]]
CASELOAD = "send_stats/ehcp2025_caseload_norfolk_england.csv"
NEEDS_ALL = "send_stats/ehcp2025_sen_needs_all_plans_norfolk_england.csv"
BY_AGE = "Child or young persons age"


def age_to_phase(age: int) -> str:
    """The phase an age (at 31 August) falls in."""
    for pid, _n, lo, hi, *_ in PHASES:
        if lo <= age <= hi:
            return pid
    raise ValueError(age)


def parse_age(label: str) -> int:
    """Age of an SEN2 age label ('under 3' counts as 2)."""
    label = label.strip()
    if label == "under 3":
        return 2
    return int(label.replace("age", "").strip())


def ipf3(seed: np.ndarray, m_gp: np.ndarray, m_gt: np.ndarray, m_pt: np.ndarray, iters: int = 500) -> np.ndarray:
    """Fit a need x phase x placement table to its three two-way margins (iterative proportional fitting)."""
    x = seed.astype(float).copy()
    for _ in range(iters):
        for axis, m in ((2, m_gp), (1, m_gt), (0, m_pt)):
            cur = x.sum(axis=axis)
            f = np.divide(m, cur, out=np.zeros_like(m, dtype=float), where=cur > 0)
            x *= np.expand_dims(f, axis)
    return x


def build_demand(src: Path, need_groups: pd.DataFrame, phases: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """plans.csv (low, central, high) and futures.csv by need group and phase: the demand model (planner.demand)
    fitted to the cohort tables, projected to the last year; the base year is the January 2025 census."""
    p = project_demand(src, need_groups, phases, horizon=LAST_YEAR)
    assert p.plans.notna().all().all() and int(p.plans["year"].min()) == BASE_YEAR
    return p.plans, p.futures_table


def broad_plans(plans: pd.DataFrame) -> pd.DataFrame:
    """Plans summed from need groups to the broad areas (what the join of base-year placements is fitted to)."""
    out = plans.assign(need_group=plans["need_group"].map(BROAD_OF))
    return out.groupby(["scenario", "year", "need_group", "phase"], as_index=False)["plans"].sum()


def _need_by_placement(needs: pd.DataFrame) -> np.ndarray:
    """Need group x placement type margin from SEN2 'Type of placement' rows (mainstream net of SEN units)."""
    m_gt = np.zeros((len(GROUPS), len(TYPES)))
    for j, (_tid, _n, _s, _cols, rows) in enumerate(PLACEMENT_TYPES):
        if rows is None:
            continue
        for i, g in enumerate(GROUPS):
            m_gt[i, j] = needs.loc[rows, BROAD_COLUMNS[g]].to_numpy(dtype=float).sum()
    mt, srb = TYPES.index("mainstream"), TYPES.index("srb")
    for i, g in enumerate(GROUPS):
        m_gt[i, mt] = needs.loc["Mainstream - total", BROAD_COLUMNS[g]].to_numpy(dtype=float).sum() - m_gt[i, srb]
    return m_gt


def _phase_by_placement(src: Path) -> np.ndarray:
    """Phase x placement type margin from the SEN2 caseload by age, Jan 2025 (mainstream net of SEN units)."""
    cas = pd.read_csv(src / CASELOAD)
    cas = cas[(cas.la_name == "Norfolk") & (cas.time_period == 202425) & (cas.breakdown_topic == BY_AGE)].copy()
    cas["phase"] = cas["breakdown"].map(lambda s: age_to_phase(parse_age(s)))
    for c in cas.columns:
        if c.startswith(("mainstream", "special", "ap_", "fe_", "ed_", "nm_", "placement")):
            cas[c] = pd.to_numeric(cas[c], errors="coerce").fillna(0)
    m_pt = np.zeros((len(PHASE_IDS), len(TYPES)))
    by_phase = cas.groupby("phase").sum(numeric_only=True)
    for j, (_tid, _n, _s, cols, _rows) in enumerate(PLACEMENT_TYPES):
        if cols is None:
            continue
        for k, p in enumerate(PHASE_IDS):
            m_pt[k, j] = by_phase.loc[p, cols].sum()
    srb_cols = PLACEMENT_TYPES[TYPES.index("srb")][3]
    for k, p in enumerate(PHASE_IDS):
        m_pt[k, TYPES.index("mainstream")] = by_phase.loc[p, "mainstream_total"] - by_phase.loc[p, srb_cols].sum()
    return m_pt


def build_base(src: Path, plans: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    """Base-year pupils by placement type, broad area and phase; and the published plan total."""
    base = plans[(plans.scenario == "central") & (plans.year == BASE_YEAR)]
    m_gp = base.pivot(index="need_group", columns="phase", values="plans").loc[GROUPS, PHASE_IDS].to_numpy()
    needs_all = pd.read_csv(src / NEEDS_ALL)
    needs_all = needs_all[needs_all.la_name == "Norfolk"]
    m_gt = _need_by_placement(needs_all[needs_all.breakdown_topic == "Type of placement"].set_index("breakdown"))
    m_pt = _phase_by_placement(src)

    # the three margins come from different SEN2 tables; scale the two placement margins to the need x phase total
    total = m_gp.sum()
    m_gt *= total / m_gt.sum()
    m_pt *= total / m_pt.sum()
    x = ipf3(np.ones((len(GROUPS), len(PHASE_IDS), len(TYPES))), m_gp, m_gt, m_pt)

    published = {
        "plans_total": float(needs_all.loc[needs_all.breakdown_topic == "All EHC plans", "ehc_plans"].iloc[0]),
    }
    rows = [
        (t, g, p, x[i, k, j])
        for i, g in enumerate(GROUPS)
        for k, p in enumerate(PHASE_IDS)
        for j, t in enumerate(TYPES)
    ]
    bp = pd.DataFrame(rows, columns=["placement_type", "need_group", "phase", "pupils"])
    bp["basis"] = D
    bp["source"] = (
        "SEN2 Jan 2025: need x placement (ehcp2025_sen_needs_all_plans, 'Type of placement'), age x placement "
        "(ehcp2025_caseload by age) and need x phase (plans.csv base year: the census by age and need), joined by "
        "iterative proportional fitting"
    )
    return bp, published


def stay_rates(src: Path) -> dict[str, float]:
    """Share of a phase's specialist pupils still in specialist provision in that phase a year later.

    For a pupil aged a (a+1 still in the phase) the stay probability is min(1 - q(a), S25(a+1) / S24(a)):
    the plan may cease (exit rate q, cohort_parameters), and where the specialist cohort shrinks from one age to
    the next (post-16 pupils moving to further education) the net shrinkage counts as leaving too. Pupils at the
    phase's last age leave the phase. Weighted by Jan 2025 specialist pupils by age.
    """
    q = pd.read_csv(src / "cohort/cohort_parameters_2024_to_2025.csv").set_index("age_jan2024")["exit_rate_q"]
    cas = pd.read_csv(src / CASELOAD)
    cas = cas[(cas.la_name == "Norfolk") & (cas.breakdown_topic == BY_AGE)].copy()
    cas["age"] = cas["breakdown"].map(parse_age)
    spec_cols = [c for t in PLACEMENT_TYPES if t[2] for c in t[3]]
    cas["specialist"] = cas[spec_cols].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)
    s24 = cas[cas.time_period == 202324].set_index("age")["specialist"]
    s25 = cas[cas.time_period == 202425].set_index("age")["specialist"]
    out = {}
    for pid, _n, lo, hi, *_ in PHASES:
        ages = [a for a in range(lo, hi + 1) if a in s25.index]
        tot = sum(s25[a] for a in ages)
        stay = 0.0
        for a in ages:
            if a + 1 > hi:
                continue
            ratio = s25.get(a + 1, 0.0) / s24[a] if s24.get(a, 0) > 0 else 1.0
            stay += s25[a] * min(1 - q.get(a, 0.0), ratio)
        out[pid] = round(stay / tot, 4) if tot > 0 else 0.0
    return out


def classification_tables(stays: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """phases (with stay rates and journey limits) and placement_types."""
    phases = pd.DataFrame(
        [
            dict(
                phase=pid,
                name=name,
                min_age=lo,
                max_age=hi,
                placed_by_model=placed,
                stay_rate=stays[pid],
                max_journey_km=reach if reach is not None else np.nan,
                basis=D,
                source="ages: cohort/README (SEN2 age at 31 August); stay_rate: share of the phase's "
                "specialist pupils (SEN2 Jan 2025, by age) still in specialist provision in the phase a year later: "
                "min(1 - exit rate q, specialist pupils Jan 2025 at a+1 / Jan 2024 at a), 0 at the phase's last "
                "age (derived); max_journey_km: " + (REACH_SOURCE if reach is not None else "not placed by the model"),
            )
            for pid, name, lo, hi, placed, _lab, reach in PHASES
        ]
    )
    ptypes = pd.DataFrame([dict(placement_type=t, name=n, specialist=s) for t, n, s, _c, _r in PLACEMENT_TYPES])
    return phases, ptypes
