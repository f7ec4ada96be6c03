"""Need groups: the cohort tables by broad area split into the seven need groups, and need_groups.csv.

The cohort projection (and so the five-group base-year placements) is by the SEND Code of Practice's broad areas.
Each broad area is split into its need groups within each phase by the January 2025 shares of all plans by primary
need and single age (ASD and SLCN within communication and interaction; MLD/SpLD and SLD/PMLD within cognition and
learning), held fixed: the totals of every broad area are unchanged. Base-year placements are split within each
broad area, phase and placement type by fitting the need groups' phase totals with the SEN2 shares by placement type
(need by 'Type of placement') as the seed, so that SLD/PMLD lands mostly in special schools, as SEN2 records.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tools.norfolk.assumptions import AGE_FILE_NEEDS, BROAD_OF, NEED_COLUMNS, NEED_GROUPS, PHASES, PLACEMENT_TYPES, S
from tools.norfolk.cohort import NEEDS_ALL, age_to_phase, parse_age

GROUPS = [g[0] for g in NEED_GROUPS]
MEMBERS = {b: [g for g in GROUPS if BROAD_OF[g] == b] for b in dict.fromkeys(BROAD_OF.values())}
PLAN_SPLIT_NOTE = (
    "; need groups within the broad area split by the phase's Jan 2025 shares of all plans by primary need "
    "(cohort/primary_need_by_age_2024_2025.csv), held fixed"
)
BASE_SPLIT_NOTE = (
    "; need groups within the broad area fitted to the need groups' base-year plans by phase, seeded with SEN2 "
    "Jan 2025 shares by placement type (ehcp2025_sen_needs_all_plans, 'Type of placement')"
)


def phase_shares(src: Path) -> pd.Series:
    """Share of each need group within its broad area, by phase: Jan 2025 plans by primary need and single age."""
    d = pd.read_csv(src / "cohort/primary_need_by_age_2024_2025.csv")
    d = d[(d.measure == "all_plans_jan2025") & (d.age != "All")].copy()
    d["phase"] = d["age"].map(lambda a: age_to_phase(parse_age(a)))
    label = {lab: g for g, labs in AGE_FILE_NEEDS.items() for lab in labs}
    d["need_group"] = d["need"].map(label)
    assert d["need_group"].notna().all()
    n = d.groupby(["need_group", "phase"])["count"].sum()
    broad = n.groupby([n.index.get_level_values(0).map(BROAD_OF), n.index.get_level_values(1)]).transform("sum")
    return (n / broad.to_numpy()).fillna(0.0).rename("share")


def _split_rounded(total: float, shares: list[float]) -> list[float]:
    """Split a total by shares to 3 decimals; the last part takes the rounding, so the parts add to the total."""
    parts = [round(total * s, 3) for s in shares[:-1]]
    return [*parts, round(total - sum(parts), 3)]


def split_plans(plans: pd.DataFrame, shares: pd.Series) -> pd.DataFrame:
    """plans.csv by need group: every broad-area row split into its need groups by the phase's shares."""
    rows = []
    for r in plans.itertuples(index=False):
        members = MEMBERS[r.need_group]
        sh = [float(shares.get((g, r.phase), 0.0)) for g in members]
        if len(members) > 1 and sum(sh) == 0:
            sh = [1.0 / len(members)] * len(members)
        note = PLAN_SPLIT_NOTE if len(members) > 1 else ""
        for g, v in zip(members, _split_rounded(r.plans, sh), strict=True):
            rows.append(r._replace(need_group=g, plans=v, source=r.source + note))
    out = pd.DataFrame(rows, columns=plans.columns)
    return out.sort_values(["scenario", "year", "phase", "need_group"]).reset_index(drop=True)


