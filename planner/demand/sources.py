"""The SEN2 cohort tables the demand model fits, read into arrays by age band, single age and need group.

The long series are by the five SEN2 age bands (January caseload 2010-2025, new plans 2009-2024). Single ages
exist for January 2024 and 2025 only, and primary need by single age for the January 2025 caseload and the plans
made in 2024. Ages are SEN2 ages at 31 August before the January census; 'under 3' counts as 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

# age band, SEN2 label, youngest and oldest age
BANDS: tuple[tuple[str, str, int, int], ...] = (
    ("under_5", "Under 5", 0, 4),
    ("5_10", "Age 5 to 10", 5, 10),
    ("11_15", "Age 11 to 15", 11, 15),
    ("16_19", "Age 16 to 19", 16, 19),
    ("20_25", "Age 20 to 25", 20, 25),
)
BAND_IDS = [b[0] for b in BANDS]
COHORT = "cohort"
FILES = {
    "caseload": "caseload_by_ageband_2010_2025.csv",
    "new": "new_plans_by_age_2009_2024.csv",
    "single": "caseload_single_age_placement_2024_2025.csv",
    "need": "primary_need_by_age_2024_2025.csv",
    "ceased": "ceased_plans_by_reason_age_2022_2024.csv",
}


def parse_age(label: str) -> int:
    """An SEN2 single-age label as a whole age: 'age 7' is 7, 'under 3' and 'age 2 and under' are 2, 'age 20 and
    over' is 20."""
    s = label.strip().lower()
    if s in ("under 3", "age 2 and under"):
        return 2
    if s == "age 20 and over":
        return 20
    return int(s.replace("age", "").strip())


def band_of(age: int) -> int:
    """Index of the age band an age falls in."""
    for i, (_b, _lab, lo, hi) in enumerate(BANDS):
        if lo <= age <= hi:
            return i
    raise ValueError(f"age {age} is in no band")


def _band_label(label: str) -> int | None:
    """Band index of a band or single-age label; None for a total."""
    for i, (_b, lab, _lo, _hi) in enumerate(BANDS):
        if label == lab:
            return i
    return None if label.strip().lower() in ("total", "all") else band_of(parse_age(label))


@dataclass
class Sources:
    """The source tables as arrays. Band arrays have one column per band in BANDS order."""

    caseload: pd.DataFrame  # January x band (NaN where a year has a total only)
    caseload_total: pd.Series  # January -> all plans
    new_plans: pd.DataFrame  # calendar year x band, by age when the plan started
    new_total: pd.Series  # calendar year -> new plans
    single_age: pd.DataFrame  # January (2024, 2025) x single age: plans
    need_stock: pd.DataFrame  # single age x SEN2 primary need: plans in January of the last year
    ceased: pd.DataFrame  # rows: calendar_year, band (of the ceasing child's January age), ceased
    folder: Path

    @property
    def last_january(self) -> int:
        return int(self.caseload_total.index.max())

    def band_years(self, last: int) -> list[int]:
        """Januaries up to `last` with every band known."""
        known = self.caseload.dropna().index
        return [int(t) for t in known if t <= last]


def _caseload(folder: Path) -> tuple[pd.DataFrame, pd.Series]:
    d = pd.read_csv(folder / FILES["caseload"])
    d["band"] = d["age_band"].map(_band_label)
    total = d[d["band"].isna()].set_index("january_of")["ehc_plans_and_statements"].astype(float)
    bands = d.dropna(subset=["band"]).pivot_table(
        index="january_of", columns="band", values="ehc_plans_and_statements", aggfunc="sum"
    )
    bands = bands.reindex(index=total.index, columns=range(len(BANDS)))
    # a band not yet in use (20-25 before 2015) is 0 where the others are known
    known = bands.notna().sum(axis=1) >= len(BANDS) - 1
    bands.loc[known] = bands.loc[known].fillna(0.0)
    bands.columns = BAND_IDS
    return bands.astype(float), total.sort_index()


