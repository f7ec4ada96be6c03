"""suitability.csv (the need groups each kind of setting may take) and placement_shares.csv (the largest share of a
need group's new specialist entrants that resource bases or AP can take), with the check that every setting,
commitment and option takes only what its designation's row allows."""

from __future__ import annotations

import pandas as pd

from tools.norfolk.assumptions import DESIGNATIONS, NEEDS_OF, PLACEMENT_SHARES, E
from tools.norfolk.cohort import SPECIALIST_TYPES


def build_suitability() -> pd.DataFrame:
    """suitability.csv: one row per (setting type, designation), 'any' for a whole type."""
    return pd.DataFrame(DESIGNATIONS, columns=["setting_type", "designation", "need_groups", "basis", "source"])


def check_designations(*tables: pd.DataFrame) -> None:
    """Every row's needs are exactly its designation's row, and within its type's 'any' row."""
    for df in tables:
        for r in df.itertuples():
            allowed = NEEDS_OF[(r.setting_type, r.designation)]
            assert r.needs == allowed, (r.setting_type, r.designation, r.needs)
            assert set(allowed.split(";")) <= set(NEEDS_OF[(r.setting_type, "any")].split(";")), r.designation


def build_placement_shares(base: pd.DataFrame, placed_phases: set[str]) -> pd.DataFrame:
    """placement_shares.csv, each estimate with the base year's observed share of the group's specialist pupils."""
    b = base[base.placement_type.isin(SPECIALIST_TYPES) & base.phase.isin(placed_phases)]
    by = b.groupby(["need_group", "placement_type"])["pupils"].sum()
    spec = b.groupby("need_group")["pupils"].sum()
    rows = []
    for t, g, share, why in PLACEMENT_SHARES:
        seen = float(by.get((g, t), 0.0)) / float(spec[g]) if spec.get(g, 0) > 0 else 0.0
        rows.append(
            (
                t,
                g,
                share,
                E,
                f"estimate: {why}. Base year: {seen:.1%} of the group's specialist pupils in the phases the model "
                f"places are in {t} (base_placements.csv; derived)",
            )
        )
    return pd.DataFrame(rows, columns=["setting_type", "need_group", "max_share", "basis", "source"])
