"""Need groups: base-year placements by broad area split into the seven need groups, and need_groups.csv.

The base-year placements are joined by the SEND Code of Practice's broad areas (tools/norfolk/cohort.py). Within
each broad area, phase and placement type they are split between the area's need groups (ASD and SLCN within
communication and interaction; MLD/SpLD and SLD/PMLD within cognition and learning) by fitting the need groups'
base-year plans (plans.csv, by need group already) with the SEN2 shares by placement type (need by 'Type of
placement') as the seed, so that SLD/PMLD lands mostly in special schools, as SEN2 records.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tools.norfolk.assumptions import BROAD_OF, NEED_COLUMNS, NEED_GROUPS, PHASES, PLACEMENT_TYPES, S
from tools.norfolk.cohort import NEEDS_ALL

GROUPS = [g[0] for g in NEED_GROUPS]
MEMBERS = {b: [g for g in GROUPS if BROAD_OF[g] == b] for b in dict.fromkeys(BROAD_OF.values())}
BASE_SPLIT_NOTE = (
    "; need groups within the broad area fitted to the need groups' base-year plans by phase, seeded with SEN2 "
    "Jan 2025 shares by placement type (ehcp2025_sen_needs_all_plans, 'Type of placement')"
)


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