def _new_plans(folder: Path) -> tuple[pd.DataFrame, pd.Series]:
    d = pd.read_csv(folder / FILES["new"])
    d["band"] = d["age"].map(_band_label)
    total = d[d["band"].isna()].set_index("calendar_year")["new_plans"].astype(float).sort_index()
    by = d.dropna(subset=["band"]).pivot_table(index="calendar_year", columns="band", values="new_plans", aggfunc="sum")
    by = by.reindex(index=total.index, columns=range(len(BANDS))).fillna(0.0)
    by.columns = BAND_IDS
    return by.astype(float), total


def _need_stock(folder: Path) -> pd.DataFrame:
    """Plans by single age and SEN2 primary need, January caseload (the new-plan rows are not used)."""
    d = pd.read_csv(folder / FILES["need"])
    d = d[(d["age"] != "All") & d["measure"].str.startswith("all_plans")].copy()
    d["age_n"] = d["age"].map(parse_age)
    d["need"] = d["need"].str.upper()
    return d.pivot_table(index="age_n", columns="need", values="count", aggfunc="sum").fillna(0.0).astype(float)


def _ceased(folder: Path) -> pd.DataFrame:
    """Plans ceased by calendar year and the band of the ceasing cohort's January age (age at ceasing - 1; ceasing
    at '20 and over' counts in the top band)."""
    d = pd.read_csv(folder / FILES["ceased"])
    d = d[d["breakdown_topic"] == "Age plan ceased"].copy()
    over = d["breakdown"].str.strip().str.lower() == "age 20 and over"  # January ages 19-24: taken as the top band
    d["band"] = d["breakdown"].map(lambda s: band_of(max(parse_age(s) - 1, 0)))
    d.loc[over, "band"] = len(BANDS) - 1
    return d.groupby(["calendar_year", "band"])["total_ceased"].sum().rename("ceased").reset_index()


def read_sources(folder: str | Path) -> Sources:
    """Read the cohort tables of a source folder (its cohort/ subfolder)."""
    folder = Path(folder)
    cohort = folder / COHORT if (folder / COHORT).is_dir() else folder
    caseload, total = _caseload(cohort)
    new, new_total = _new_plans(cohort)
    single = pd.read_csv(cohort / FILES["single"]).pivot_table(
        index="january_of", columns="age", values="ehcplans", aggfunc="sum"
    )
    return Sources(caseload, total, new, new_total, single.astype(float), _need_stock(cohort), _ceased(cohort), cohort)


def need_columns(need_groups: pd.DataFrame, labels: list[str]) -> dict[str, list[str]]:
    """The SEN2 need labels of each need group (need_groups.csv's sen2_primary_needs, case-insensitive)."""
    out: dict[str, list[str]] = {}
    seen: set[str] = set()
    for r in need_groups.itertuples(index=False):
        raw = r.sen2_primary_needs
        members = list(raw) if isinstance(raw, list | tuple) else str(raw).split(";")
        want = {m.strip().upper() for m in members}
        out[str(r.need_group)] = [lab for lab in labels if lab in want]
        seen |= want
    missing = [lab for lab in labels if lab not in seen]
    if missing:
        raise ValueError(f"SEN2 needs {missing} are in no need group of need_groups.csv")
    return out


def group_needs(table: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Sum SEN2 need columns into need groups (columns in the groups' order)."""
    return pd.DataFrame({g: table[cols].sum(axis=1) if cols else 0.0 for g, cols in groups.items()})


def phase_of_ages(phases: pd.DataFrame, ages: np.ndarray) -> list[str]:
    """The phase (phases.csv min_age..max_age) of each age."""
    out = []
    for a in ages:
        hit = phases[(phases["min_age"] <= a) & (phases["max_age"] >= a)]
        if hit.empty:
            raise ValueError(f"age {a} is in no phase of phases.csv")
        out.append(str(hit["phase"].iloc[0]))
    return out
