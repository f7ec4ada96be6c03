"""Helpers shared by the table builders: the schools register, locations, ordered rows, rounding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tools.norfolk.assumptions import ACADEMY_TYPES, INFANT_AGES, JUNIOR_AGES, NEEDS_OF, PHASES

ROOT = Path(__file__).resolve().parents[2]
BNG = "EPSG:27700"
WGS84 = "EPSG:4326"
PHASE_AGES = {pid: (lo, hi) for pid, _n, lo, hi, *_ in PHASES}


def read_gias(src: Path) -> pd.DataFrame:
    """The schools register extract (GIAS, May 2025), indexed by URN."""
    return pd.read_csv(src / "norfolk_schools_gias_20250524.csv").set_index("urn")


def location(school: pd.Series) -> dict[str, Any]:
    """District and coordinates of a GIAS row, as row fields."""
    return {"district_id": school["LAD13CD"], "lon": school["longitude"], "lat": school["latitude"]}


def host_ages(school: pd.Series) -> tuple[int, int]:
    """Ages a mainstream school teaches, as SEN2 ages: its phase's, narrowed for infant or junior schools (by name:
    the register extract has no age range)."""
    if school["education_phase"] != "Primary":
        return PHASE_AGES["secondary"]
    name = school["establishment_name"].lower()
    if "junior" in name and "infant" not in name:
        return JUNIOR_AGES
    if "infant" in name and "junior" not in name:
        return INFANT_AGES
    return PHASE_AGES["primary"]


def ages_note(school: pd.Series) -> str:
    """How a host's ages were found."""
    lo, hi = host_ages(school)
    kind = {INFANT_AGES: "an infant school", JUNIOR_AGES: "a junior school"}.get((lo, hi), "the school's phase")
    return f"ages {lo}-{hi}: {kind} (GIAS name and phase)"


def is_academy(school: pd.Series) -> bool:
    """True for academies and free schools, whose place funding the DfE deducts and pays (GIAS type)."""
    return str(school["establishment_type"]).startswith(ACADEMY_TYPES)


def srb_at_host(g: pd.DataFrame, urn: int, designation: str, places: int) -> dict[str, Any]:
    """Row fields of a resource base at a named host school (ages those the host teaches)."""
    r = g.loc[urn]
    lo, hi = host_ages(r)
    return {
        "name": f"{r['establishment_name']} SRB",
        "urn": urn,
        "setting_type": "srb",
        "designation": designation,
        "needs": NEEDS_OF[("srb", designation)],
        "min_age": lo,
        "max_age": hi,
        **location(r),
        "places": places,
    }


def ordered(columns: list[str], defaults: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """One table row with exactly `columns`, in that order (`values` over `defaults`)."""
    row = defaults | values
    unknown = set(row) - set(columns)
    assert not unknown, unknown
    return {c: row[c] for c in columns}


def largest_remainder(values: pd.Series) -> pd.Series:
    """Round to whole numbers that keep the (rounded) total: the largest fractions round up."""
    floor = np.floor(values).astype(int)
    short = int(round(values.sum())) - int(floor.sum())
    order = (values - floor).sort_values(ascending=False).index[:short]
    floor.loc[order] += 1
    return floor