def _seed(src: Path) -> pd.DataFrame:
    """Need group x placement type counts from SEN2 Jan 2025 'Type of placement' (mainstream net of SEN units)."""
    needs = pd.read_csv(src / NEEDS_ALL)
    needs = needs[(needs.la_name == "Norfolk") & (needs.breakdown_topic == "Type of placement")].set_index("breakdown")
    out = pd.DataFrame(0.0, index=GROUPS, columns=[t[0] for t in PLACEMENT_TYPES])
    for tid, _n, _s, _cols, rows in PLACEMENT_TYPES:
        if rows is not None:
            for g in GROUPS:
                out.loc[g, tid] = needs.loc[rows, NEED_COLUMNS[g]].to_numpy(dtype=float).sum()
    for g in GROUPS:
        total = needs.loc["Mainstream - total", NEED_COLUMNS[g]].to_numpy(dtype=float).sum()
        out.loc[g, "mainstream"] = total - out.loc[g, "srb"]
    return out


def _fit(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, iters: int = 2000) -> np.ndarray:
    """Scale a need group x placement type seed to its row totals (plans) and column totals (broad-area pupils)."""
    x = seed.copy()
    for _ in range(iters):
        x *= np.divide(rows, x.sum(axis=1), out=np.zeros_like(rows), where=x.sum(axis=1) > 0)[:, None]
        x *= np.divide(cols, x.sum(axis=0), out=np.zeros_like(cols), where=x.sum(axis=0) > 0)[None, :]
    return x


def split_base(base: pd.DataFrame, plans: pd.DataFrame, src: Path, base_year: int) -> pd.DataFrame:
    """base_placements.csv by need group: each broad area's pupils by phase and placement type split into its need
    groups, adding up to the need groups' base-year plans (central) and to the broad area's pupils by type."""
    seed = _seed(src)
    p0 = plans[(plans.scenario == "central") & (plans.year == base_year)].set_index(["need_group", "phase"])["plans"]
    types = [t[0] for t in PLACEMENT_TYPES]
    out = []
    for b, members in MEMBERS.items():
        for ph in [p[0] for p in PHASES]:
            cell = base[(base.need_group == b) & (base.phase == ph)].set_index("placement_type").reindex(types)
            if len(members) == 1:
                out.append(cell.reset_index().assign(need_group=members[0]))
                continue
            s = seed.loc[members, types].to_numpy()
            s = s / np.maximum(s.sum(axis=0, keepdims=True), 1e-12) + 1e-4  # shares within the area, never 0
            x = _fit(s, p0.loc[[(g, ph) for g in members]].to_numpy(dtype=float), cell["pupils"].to_numpy(dtype=float))
            for i, g in enumerate(members):
                part = cell.reset_index().assign(need_group=g, pupils=x[i])
                part["source"] = part["source"] + BASE_SPLIT_NOTE
                out.append(part)
    res = pd.concat(out, ignore_index=True)[base.columns]
    return _round_keeping_totals(res, p0)


def _round_keeping_totals(base: pd.DataFrame, plans0: pd.Series) -> pd.DataFrame:
    """Round pupils to 3 decimals so that each need group and phase adds to its base-year plans exactly: the largest
    placement of the group and phase takes the rounding."""
    base = base.copy()
    base["pupils"] = base["pupils"].round(3)
    for (g, ph), idx in base.groupby(["need_group", "phase"]).groups.items():
        gap = round(float(plans0[(g, ph)]) - base.loc[idx, "pupils"].sum(), 3)
        if gap != 0:
            big = base.loc[idx, "pupils"].idxmax()
            base.loc[big, "pupils"] = round(base.loc[big, "pupils"] + gap, 3)
    assert (base["pupils"] >= 0).all()
    return base.sort_values(["placement_type", "need_group", "phase"]).reset_index(drop=True)


def need_groups_table() -> pd.DataFrame:
    """need_groups.csv: the seven need groups and their SEN2 primary needs."""
    return pd.DataFrame(
        [
            dict(
                need_group=g,
                name=n,
                sen2_primary_needs=c,
                basis=S,
                source=f"DfE SEN2 primary-need categories; broad area {b} of the SEND Code of Practice",
            )
            for g, n, c, b in NEED_GROUPS
        ]
    )
